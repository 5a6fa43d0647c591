// The Graphviz picture (emit --target dot|svg): a golden DOT file, every shipped model's DOT read by Graphviz,
// clusters for block uses, boxes and repeats, --depth, the SVG, and the error when Graphviz is missing.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "Harness.hpp"

namespace netc::test {

namespace {

const char* const kModels[] = {"models/vgg16.net", "models/resnet50.net", "models/resnet50_torchvision.net",
                               "models/course/vgg16_course.net", "models/course/resnet50_course.net",
                               "examples/digits/digits_vgg.net", "examples/digits/digits_resnet.net",
                               "docs/resnet50_stage2.net", "tests/golden/models/branches.net"};

std::size_t count(const std::string& text, const std::string& pattern) {
  std::regex re(pattern);
  return static_cast<std::size_t>(std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

}  // namespace

TEST_CASE("the DOT of the digits ResNet equals its golden file") {
  std::string golden = read_file(source_dir() + "/tests/golden/digits_resnet.dot");
  RunResult r = run_netc("emit examples/digits/digits_resnet.net --target dot", source_dir());
  INFO(first_difference(golden, r.out));
  CHECK(!golden.empty());
  CHECK(r.exit_code == 0);
  CHECK(r.out == golden);
}

TEST_CASE("the DOT of a model with concatenations equals its golden file: an edge from every branch") {
  std::string golden = read_file(source_dir() + "/tests/golden/branches.dot");
  RunResult r = run_netc("emit tests/golden/models/branches.net --target dot", source_dir());
  INFO(first_difference(golden, r.out));
  CHECK(!golden.empty());
  CHECK(r.exit_code == 0);
  CHECK(r.out == golden);
  // mixed0 (n24) joins conv2, conv4, conv7 and conv8 (n16, n18, n21, n23).
  for (const char* edge : {"n16 -> n24;", "n18 -> n24;", "n21 -> n24;", "n23 -> n24;"})
    CHECK_MESSAGE(r.out.find(edge) != std::string::npos, edge);
  CHECK(count(r.out, "-> n24;") == 4);
}

TEST_CASE("Graphviz reads the DOT of every shipped model, at every depth") {
  TempDir dir;
  for (const char* model : kModels) {
    for (const char* depth : {"", " --depth 0", " --depth 1"}) {
      RunResult r = run_netc(std::string("emit ") + model + " --target dot -o " + (dir / "m.dot") + depth, source_dir());
      INFO(model, depth);
      REQUIRE(r.exit_code == 0);
      std::string command = "dot -Tcanon '" + (dir / "m.dot") + "' > '" + (dir / "canon") + "' 2> '" + (dir / "err") + "'";
      CHECK(std::system(command.c_str()) == 0);
      CHECK(read_file(dir / "err").empty());
    }
  }
}

TEST_CASE("a node per layer, an edge per tensor, a cluster per block use; --depth folds clusters into nodes") {
  std::string full = run_netc("emit models/resnet50.net --target dot", source_dir()).out;
  std::string ir = run_netc("emit models/resnet50.net --target ir", source_dir()).out;
  std::size_t layers = count(ir, "\n%[0-9]+ ");
  std::size_t tensors = count(ir, "%[0-9]+[,)]");  // every input of every layer
  CHECK(count(full, "\n *n[0-9]+ \\[label=") == layers);
  CHECK(count(full, "\n  n[0-9]+ -> n[0-9]+;") == tensors);
  CHECK(count(full, "subgraph cluster_") == 16);  // ResNet50's 16 block uses
  CHECK(full.find("label=\"2a (conv_block)\"") != std::string::npos);
  CHECK(full.find("n15 [label=\"res2a_branch1\\nconv 256 1x1\\n56x56x256, 16,640 params\"") != std::string::npos);

  std::string folded = run_netc("emit models/resnet50.net --target dot --depth 0", source_dir()).out;
  CHECK(count(folded, "subgraph cluster_") == 0);
  CHECK(count(folded, "\n  g[0-9]+ \\[label=") == 16);
  CHECK(folded.find("g0 [label=\"2a (conv_block)\\n12 layers\\n56x56x256, 76,928 params\", shape=box3d") !=
        std::string::npos);
  CHECK(count(folded, "\n  n[0-9]+ \\[label=") == 7 + 2);  // the stem and the head
  CHECK(folded.find("\n  n6 -> g0;\n  g0 -> g1;\n") != std::string::npos);  // both paths of 2a start at pool1

  // A block inside a block inside a repeat: clusters nest; --depth 1 keeps the repetitions' clusters and
  // folds the uses of outer, --depth 2 keeps those too and folds the uses of inner.
  TempDir dir;
  std::ofstream(dir / "nested.net") << "block inner(f) {\n  conv f 3x3 same relu\n}\n"
                                       "block outer(f) {\n  inner(f)\n  inner(f) as twice\n}\n"
                                       "model nested(input = 8x8x1) {\n  repeat 2 {\n    outer(4)\n  }\n}\n";
  std::string nested = run_netc("emit nested.net --target dot", dir.path()).out;
  CHECK(count(nested, "subgraph cluster_") == 2 + 2 + 4);
  CHECK(nested.find("label=\"repetition 2 of 2\"") != std::string::npos);
  CHECK(nested.find("label=\"outer2_twice (inner)\"") != std::string::npos);
  std::string depth1 = run_netc("emit nested.net --target dot --depth 1", dir.path()).out;
  CHECK(count(depth1, "subgraph cluster_") == 2);
  CHECK(count(depth1, "\n    g[0-9]+ \\[label=") == 2);
  CHECK(depth1.find("g1 [label=\"outer1 (outer)\\n2 layers\\n8x8x4, 188 params\"") != std::string::npos);
  std::string depth2 = run_netc("emit nested.net --target dot --depth 2", dir.path()).out;
  CHECK(count(depth2, "subgraph cluster_") == 2 + 2);
  CHECK(count(depth2, "\n      g[0-9]+ \\[label=") == 4);
  CHECK(count(depth2, "\n  g[0-9]+ -> g[0-9]+;") == 3);
}

TEST_CASE("--target svg draws the picture with Graphviz") {
  TempDir dir;
  RunResult r = run_netc("emit docs/resnet50_stage2.net --target svg -o " + (dir / "stage2.svg"), source_dir());
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  std::string svg = read_file(dir / "stage2.svg");
  CHECK(svg.find("<svg") != std::string::npos);
  CHECK(svg.find("<title>cluster_0</title>") != std::string::npos);
  CHECK(svg.find(">res2a_branch2a</text>") != std::string::npos);
  CHECK(svg.find(">2c (identity_block)</text>") != std::string::npos);
}

TEST_CASE("--target svg without Graphviz says what is missing, and writes nothing") {
  TempDir dir;
  RunResult r = run_netc("emit docs/resnet50_stage2.net --target svg -o " + (dir / "stage2.svg"), source_dir(),
                         "PATH=" + dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.err == "netc: error: --target svg needs Graphviz's `dot` program, which is not on PATH (Debian: apt-get "
                 "install graphviz); --target dot writes the graph for drawing elsewhere\n");
  CHECK(!std::filesystem::exists(dir / "stage2.svg"));
}

}  // namespace netc::test
