// integra: the command line. Dispatches to a subcommand and maps errors to exit codes:
// 0 success, 1 the run failed (I/O, non-convergence, a bug), 2 usage or input error.
// Messages go to stderr; results, --help and --version go to stdout.
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options/errors.hpp>

#include "integra_version.hpp"
#include "core/errors.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/process_group.hpp"

namespace {

constexpr const char* usage = R"(integra - economic integration simulator

Usage:
  integra run SCENARIO.toml [-o FILE.h5] [--set key=value]... [-j N] [--sweep-point P]
  integra sweep SCENARIO.toml [-o FILE.h5] [--vary KEY=SPEC]... [-j N] [--shard K/N] [--resume]
  integra merge PART.h5... -o SWEEP.h5
  integra check SCENARIO.toml [--set key=value]... [--print]
  integra info FILE.h5
  integra summary FILE.h5 [--years Y,...] [--regions SET] [--vars V,...] [--format table|csv|markdown]
  integra export FILE.h5 --csv DIR [--vars V,...] [--force]
  integra data info NAME|PATH
  integra data import icio|long|cp FILE -o FOLDER [options]
  integra io accounts INPUT -o OUT.h5 [--format pymrio|long] [--population FILE] [--write A,L,G]
  integra --version

Run 'integra COMMAND --help' for a command's options.
)";

}  // namespace

std::string integra::cli::version_string() {
    return std::string("integra ") + integra::version + " (git " + integra::git_commit + ")";
}

int main(int argc, char** argv) {
    // Past a file-size limit (ulimit -f) the kernel sends SIGXFSZ, which by default kills the
    // process and leaves its partial output behind. Ignored, the write fails with EFBIG
    // instead, and the writer reports it, removes the partial file and exits 1.
    std::signal(SIGXFSZ, SIG_IGN);
    const std::vector<std::string> all(argv + 1, argv + argc);
    std::string command_line = "integra";
    for (const auto& a : all) command_line += " " + a;
    if (all.empty()) {
        std::cerr << usage;
        return 2;
    }
    const std::string& command = all[0];
    const std::vector<std::string> args(all.begin() + 1, all.end());
    try {
        if (command == "--help" || command == "-h" || command == "help") {
            std::cout << usage;
            return 0;
        }
        if (command == "--version" || command == "-V") {
            std::cout << integra::cli::version_string()
                      << (integra::cli::process_group::mpi_built() ? " with MPI" : " without MPI") << "\n";
            return 0;
        }
        if (command == "run") return integra::cli::run(args, command_line);
        if (command == "sweep") return integra::cli::sweep(args, command_line);
        if (command == "merge") return integra::cli::merge(args, command_line);
        if (command == "check") return integra::cli::check(args);
        if (command == "info") return integra::cli::info(args);
        if (command == "summary") return integra::cli::summary(args);
        if (command == "export") return integra::cli::export_results(args);
        if (command == "data") return integra::cli::data(args);
        if (command == "io") return integra::cli::io(args, command_line);
        std::cerr << "integra: unknown command '" << command << "'\n\n" << usage;
        return 2;
    } catch (const boost::program_options::error& e) {
        std::cerr << "integra " << command << ": " << e.what() << " (see 'integra " << command << " --help')\n";
        return 2;
    } catch (const integra::invalid_input& e) {
        std::cerr << e.what() << "\n";
        return 2;
    } catch (const integra::inconsistent_input& e) {
        std::cerr << e.what() << "\n";
        return 2;
    } catch (const integra::error& e) {
        std::cerr << "integra: " << command << " failed: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "integra: " << command << " failed: " << e.what() << "\n";
        return 1;
    }
}
