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
  std::string target = "cpp";   // emit: ast | ir | cpp | pytorch
  std::string output;           // -o
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
struct ShowHelp {};
struct ShowVersion {};

using CliResult = std::variant<Options, CliError, ShowHelp, ShowVersion>;

CliResult parse_cli(const std::vector<std::string>& args);

/// The text of `netc --help`.
std::string help_text();

}  // namespace netc
