// Command-line parsing (see Cli.hpp and the README's CLI reference).
#include "driver/Cli.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "driver/Import.hpp"
#include "ops/Layer.hpp"

namespace netc {

namespace {

const std::vector<std::string> kCommands{"check", "summary", "emit", "weights", "import"};

std::optional<std::int64_t> parse_positive(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 1 || v > kMaxDim) return std::nullopt;
  return v;
}

std::optional<std::vector<std::int64_t>> parse_input_shape(std::string_view text) {
  std::vector<std::int64_t> dims;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find('x', begin);
    if (end == std::string_view::npos) end = text.size();
    auto d = parse_positive(text.substr(begin, end - begin));
    if (!d) return std::nullopt;
    dims.push_back(*d);
    begin = end + 1;
  }
  if (dims.size() != 3) return std::nullopt;
  return dims;
}

// Applies one `--flag value` to the options; returns an error message or "".
std::string apply_flag(Options& o, const std::string& flag, const std::string& value) {
  if (flag == "--input") {
    auto dims = parse_input_shape(value);
    if (!dims) return fmt::format("--input expects HxWxC with each size from 1 to {}, like 224x224x3; found '{}'", kMaxDim, value);
    o.request.input = dims;
  } else if (flag == "--classes") {
    auto n = parse_positive(value);
    if (!n) return fmt::format("--classes expects an integer from 1 to {}; found '{}'", kMaxDim, value);
    o.request.classes = n;
  } else if (flag == "--model") {
    o.request.model = value;
  } else if (flag == "--target" || flag == "--emit") {
    if (value != "ast" && value != "ir" && value != "cpp" && value != "pytorch")
      return fmt::format("{} expects ast, ir, cpp or pytorch; found '{}'", flag, value);
    o.target = value;
  } else if (flag == "-o" || flag == "--output") {
    o.output = value;
  } else if (flag == "--name") {
    bool ok = !value.empty() && !std::isdigit(static_cast<unsigned char>(value[0]));
    for (char c : value) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (!ok) return fmt::format("--name expects a C++ identifier (letters, digits, _); found '{}'", value);
    o.name = value;
  } else if (flag == "--depfile") {
    o.depfile = value;
  } else if (flag == "--seed") {
    std::uint64_t s = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), s);
    if (ec != std::errc() || end != value.data() + value.size())
      return fmt::format("--seed expects a non-negative integer; found '{}'", value);
    o.seed = s;
  } else {
    return "";
  }
  return "";
}

bool takes_value(const std::string& flag) {
  for (const char* f : {"--input", "--classes", "--model", "--target", "--emit", "-o", "--output", "--name", "--seed",
                        "--depfile"})
    if (flag == f) return true;
  return false;
}

}  // namespace

CliResult parse_cli(const std::vector<std::string>& args) {
  Options o;
  o.args = args;
  std::vector<std::string> positional;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") return ShowHelp{};
    if (a == "--version") return ShowVersion{};
    if (a == "--random" || a == "--allow-missing") {
      (a == "--random" ? o.random : o.allow_missing) = true;
      continue;
    }
    if (a.size() > 1 && a[0] == '-') {
      std::string flag = a, value;
      bool inline_value = false;
      if (auto eq = a.find('='); eq != std::string::npos) {
        flag = a.substr(0, eq);
        value = a.substr(eq + 1);
        inline_value = true;
      }
      if (!takes_value(flag)) return CliError{fmt::format("unknown option '{}' (see netc --help)", flag)};
      if (!inline_value) {
        if (i + 1 >= args.size()) return CliError{fmt::format("{} needs a value (see netc --help)", flag)};
        value = args[++i];
      }
      if (std::string error = apply_flag(o, flag, value); !error.empty()) return CliError{error};
      continue;
    }
    positional.push_back(a);
  }
  if (positional.empty()) return CliError{"no command given (see netc --help)"};
  o.command = positional[0];
  if (std::find(kCommands.begin(), kCommands.end(), o.command) == kCommands.end())
    return CliError{fmt::format("unknown command '{}'; commands: check, summary, emit, weights, import (see netc --help)", o.command)};
  if (positional.size() < 2) return CliError{fmt::format("netc {} needs a model file: netc {} MODEL.net", o.command, o.command)};
  std::size_t arguments = o.command == "import" ? 3 : 2;
  if (positional.size() > arguments) return CliError{fmt::format("unexpected argument '{}'", positional[arguments])};
  o.model_path = positional[1];
  if (o.command == "import" && positional.size() == 3) o.source = positional[2];
  if (o.command == "import" && !import_usage_error(o).empty()) return CliError{import_usage_error(o)};
  if (o.command == "weights" && !o.random)
    return CliError{"netc weights needs --random: it writes random weights for demos, tests and benchmarks"};
  if (o.command == "weights" && o.output.empty()) return CliError{"netc weights needs -o FILE.safetensors"};
  if (o.command == "emit" && (o.target == "cpp" || o.target == "pytorch") && o.output.empty())
    return CliError{fmt::format("netc emit --target {} needs -o DIR", o.target)};
  return o;
}

std::string help_text() {
  return R"(netc - compiles .net model descriptions to standalone C++ forward passes

usage:
  netc check   MODEL.net [OPTIONS]        check every shape; exit 0 when the model is valid
  netc summary MODEL.net [OPTIONS]        print a Keras-style table of layers, parameters and MACs
  netc emit    MODEL.net [OPTIONS] --target ast|ir|cpp|pytorch [-o DIR] [--name NAME] [--depfile FILE]
                                          print the AST or IR, or write C++ or PyTorch code to DIR
                                          (--depfile: the .net files read, for build systems)
  netc weights MODEL.net [OPTIONS] --random [--seed S] -o FILE.safetensors
                                          write deterministic He-initialised weights
  netc import  MODEL.net KERAS.h5 [OPTIONS] -o FILE.safetensors [--allow-missing [--seed S]]
                                          convert a Keras HDF5 weights file into the model's weights
  netc --help | --version

options:
  --input HxWxC    input shape (overrides the model's `input` parameter), e.g. 224x224x3
  --classes N      class count (overrides the model's `classes` parameter)
  --model NAME     the model to compile, when the file defines more than one

exit status: 0 success, 1 errors in the model or its files, 2 bad command-line usage.
diagnostics go to standard error as file:line:col: error: message.
)";
}

}  // namespace netc
