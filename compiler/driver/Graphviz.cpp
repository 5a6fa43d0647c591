// Runs Graphviz's dot (see Graphviz.hpp): the DOT text goes to a temporary file, dot writes the SVG to
// another, its messages to a third; no shell is involved, so no path or name is ever interpreted.
#include "driver/Graphviz.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

extern char** environ;

namespace netc {

namespace {

// A temporary file that is removed when it goes out of scope.
class TemporaryFile {
public:
  TemporaryFile() {
    std::string pattern = (std::filesystem::temp_directory_path() / "netc-dot-XXXXXX").string();
    int fd = ::mkstemp(pattern.data());
    if (fd >= 0) {
      ::close(fd);
      path_ = pattern;
    }
  }
  ~TemporaryFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  const std::string& path() const { return path_; }

private:
  std::string path_;
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs dot; its exit status, or -1 with errno set when it could not be started.
int run_dot(const std::string& input, const std::string& output, const std::string& messages) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, messages.c_str(), O_WRONLY | O_TRUNC, 0);
  std::string format = "-Tsvg", out = "-o" + output;
  char* argv[] = {const_cast<char*>("dot"), format.data(), out.data(), const_cast<char*>(input.c_str()), nullptr};
  pid_t pid = 0;
  int spawned = ::posix_spawnp(&pid, "dot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    errno = spawned;
    return -1;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

std::string render_svg(const std::string& dot_text, std::string& svg) {
  TemporaryFile input, output, messages;
  if (input.path().empty() || output.path().empty() || messages.path().empty())
    return fmt::format("cannot make a temporary file for dot: {}", std::strerror(errno));
  std::ofstream(input.path(), std::ios::binary) << dot_text;
  int status = run_dot(input.path(), output.path(), messages.path());
  if (status < 0 && errno == ENOENT)
    return "--target svg needs Graphviz's `dot` program, which is not on PATH (Debian: apt-get install graphviz); "
           "--target dot writes the graph for drawing elsewhere";
  if (status < 0) return fmt::format("cannot run Graphviz's `dot`: {}", std::strerror(errno));
  if (status != 0) {
    std::string said = read_all(messages.path());
    while (!said.empty() && said.back() == '\n') said.pop_back();
    return fmt::format("Graphviz's `dot -Tsvg` failed with exit status {}{}{}", status, said.empty() ? "" : ": ", said);
  }
  svg = read_all(output.path());
  return "";
}

}  // namespace netc
