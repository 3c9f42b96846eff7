// The processes of one sweep: the ranks of an MPI launch (mpirun, or srun --mpi=pmix) when
// Integra is built with MPI and started by a launcher, else this process alone. Batches of
// points are handed out dynamically: each rank claims the next batch from a counter held
// by rank 0 (MPI one-sided MPI_Fetch_and_op), so ranks that get cheap points take more.
#pragma once

#include <cstddef>

namespace integra::cli {

class process_group {
public:
    process_group();
    ~process_group();
    process_group(const process_group&) = delete;
    process_group& operator=(const process_group&) = delete;

    [[nodiscard]] int rank() const { return rank_; }
    [[nodiscard]] int size() const { return size_; }
    /// The next batch no process has claimed yet (0, 1, 2, ... over the whole group).
    [[nodiscard]] std::size_t claim_next();
    /// Waits for every process of the group.
    void barrier();
    /// Was MPI support compiled in?
    [[nodiscard]] static bool mpi_built();

private:
    int rank_ = 0, size_ = 1;
    std::size_t local_next_ = 0;
    struct mpi_state;
    mpi_state* mpi_ = nullptr;
};

}  // namespace integra::cli
