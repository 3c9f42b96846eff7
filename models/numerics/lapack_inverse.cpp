#include "models/numerics/lapack_inverse.hpp"

#include <algorithm>
#include <climits>
#include <cstddef>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/text.hpp"

// LAPACK's Fortran interface as OpenBLAS exports it (32-bit integers: Debian's
// libopenblas0, not libopenblas64), with gfortran's hidden length of character arguments.
extern "C" {
void dgetrf_(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info);
void dgetri_(const int* n, double* a, const int* lda, const int* ipiv, double* work, const int* lwork, int* info);
void dgecon_(const char* norm, const int* n, const double* a, const int* lda, const double* anorm, double* rcond,
             double* work, int* iwork, int* info, std::size_t norm_length);
void openblas_set_num_threads(int threads);
int openblas_get_num_threads();
char* openblas_get_config();
}

namespace integra::models::numerics {

Eigen::MatrixXd lapack_inverse_of_identity_minus(const Eigen::Ref<const Eigen::MatrixXd>& m, double& rcond) {
    if (m.rows() != m.cols())
        throw inconsistent_input(cat("lapack_inverse_of_identity_minus: expected a square matrix, got ", m.rows(), " x ",
                                     m.cols()));
    if (m.rows() > INT_MAX / 2)
        throw inconsistent_input(cat("lapack_inverse_of_identity_minus: n = ", m.rows(),
                                     " exceeds the 32-bit LAPACK interface"));
    const int n = static_cast<int>(m.rows());
    rcond = 0.0;
    if (n == 0) return Eigen::MatrixXd(0, 0);
    Eigen::MatrixXd a = -m;  // column-major, as LAPACK expects
    a.diagonal().array() += 1.0;
    const double norm1 = a.cwiseAbs().colwise().sum().maxCoeff();  // ||I - M||_1 for dgecon

    std::vector<int> pivots(static_cast<std::size_t>(n));
    int info = 0;
    dgetrf_(&n, &n, a.data(), &n, pivots.data(), &info);
    if (info < 0) throw numerical_error(cat("LAPACK dgetrf: argument ", -info, " had an illegal value"));
    if (info > 0)
        throw numerical_error(cat("LAPACK dgetrf: I - M (", n, " x ", n, ") is exactly singular: U(", info, ",", info,
                                  ") = 0; expected a productive economy"));

    std::vector<double> work(4 * static_cast<std::size_t>(n));
    std::vector<int> iwork(static_cast<std::size_t>(n));
    const char norm = '1';
    dgecon_(&norm, &n, a.data(), &n, &norm1, &rcond, work.data(), iwork.data(), &info, 1);
    if (info != 0) throw numerical_error(cat("LAPACK dgecon: argument ", -info, " had an illegal value"));

    int lwork = -1;  // workspace query, then the inverse in place
    double optimal = 0.0;
    dgetri_(&n, a.data(), &n, pivots.data(), &optimal, &lwork, &info);
    lwork = std::max(n, static_cast<int>(optimal));
    work.assign(static_cast<std::size_t>(lwork), 0.0);
    dgetri_(&n, a.data(), &n, pivots.data(), work.data(), &lwork, &info);
    if (info != 0) throw numerical_error(cat("LAPACK dgetri: failed with info = ", info));
    return a;
}

void set_lapack_threads(int threads) {
    if (threads > 0) openblas_set_num_threads(threads);
}

int lapack_threads() { return openblas_get_num_threads(); }

std::string lapack_description() {
    const char* config = openblas_get_config();
    return cat(config != nullptr ? config : "OpenBLAS", " (", lapack_threads(), " threads)");
}

}  // namespace integra::models::numerics
