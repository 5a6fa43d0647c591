// The netc command line: help, version, the check and summary commands' output, standard output that
// cannot be written. (Output files: test_outputs.cpp.)
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>

#include "Harness.hpp"

namespace netc::test {

TEST_CASE("each help text equals its golden file, however it is asked for") {
  const std::pair<const char*, const char*> asked[] = {
      {"--help", "overview"},       {"-h", "overview"},         {"help", "overview"},
      {"help check", "check"},      {"check --help", "check"},  {"check models/vgg16.net -h", "check"},
      {"help summary", "summary"},  {"summary --help", "summary"}, {"help emit", "emit"},
      {"emit x.net --target cpp --help", "emit"}, {"help weights", "weights"}, {"weights --help", "weights"},
      {"help import", "import"},    {"import --help", "import"},
      {"help help", "help"},        {"help --help", "help"}};
  for (const auto& [args, name] : asked) {
    SUBCASE(args) {
      std::string golden = read_file(source_dir() + "/tests/golden/help/" + name + ".txt");
      RunResult r = run_netc(args, source_dir());
      INFO("netc ", args, "\n", first_difference(golden, r.out));
      CHECK(!golden.empty());
      CHECK(r.exit_code == 0);
      CHECK(r.err.empty());
      CHECK(r.out == golden);
    }
  }
}

TEST_CASE("every command's help has its usage, its options and an example") {
  for (const char* command : {"check", "summary", "emit", "weights", "import"}) {
    RunResult r = run_netc(std::string("help ") + command, source_dir());
    CHECK(r.out.rfind(std::string("usage: netc ") + command + " MODEL.net", 0) == 0);
    CHECK(r.out.find("\nmodel options:\n  --input HxWxC") != std::string::npos);
    CHECK(r.out.find("\nexample") != std::string::npos);
    CHECK(r.out.find(std::string("\n  netc ") + command + " models/") != std::string::npos);
  }
  CHECK(run_netc("help summary", source_dir()).out.find("  --depth N ") != std::string::npos);
  CHECK(run_netc("help emit", source_dir()).out.find("  --target svg ") != std::string::npos);
  CHECK(run_netc("help weights", source_dir()).out.find("  --seed S ") != std::string::npos);
}

TEST_CASE("--version answers on standard output with status 0") {
  RunResult version = run_netc("--version", source_dir());
  CHECK(version.exit_code == 0);
  CHECK(version.out == "netc " NETC_VERSION "\n");
}

TEST_CASE("check says what it checked; summary prints the totals lines") {
  RunResult check = run_netc("check models/vgg16.net --input 64x64x1 --classes 10", source_dir());
  CHECK(check.exit_code == 0);
  CHECK(check.out == "models/vgg16.net: model 'vgg16' is valid for input 64x64x1 and 10 classes (22 layers)\n");
  RunResult summary = run_netc("summary models/vgg16.net", source_dir());
  CHECK(summary.exit_code == 0);
  CHECK(summary.out.find("\nTotal params: 138,357,544 (527.79 MiB)\n") != std::string::npos);
  CHECK(summary.out.find("\nTotal MACs: 15,470,264,320 (FLOPs = 2 x MACs = 30,940,528,640)\n") != std::string::npos);
  RunResult resnet = run_netc("summary models/resnet50.net", source_dir());
  CHECK(resnet.out.find("\nTotal params: 25,636,712 ") != std::string::npos);
  CHECK(resnet.out.find("\nTrainable params: 25,583,592 ") != std::string::npos);
  CHECK(resnet.out.find("\nNon-trainable params: 53,120 ") != std::string::npos);
  CHECK(resnet.out.find("\nTotal MACs: 3,857,973,248 ") != std::string::npos);
  CHECK(resnet.out.find(" add2a (Add) ") != std::string::npos);
  CHECK(resnet.out.find("bn2a_branch2c + bn2a_branch1\n") != std::string::npos);
}

TEST_CASE("a standard output that cannot be written is an error, exit status 1") {
  TempDir dir;
  const char* commands[] = {"summary models/vgg16.net", "summary models/vgg16.net --format json", "check models/vgg16.net",
                            "emit models/vgg16.net --target ir", "emit models/vgg16.net --target dot", "help",
                            "--version"};
  for (const char* args : commands) {
    SUBCASE(args) {
      std::string command = "cd '" + source_dir() + "' && '" NETC_BINARY "' " + args + " > /dev/full 2> " + (dir / "err");
      int status = std::system(command.c_str());
      CHECK(WIFEXITED(status));
      CHECK(WEXITSTATUS(status) == 1);
      CHECK(read_file(dir / "err") == "netc: error: cannot write standard output: No space left on device\n");
    }
  }
}

}  // namespace netc::test
