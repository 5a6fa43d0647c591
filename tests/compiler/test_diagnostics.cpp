// The diagnostics catalogue: every tests/cases/*.expected names a netc command (first line, `$ netc ARGS`),
// its exit status (second line, `exit N`) and, after that, its exact standard error. The command runs
// in tests/cases, so the paths in messages are short. A failure shows the first line that differs.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "Harness.hpp"

namespace netc::test {

namespace {

struct Case {
  std::string name;
  std::string args;
  int exit_code = 0;
  std::string err;
};

Case read_case(const std::filesystem::path& path) {
  std::string text = read_file(path.string());
  Case c;
  c.name = path.stem().string();
  std::size_t first = text.find('\n');
  std::size_t second = text.find('\n', first + 1);
  REQUIRE_MESSAGE(text.rfind("$ netc ", 0) == 0, path.string() << ": the first line must be `$ netc ARGS`");
  REQUIRE_MESSAGE(text.compare(first + 1, 5, "exit ") == 0, path.string() << ": the second line must be `exit N`");
  c.args = text.substr(7, first - 7);
  c.exit_code = std::stoi(text.substr(first + 6, second - first - 6));
  c.err = text.substr(second + 1);
  return c;
}

}  // namespace

TEST_CASE("every case in the diagnostics catalogue produces its exact diagnostics and exit status") {
  std::filesystem::path dir = source_dir() + "/tests/cases";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".expected") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 40);
  for (const auto& path : files) {
    Case c = read_case(path);
    SUBCASE(c.name.c_str()) {
      RunResult r = run_netc(c.args, dir.string());
      INFO("case: ", c.name, "\n$ netc ", c.args, "\n", first_difference(c.err, r.err));
      CHECK(r.exit_code == c.exit_code);
      CHECK(r.err == c.err);
      if (c.exit_code != 0) CHECK(r.out.empty());
    }
  }
}

}  // namespace netc::test
