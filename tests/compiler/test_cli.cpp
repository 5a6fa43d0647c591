// The netc command line: help, version, the check and summary commands' output, writing to files.
#include <doctest/doctest.h>

#include <cstdio>

#include "Harness.hpp"

namespace netc::test {

TEST_CASE("--help and --version answer on standard output with status 0") {
  RunResult help = run_netc("--help", source_dir());
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("usage:") != std::string::npos);
  CHECK(help.out.find("netc summary MODEL.net") != std::string::npos);
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

TEST_CASE("flags accept --flag=value and -o writes the file") {
  std::string path = "/tmp/netc-cli-test.ir";
  std::remove(path.c_str());
  RunResult r = run_netc("emit models/vgg16.net --target=ir --input=32x32x3 -o " + path, source_dir());
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(read_file(path).rfind("model vgg16 input 32x32x3 classes 1000\n", 0) == 0);
  std::remove(path.c_str());
}

}  // namespace netc::test
