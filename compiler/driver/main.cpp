// netc's entry point: parse the command line, run the command, report the diagnostics, choose the exit
// status (0 success, 1 model errors, 2 usage).
#include <cstdio>

#include "driver/Commands.hpp"
#include "driver/Help.hpp"
#include "driver/Output.hpp"

namespace {

int run(const std::vector<std::string>& args, netc::DiagnosticOutput& diagnostics) {
  netc::CliResult parsed = netc::parse_cli(args);
  if (auto* help = std::get_if<netc::ShowHelp>(&parsed))
    return netc::status(netc::write_stdout(*netc::help_text(help->command)), diagnostics);
  if (std::holds_alternative<netc::ShowVersion>(parsed))
    return netc::status(netc::write_stdout("netc " NETC_VERSION "\n"), diagnostics);
  if (auto* error = std::get_if<netc::CliError>(&parsed)) {
    diagnostics.error(error->message);
    return 2;
  }
  return netc::run_command(std::get<netc::Options>(parsed), diagnostics);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  netc::DiagnosticOutput diagnostics(netc::diagnostics_format(args));
  int status = 1;
  try {
    status = run(args, diagnostics);
  } catch (const std::exception& e) {
    diagnostics.internal_error(e.what());
    status = 1;
  }
  diagnostics.finish();
  return status;
}
