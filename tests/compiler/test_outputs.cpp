// Output files: -o, files written all or nothing (a failed emit leaves the earlier files as they were),
// depfiles that make and ninja read back whatever the paths hold.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "Harness.hpp"

namespace netc::test {

namespace {

namespace fs = std::filesystem;

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// The names in a directory, sorted.
std::vector<std::string> listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Runs a shell command; its exit status.
int shell(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

}  // namespace

TEST_CASE("flags accept --flag=value and -o writes the file") {
  TempDir dir;
  RunResult r = run_netc("emit models/vgg16.net --target=ir --input=32x32x3 -o " + (dir / "vgg16.ir"), source_dir());
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(read_file(dir / "vgg16.ir").rfind("model vgg16 input 32x32x3 classes 1000\n", 0) == 0);
  CHECK(listing(dir.path()) == std::vector<std::string>{"vgg16.ir"});
}

TEST_CASE("-o naming a pipe or a device writes into it, never replaces it") {
  TempDir dir;
  REQUIRE(shell("mkfifo '" + (dir / "pipe") + "'") == 0);
  CHECK(shell("cd '" + source_dir() + "' && { cat '" + (dir / "pipe") + "' > '" + (dir / "read") + "' & '" NETC_BINARY
              "' emit models/vgg16.net --target ir -o '" + (dir / "pipe") + "'; status=$?; wait; exit $status; }") == 0);
  CHECK(fs::is_fifo(dir / "pipe"));
  CHECK(read_file(dir / "read").rfind("model vgg16 input 224x224x3", 0) == 0);
  CHECK(listing(dir.path()) == std::vector<std::string>{"pipe", "read"});
}

TEST_CASE("when the .cpp cannot be written, the .hpp beside it keeps its old content") {
  TempDir dir;
  fs::create_directory(dir / "out");
  write(dir / "out/tiny.hpp", "old header\n");
  fs::create_directory(dir / "out/tiny.cpp");  // a directory where the source goes: it cannot be written
  RunResult r = run_netc("emit two_models.net --model tiny --target cpp -o " + (dir / "out"), source_dir() + "/tests/cases");
  CHECK(r.exit_code == 1);
  CHECK(r.err == "netc: error: cannot write '" + (dir / "out/tiny.cpp") + "': Is a directory\n");
  CHECK(read_file(dir / "out/tiny.hpp") == "old header\n");
  CHECK(listing(dir / "out") == std::vector<std::string>{"tiny.cpp", "tiny.hpp"});  // no temporary left
}

TEST_CASE("when the depfile cannot be written, neither are the outputs") {
  TempDir dir;
  for (const char* target : {"cpp", "pytorch"}) {
    SUBCASE(target) {
      RunResult r = run_netc(std::string("emit two_models.net --model tiny --target ") + target + " -o " + (dir / "out") +
                                 " --depfile " + (dir / "missing/tiny.d"),
                             source_dir() + "/tests/cases");
      CHECK(r.exit_code == 1);
      CHECK(r.err == "netc: error: cannot write '" + (dir / "missing/tiny.d") + "': No such file or directory\n");
      CHECK(listing(dir / "out").empty());
    }
  }
}

TEST_CASE("a weights file that cannot be renamed into place leaves no temporary behind") {
  TempDir dir;
  fs::create_directory(dir / "w.safetensors");
  RunResult r = run_netc("weights two_models.net --model tiny --random -o " + (dir / "w.safetensors"),
                         source_dir() + "/tests/cases");
  CHECK(r.exit_code == 1);
  CHECK(r.err == "netc: error: cannot write '" + (dir / "w.safetensors") + "': Is a directory\n");
  CHECK(listing(dir.path()) == std::vector<std::string>{"w.safetensors"});
}

TEST_CASE("the depfile escapes spaces, '#', ':' and '$' as make and ninja read them") {
  TempDir dir;
  std::string odd = dir / "a b#c:d$e";  // every character a depfile must escape
  fs::create_directories(odd);
  write(odd + "/blocks.net", "block pair(f) {\n  conv f 3x3 same relu\n}\n");
  write(odd + "/m.net", "import \"blocks.net\"\nmodel m(input = 8x8x1, classes = 2) {\n  pair(4)\n  flatten\n"
                        "  dense classes softmax\n}\n");
  RunResult r = run_netc("emit 'a b#c:d$e/m.net' --target cpp -o out --depfile m.d", dir.path());
  REQUIRE(r.exit_code == 0);
  std::string escaped = dir.path() + "/a\\ b\\#c\\:d$$e";
  CHECK(read_file(dir / "m.d") == dir.path() + "/out/m.cpp " + dir.path() + "/out/m.hpp: " + escaped + "/m.net " +
                                      escaped + "/blocks.net\n");

  // make reads both .net files back as prerequisites of the outputs.
  write(dir / "Makefile", "include m.d\n" + dir.path() + "/out/m.cpp:\n\t$(file >prerequisites,$^)\n");
  fs::remove(dir / "out/m.cpp");
  CHECK(shell("cd '" + dir.path() + "' && make -s > /dev/null 2>&1") == 0);
  CHECK(read_file(dir / "prerequisites") == odd + "/m.net " + odd + "/blocks.net\n");
}

TEST_CASE("ninja runs netc with --depfile and rebuilds when an imported file changes") {
  TempDir dir;
  std::string odd = dir / "x y$z:w";
  fs::create_directories(odd);
  write(odd + "/blocks.net", "block pair(f) {\n  conv f 3x3 same relu\n}\n");
  write(odd + "/m.net", "import \"blocks.net\"\nmodel m(input = 8x8x1) {\n  pair(4)\n}\n");
  write(dir / "build.ninja", "rule netc\n  command = '" NETC_BINARY "' emit \"x y\\$$z:w/m.net\" --target cpp -o " +
                                 dir.path() + "/out --depfile m.d\n  depfile = m.d\n  deps = gcc\n"
                                 "build " + dir.path() + "/out/m.cpp " + dir.path() + "/out/m.hpp: netc\n");
  REQUIRE(shell("cd '" + dir.path() + "' && ninja > ninja.log 2>&1") == 0);
  CHECK(shell("cd '" + dir.path() + "' && ninja -t deps > deps.txt") == 0);
  std::string deps = read_file(dir / "deps.txt");
  INFO(deps);
  CHECK(deps.find("    " + odd + "/m.net\n") != std::string::npos);
  CHECK(deps.find("    " + odd + "/blocks.net\n") != std::string::npos);
  CHECK(shell("cd '" + dir.path() + "' && ninja -n | grep -q 'no work to do'") == 0);
  fs::last_write_time(odd + "/blocks.net", fs::last_write_time(odd + "/blocks.net") + std::chrono::seconds(5));
  CHECK(shell("cd '" + dir.path() + "' && ninja -n | grep -q 'no work to do'") != 0);
}

TEST_CASE("a path with a line break cannot go into a depfile: an error, and nothing written") {
  TempDir dir;
  fs::create_directories(dir / "a\nb");
  write(dir / "a\nb/m.net", "model m(input = 8x8x1) {\n  relu\n}\n");
  RunResult r = run_netc("emit \"$(printf 'a\\nb')/m.net\" --target cpp -o out --depfile m.d", dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.err == "netc: error: cannot write a depfile: the path 'a\\nb/m.net' holds a line break, which a depfile "
                 "cannot express\n");
  CHECK(!fs::exists(dir / "m.d"));
  CHECK(listing(dir / "out").empty());
}

}  // namespace netc::test

namespace netc::test {

TEST_CASE("--diagnostics-format leaves the generated files as they are (their header records the command)") {
  TempDir dir;
  for (const char* extra : {"", " --diagnostics-format json", " --diagnostics-format=text"}) {
    std::string out = dir / (std::string("out") + std::to_string(std::strlen(extra)));
    RunResult r = run_netc(std::string("emit two_models.net --model tiny --target cpp -o ") + out + extra,
                           source_dir() + "/tests/cases");
    REQUIRE(r.exit_code == 0);
    CHECK(read_file(out + "/tiny.cpp") == read_file(dir / "out0/tiny.cpp"));
    CHECK(read_file(out + "/tiny.cpp").find("// Command: netc emit two_models.net --model tiny --target cpp\n") !=
          std::string::npos);
  }
}

}  // namespace netc::test
