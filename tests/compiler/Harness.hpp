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

/// Runs `netc ARGS` (a shell-quoted argument string) in directory `cwd`.
RunResult run_netc(const std::string& args, const std::string& cwd);

std::string read_file(const std::string& path);

/// The first line where two texts differ, shown as both lines, for failure messages.
std::string first_difference(const std::string& expected, const std::string& actual);

/// A directory of its own for one test, made under the system's temporary directory and removed with
/// everything in it when the object goes.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

private:
  std::string path_;
};

/// Compiles a model written inline (the display path is "test.net").
Compilation compile(const std::string& text, ModelRequest request = {});

}  // namespace netc::test
