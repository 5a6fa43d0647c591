// Command-line parsing (see Cli.hpp and the README's CLI reference).
#include "driver/Cli.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "driver/Import.hpp"
#include "ops/Layer.hpp"

namespace netc {

namespace {

const std::vector<std::string> kCommands{"check", "summary", "emit", "weights", "import", "help"};

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
    if (value.empty()) return "--model expects the name of a model in the file; found ''";
    o.request.model = value;
  } else if (flag == "--target" || flag == "--emit") {
    if (value != "ast" && value != "ir" && value != "cpp" && value != "pytorch" && value != "dot" && value != "svg")
      return fmt::format("{} expects ast, ir, dot, svg, cpp or pytorch; found '{}'", flag, value);
    o.target = value;
  } else if (flag == "--format" || flag == "--diagnostics-format") {
    if (value != "text" && value != "json") return fmt::format("{} expects text or json; found '{}'", flag, value);
    (flag == "--format" ? o.format : o.diagnostics_format) = value;
  } else if (flag == "--depth") {
    int depth = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), depth);
    if (ec != std::errc() || end != value.data() + value.size() || depth < 0)
      return fmt::format("--depth expects a non-negative integer; found '{}'", value);
    o.depth = depth;
  } else if (flag == "-o" || flag == "--output") {
    o.output = value;
  } else if (flag == "--name") {
    bool ok = !value.empty() && !std::isdigit(static_cast<unsigned char>(value[0]));
    for (char c : value) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (!ok) return fmt::format("--name expects a C++ identifier (letters, digits, _); found '{}'", value);
    o.name = value;
  } else if (flag == "-I") {
    o.request.import_dirs.push_back(value);
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

/// An option as written: `--flag`, `--flag=value`, or `-IDIR` (as C compilers take it).
struct SplitFlag {
  std::string flag, value;
  bool inline_value = false;
};

SplitFlag split_flag(const std::string& a) {
  if (a.rfind("-I", 0) == 0 && a.size() > 2 && a[2] != '=') return {"-I", a.substr(2), true};
  if (auto eq = a.find('='); eq != std::string::npos) return {a.substr(0, eq), a.substr(eq + 1), true};
  return {a, "", false};
}

bool takes_value(const std::string& flag) {
  for (const char* f : {"--input", "--classes", "--model", "--target", "--emit", "-o", "--output", "--name", "--seed",
                        "--depfile", "--format", "--diagnostics-format", "--depth", "-I"})
    if (flag == f) return true;
  return false;
}

// `--help` anywhere: the help of the command named (the first argument that is one), else the overview.
std::optional<ShowHelp> help_request(const std::vector<std::string>& args) {
  if (std::none_of(args.begin() + 1, args.end(), [](const std::string& a) { return a == "--help" || a == "-h"; }))
    return std::nullopt;
  auto command = std::find_first_of(args.begin() + 1, args.end(), kCommands.begin(), kCommands.end());
  return ShowHelp{command == args.end() ? "" : *command};
}

// What a command needs beyond its model file, and options given to a command that has no use for them.
std::string check_combination(const Options& o) {
  if (o.command == "import") return import_usage_error(o);
  if (o.command == "weights" && !o.random)
    return "netc weights needs --random: it writes random weights for demos, tests and benchmarks";
  if (o.command == "weights" && o.output.empty()) return "netc weights needs -o FILE.safetensors";
  if (o.command == "emit" && (o.target == "cpp" || o.target == "pytorch") && o.output.empty())
    return fmt::format("netc emit --target {} needs -o DIR", o.target);
  if (o.format != "text" && o.command != "summary") return "--format is an option of netc summary";
  if (o.format == "json" && o.depth)
    return "--depth narrows the table; --format json lists every layer with the block uses it sits in";
  bool picture = o.command == "emit" && (o.target == "dot" || o.target == "svg");
  if (o.depth && o.command != "summary" && !picture)
    return "--depth is an option of netc summary and netc emit --target dot|svg";
  return "";
}

// The command and its operands, once the flags are applied.
CliResult command_and_operands(Options o, const std::vector<std::string>& positional) {
  if (positional.empty()) return CliError{"no command given (see netc --help)"};
  o.command = positional[0];
  if (std::find(kCommands.begin(), kCommands.end(), o.command) == kCommands.end())
    return CliError{fmt::format("unknown command '{}'; commands: {} (see netc --help)", o.command,
                                fmt::join(kCommands, ", "))};
  if (o.command == "help") {
    if (positional.size() > 2) return CliError{fmt::format("unexpected argument '{}'", positional[2])};
    std::string topic = positional.size() == 2 ? positional[1] : "";
    if (!topic.empty() && std::find(kCommands.begin(), kCommands.end(), topic) == kCommands.end())
      return CliError{fmt::format("netc help: unknown command '{}'; commands: {}", topic, fmt::join(kCommands, ", "))};
    return ShowHelp{topic};
  }
  if (positional.size() < 2)
    return CliError{fmt::format("netc {} needs a model file: netc {} MODEL.net (see netc help {})", o.command,
                                o.command, o.command)};
  const std::size_t operands = o.command == "import" ? 3 : 2;  // import: MODEL.net KERAS.h5
  if (positional.size() > operands) return CliError{fmt::format("unexpected argument '{}'", positional[operands])};
  o.model_path = positional[1];
  if (o.command == "import" && positional.size() == 3) o.source = positional[2];
  if (std::string error = check_combination(o); !error.empty()) return CliError{error};
  return o;
}

}  // namespace

CliResult parse_cli(const std::vector<std::string>& args) {
  if (args.empty()) return CliError{"no command given (see netc --help)"};
  if (auto help = help_request(args)) return *help;
  Options o;
  o.args = args;
  std::vector<std::string> positional;
  std::set<std::string> given;  // flags that take one value: a second one is an error, not an override
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--version") return ShowVersion{};
    if (a == "--random" || a == "--allow-missing") {
      (a == "--random" ? o.random : o.allow_missing) = true;
      continue;
    }
    if (a.size() < 2 || a[0] != '-') {
      positional.push_back(a);
      continue;
    }
    auto [flag, value, inline_value] = split_flag(a);
    if (!takes_value(flag)) return CliError{fmt::format("unknown option '{}' (see netc --help)", flag)};
    if (flag != "-I" && !given.insert(flag == "--emit" ? "--target" : flag == "--output" ? "-o" : flag).second)
      return CliError{fmt::format("{} is given twice; give it once", flag)};
    if (!inline_value) {
      if (i + 1 >= args.size()) return CliError{fmt::format("{} needs a value (see netc --help)", flag)};
      value = args[++i];
    }
    if (std::string error = apply_flag(o, flag, value); !error.empty()) return CliError{error};
  }
  return command_and_operands(std::move(o), positional);
}

std::string diagnostics_format(const std::vector<std::string>& args) {
  std::string format = "text";
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--diagnostics-format=json" || (args[i] == "--diagnostics-format" && i + 1 < args.size() &&
                                                   args[i + 1] == "json"))
      format = "json";
    else if (args[i] == "--diagnostics-format=text" || args[i] == "--diagnostics-format")
      format = "text";
  }
  return format;
}

}  // namespace netc
