#include "tools/cli/process_group.hpp"

#include <cstdlib>
#include <initializer_list>

#ifdef INTEGRA_WITH_MPI
#include <mpi.h>
#endif

namespace integra::cli {

#ifdef INTEGRA_WITH_MPI

namespace {

// Started by an MPI launcher? (Open MPI's mpirun, or a PMIx/PMI launcher such as srun.)
bool launched_by_mpi() {
    for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"})
        if (std::getenv(variable)) return true;
    return false;
}

}  // namespace

struct process_group::mpi_state {
    MPI_Win window = MPI_WIN_NULL;
    long* counter = nullptr;
};

process_group::process_group() {
    if (!launched_by_mpi()) return;
    MPI_Init(nullptr, nullptr);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    mpi_ = new mpi_state;
    const MPI_Aint bytes = rank_ == 0 ? static_cast<MPI_Aint>(sizeof(long)) : 0;
    MPI_Win_allocate(bytes, sizeof(long), MPI_INFO_NULL, MPI_COMM_WORLD, &mpi_->counter, &mpi_->window);
    if (rank_ == 0) {
        MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, mpi_->window);
        *mpi_->counter = 0;
        MPI_Win_unlock(0, mpi_->window);
    }
    MPI_Barrier(MPI_COMM_WORLD);
}

process_group::~process_group() {
    if (!mpi_) return;
    MPI_Win_free(&mpi_->window);
    delete mpi_;
    MPI_Finalize();
}

std::size_t process_group::claim_next() {
    if (!mpi_) return local_next_++;
    const long one = 1;
    long claimed = 0;
    MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, mpi_->window);
    MPI_Fetch_and_op(&one, &claimed, MPI_LONG, 0, 0, MPI_SUM, mpi_->window);
    MPI_Win_unlock(0, mpi_->window);
    return static_cast<std::size_t>(claimed);
}

void process_group::barrier() {
    if (mpi_) MPI_Barrier(MPI_COMM_WORLD);
}

bool process_group::mpi_built() { return true; }

#else

struct process_group::mpi_state {};

process_group::process_group() = default;
process_group::~process_group() = default;
std::size_t process_group::claim_next() { return local_next_++; }
void process_group::barrier() {}
bool process_group::mpi_built() { return false; }

#endif

}  // namespace integra::cli
