// The integra subcommands. Each takes the arguments after its name and returns the exit
// code: 0 success, 1 the run failed (I/O, non-convergence), 2 usage or input error.
// Errors are thrown; integra_main.cpp turns them into messages and exit codes.
#pragma once

#include <string>
#include <vector>

namespace integra::cli {

using arguments = std::vector<std::string>;

int run(const arguments& args, const std::string& command_line);
int sweep(const arguments& args, const std::string& command_line);  // command_sweep.cpp
int merge(const arguments& args, const std::string& command_line);  // command_sweep.cpp
int check(const arguments& args);
int info(const arguments& args);
int summary(const arguments& args);         // command_summary.cpp
int export_results(const arguments& args);  // integra export (command_export.cpp)
int data(const arguments& args);
int data_import(const arguments& args);  // integra data import FORMAT ... (command_data_import.cpp)
int io(const arguments& args, const std::string& command_line);  // integra io accounts|decompose ... (command_io.cpp)
int io_decompose(const arguments& args, const std::string& command_line);  // integra io decompose (command_io_decompose.cpp)

/// "integra 0.1.0 (git 1a2b3c4d5e6f)"
std::string version_string();

}  // namespace integra::cli
