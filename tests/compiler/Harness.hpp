// Test helpers: run the netc binary and capture its output, read files, compile text in memory.
#pragma once

#include <string>
#include <vector>

#include "Pipeline.hpp"

namespace netc::test {

/// The source tree's root (models/, tests/cases/, tests/golden/).
std::string source_dir();

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `netc ARGS` (a shell-quoted argument string) in directory `cwd`, with COLUMNS unset (the summary's
/// width follows it) unless `environment` sets it ("VAR=value ...", put before the command).
RunResult run_netc(const std::string& args, const std::string& cwd, const std::string& environment = "");

/// A fresh directory for one test, removed with everything in it when the test ends.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  /// path() + "/" + name.
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

std::string read_file(const std::string& path);

/// The first line where two texts differ, shown as both lines, for failure messages.
std::string first_difference(const std::string& expected, const std::string& actual);

/// Compiles a model written inline (the display path is "test.net").
Compilation compile(const std::string& text, ModelRequest request = {});

/// Compiles a file of the source tree (`models/resnet50.net`).
Compilation compile_shipped(const std::string& relative, ModelRequest request = {});

/// The graph's node of that name, or nullptr.
const Node* find_node(const Graph& graph, const std::string& name);

}  // namespace netc::test
