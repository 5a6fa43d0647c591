// netc's entry point: parse the command line, run the pipeline, print diagnostics, choose the exit status
// (0 success, 1 model errors, 2 usage).
#include <cstdio>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "Pipeline.hpp"
#include "driver/Commands.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  try {
    netc::CliResult parsed = netc::parse_cli(args);
    if (std::holds_alternative<netc::ShowHelp>(parsed)) {
      std::cout << netc::help_text();
      return 0;
    }
    if (std::holds_alternative<netc::ShowVersion>(parsed)) {
      std::cout << "netc " << NETC_VERSION << "\n";
      return 0;
    }
    if (auto* error = std::get_if<netc::CliError>(&parsed)) {
      std::cerr << "netc: error: " << error->message << "\n";
      return 2;
    }
    return netc::run_command(std::get<netc::Options>(parsed));
  } catch (const std::exception& e) {
    std::cerr << "netc: internal error: " << e.what() << "\n";
    return 1;
  }
}
