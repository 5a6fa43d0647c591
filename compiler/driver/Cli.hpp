// Command-line parsing for netc. Bad usage is a CliError (exit status 2), never an exception.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "elab/Elaborate.hpp"

namespace netc {

struct Options {
  std::string command;          // check | summary | emit | weights | import
  std::string model_path;
  ModelRequest request;
  std::string target = "cpp";   // emit: ast | ir | cpp | pytorch | dot | svg
  std::string output;           // -o
  std::string format = "text";  // summary --format: text | json
  std::string diagnostics_format = "text";  // --diagnostics-format: text | json
  std::optional<int> depth;     // summary and emit --target dot|svg: block uses and boxes deeper than this collapse
  std::string name;             // --name
  std::string depfile;          // --depfile: a make-style list of the .net files the output depends on
  bool random = false;          // weights --random
  std::string source;           // import: the Keras weights file
  bool allow_missing = false;   // import --allow-missing
  std::uint64_t seed = 0;
  std::vector<std::string> args;  // as typed (args[0] is the program), for the header of generated files
};

struct CliError {
  std::string message;
};
/// `netc help [COMMAND]`, `netc [COMMAND] --help`: the help of one command, or the overview when empty.
struct ShowHelp {
  std::string command;
};
struct ShowVersion {};

using CliResult = std::variant<Options, CliError, ShowHelp, ShowVersion>;

CliResult parse_cli(const std::vector<std::string>& args);

/// The --diagnostics-format the arguments ask for ("text" or "json"), read before they are parsed so that
/// errors in the command line itself come in that format too.
std::string diagnostics_format(const std::vector<std::string>& args);

}  // namespace netc
