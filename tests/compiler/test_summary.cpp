// The summary's views: --depth (block uses, boxes and repeats collapsed to a row each) and a width that follows
// COLUMNS (names shortened, numbers never cut). Golden files for ResNet50, and properties for every model.
#include <doctest/doctest.h>

#include <regex>

#include "Harness.hpp"

namespace netc::test {

namespace {

const char* const kShippedModels[] = {"models/vgg16.net", "models/resnet50.net", "models/resnet50_torchvision.net",
                                      "models/course/vgg16_course.net", "models/course/resnet50_course.net",
                                      "examples/digits/digits_vgg.net", "examples/digits/digits_resnet.net"};

// The table's rows as (output shape, parameters, MACs), the numbers that must never be cut.
std::vector<std::string> numbers(const std::string& summary) {
  static const std::regex row(R"(  (\(None[^)]*\)) +([0-9,]+)  +([0-9,]+))");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(summary.begin(), summary.end(), row); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1].str() + " " + (*it)[2].str() + " " + (*it)[3].str());
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t begin = 0, end; begin < text.size(); begin = end + 1) {
    end = text.find('\n', begin);
    out.push_back(text.substr(begin, end - begin));
  }
  return out;
}

std::int64_t number(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), ','), text.end());
  return std::stoll(text);
}

}  // namespace

TEST_CASE("--depth and COLUMNS give the golden summaries of ResNet50") {
  const std::tuple<const char*, const char*, const char*> views[] = {
      {"summary models/resnet50.net --depth 0", "", "resnet50_depth0.summary"},
      {"summary models/resnet50.net", "COLUMNS=100", "resnet50_columns100.summary"}};
  for (const auto& [args, environment, golden_name] : views) {
    SUBCASE(golden_name) {
      std::string golden = read_file(source_dir() + "/tests/golden/" + golden_name);
      RunResult r = run_netc(args, source_dir(), environment);
      INFO(golden_name, "\n", first_difference(golden, r.out));
      CHECK(!golden.empty());
      CHECK(r.exit_code == 0);
      CHECK(r.out == golden);
    }
  }
}

TEST_CASE("a narrower table keeps every shape and number whole, and fits when names can make room") {
  for (const char* model : kShippedModels) {
    std::string full = run_netc(std::string("summary ") + model, source_dir()).out;
    std::vector<std::string> expected = numbers(full);
    REQUIRE(expected.size() > 5);
    for (int columns : {60, 80, 100, 120}) {
      RunResult r = run_netc(std::string("summary ") + model, source_dir(), "COLUMNS=" + std::to_string(columns));
      INFO(model, " at COLUMNS=", columns);
      CHECK(numbers(r.out) == expected);
      std::size_t rule = lines(r.out).at(1).size();
      for (const std::string& line : lines(r.out))
        if (line.rfind(" ", 0) == 0) CHECK(line.size() <= rule);  // a table row
      // Only the fixed columns' own width (shapes, numbers, the shortest names) may exceed the limit.
      if (rule > static_cast<std::size_t>(columns)) CHECK(rule <= full.find('\n', full.find('\n') + 1) - full.find('\n') - 1);
    }
  }
  // At 100 columns ResNet50 fits by shortening types and connections only.
  RunResult r = run_netc("summary models/resnet50.net", source_dir(), "COLUMNS=100");
  for (const std::string& line : lines(r.out)) CHECK(line.size() <= 100);
  CHECK(r.out.find(" res2a_branch2a (Con..) ") != std::string::npos);
}

TEST_CASE("--depth collapses nested groups to rows whose figures add up to the model's") {
  for (const char* model : kShippedModels) {
    std::string full = run_netc(std::string("summary ") + model, source_dir()).out;
    for (int depth : {0, 1, 8}) {
      RunResult r = run_netc(std::string("summary ") + model + " --depth " + std::to_string(depth), source_dir());
      INFO(model, " --depth ", depth);
      REQUIRE(r.exit_code == 0);
      std::int64_t params = 0, macs = 0;
      for (const std::string& row : numbers(r.out)) {
        std::size_t space = row.rfind(' ');
        macs += number(row.substr(space + 1));
        params += number(row.substr(row.rfind(' ', space - 1) + 1, space - row.rfind(' ', space - 1) - 1));
      }
      std::smatch total;
      REQUIRE(std::regex_search(r.out, total, std::regex("Total params: ([0-9,]+)")));
      CHECK(params == number(total[1]));
      REQUIRE(std::regex_search(r.out, total, std::regex("Total MACs: ([0-9,]+)")));
      CHECK(macs == number(total[1]));
      if (depth == 8) CHECK(r.out == full);  // no shipped model nests that deep
    }
  }
  RunResult vgg = run_netc("summary models/vgg16.net --depth 0", source_dir());
  CHECK(numbers(vgg.out).size() == 1 + 5 + 4);  // the input, five boxes, flatten and three dense layers
  CHECK(vgg.out.find("\n box 1 of 5 (layers = 2, filters = 64)   (None, 112, 112, 64)") != std::string::npos);
}

}  // namespace netc::test
