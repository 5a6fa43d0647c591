// Test helpers (see Harness.hpp).
#include "Harness.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <fstream>
#include <sstream>

namespace netc::test {

std::string source_dir() { return NETC_SOURCE_DIR; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "netc-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot make a temporary directory");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

RunResult run_netc(const std::string& args, const std::string& cwd, const std::string& environment) {
  TempDir captured;  // a directory of this call's own (under $TMPDIR) for its standard output and error
  const std::string out_path = captured.path() + "/out";
  const std::string err_path = captured.path() + "/err";
  std::string command = "cd '" + cwd + "' && unset COLUMNS && " + environment + " '" NETC_BINARY "' " + args + " > '" +
                        out_path + "' 2> '" + err_path + "'";
  int status = std::system(command.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  return r;
}

std::string first_difference(const std::string& expected, const std::string& actual) {
  std::istringstream e(expected), a(actual);
  std::string el, al;
  for (int line = 1;; ++line) {
    bool more_e = static_cast<bool>(std::getline(e, el));
    bool more_a = static_cast<bool>(std::getline(a, al));
    if (!more_e && !more_a) return "identical";
    if (!more_e || !more_a || el != al) {
      return "line " + std::to_string(line) + ":\n  expected: " + (more_e ? el : "<end>") + "\n  actual:   " +
             (more_a ? al : "<end>");
    }
  }
}

Compilation compile(const std::string& text, ModelRequest request) { return compile_text("test.net", text, request); }

Compilation compile_shipped(const std::string& relative, ModelRequest request) {
  return compile_file(source_dir() + "/" + relative, request);
}

const Node* find_node(const Graph& graph, const std::string& name) {
  for (const Node& n : graph.nodes)
    if (n.name == name) return &n;
  return nullptr;
}

}  // namespace netc::test
