// The limits that keep hostile models from running for ever, compiled in memory with small budgets
// (ModelRequest::max_nodes, which fuzzing lowers too): layers, statements run, and repeats whose rounds
// add nothing or only meet errors again. The catalogue (tests/cases) has the same limits at full size.
#include <doctest/doctest.h>

#include <string>

#include "Harness.hpp"

namespace netc::test {

namespace {

ModelRequest budget(std::size_t max_nodes) {
  ModelRequest r;
  r.max_nodes = max_nodes;
  return r;
}

// Uses of a block that adds no layer, `fan` per block, nested `depth` deep: fan^depth uses in all.
std::string empty_blocks(int depth, int fan) {
  std::string text = "block b0() {\n}\n";
  for (int d = 1; d <= depth; ++d) {
    text += "block b" + std::to_string(d) + "() {\n";
    for (int k = 0; k < fan; ++k) text += "  b" + std::to_string(d - 1) + "()\n";
    text += "}\n";
  }
  return text + "model m(input = 4x4x1) {\n  b" + std::to_string(depth) + "()\n  relu\n}\n";
}

}  // namespace

TEST_CASE("a model that expands to more layers than allowed stops at the limit, with the place") {
  Compilation c = compile("model m(input = 4x4x1) {\n  repeat 100 { relu; relu }\n}\n", budget(50));
  CHECK(c.rendered() == "test.net:2:22: error: the model expands to more than 50 layers\n"
                        "  repeat 100 { relu; relu }\n"
                        "                     ^\n"
                        "test.net:2:3: note: in repetition 25 of 100\n"
                        "  repeat 100 { relu; relu }\n"
                        "  ^\n");
  CHECK(compile("model m(input = 4x4x1) {\n  repeat 48 { relu; relu }\n}\n", budget(100)).ok());
}

TEST_CASE("uses of empty blocks nested deep stop at the statement budget instead of running 10^20 times") {
  Compilation c = compile(empty_blocks(20, 10), budget(100));  // 10^20 uses, 400 statements allowed
  REQUIRE(c.diags.error_count() == 1);
  const Diagnostic& d = c.diags.all()[0];
  CHECK(d.message == "the model expands to more than 400 statements (every layer, block use and repeat counts each "
                     "time it is run)");
  CHECK(d.notes.size() == 10);  // innermost and outermost uses, and how many are not shown
  CHECK(d.notes[5].message.find("more enclosing block uses, boxes and repeats not shown") != std::string::npos);
  CHECK(compile(empty_blocks(2, 10), budget(100)).ok());  // 100 uses, 111 statements: within the budget
}

TEST_CASE("a repeat stops after a round that adds no layer or meets an error, and says so only once") {
  Compilation empty = compile(
      "model m(input = 4x4x1) {\n  repeat 1000000 { repeat 1000000 { repeat 1000000 { } } }\n  relu\n}\n", budget(10));
  CHECK(empty.ok());
  CHECK(empty.graph->nodes.size() == 2);
  // The error inside `bad` was reported at its first use; the 1,000,000 rounds of the second use would each
  // meet it again while adding a layer, so they stop after the first.
  Compilation repeated = compile(R"(block bad() {
  relu
  cnv
}
model m(input = 4x4x1) {
  bad()
  bad() x 1000000
  boxes layers [100000] { bad() }
})", budget(1000));
  CHECK(repeated.diags.error_count() == 1);
  CHECK(repeated.rendered().find("expands to more than") == std::string::npos);
}

TEST_CASE("residuals nested 250 deep inside 40 nested block uses stop at the nesting limit instead of the stack") {
  std::string text = "block b0() {\n  relu\n}\n";
  for (int d = 1; d <= 40; ++d) {
    text += "block b" + std::to_string(d) + "() {\n  ";
    for (int r = 0; r < 250; ++r) text += "residual { ";
    text += "b" + std::to_string(d - 1) + "()";
    for (int r = 0; r < 250; ++r) text += " }";
    text += "\n}\n";
  }
  Compilation c = compile(text + "model m(input = 4x4x1) {\n  b40()\n}\n");
  REQUIRE(c.diags.error_count() == 1);
  const Diagnostic& d = c.diags.all()[0];
  CHECK(d.message == "statements nest more than 1000 levels deep (the bodies of block uses, boxes, repeats and "
                     "residuals inside one another)");
  // The model's body is level 1 and b40's level 2; each block adds its body and 250 residuals' bodies, so
  // level 1001 is inside b37 (level 755), at the 246th residual's body, whose first statement is residual 247.
  CHECK(d.loc.line == 3 * 37 + 2);
  CHECK(d.loc.column == 3 + 246 * 11);
  REQUIRE(d.notes.size() == 4);
  CHECK(d.notes[0].message == "in block 'b37', used here as 'b401_b391_b381_b371'");
  CHECK(d.notes[3].message == "in block 'b40', used here as 'b401'");
}

}  // namespace netc::test
