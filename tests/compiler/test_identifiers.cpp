// The identifiers netc makes from .net names and the text it escapes into generated files: the rules of
// emit/Identifiers.hpp, ops/CppCode.hpp and ops/PyCode.hpp on the names and bytes that break naive ones.
#include <doctest/doctest.h>

#include <set>

#include "emit/Identifiers.hpp"
#include "ops/CppCode.hpp"
#include "ops/PyCode.hpp"

namespace netc::test {

TEST_CASE("plain layer names are their own stems; names C++ reserves or that end in '_' are escaped") {
  CHECK(identifier_stem("conv1") == "conv1");
  CHECK(identifier_stem("res2a_branch2a") == "res2a_branch2a");
  CHECK(identifier_stem("NULL") == "NULL");  // netc appends a suffix: NULL_, NULL_out
  CHECK(identifier_stem("_1x") == "_x_u1x");
  CHECK(identifier_stem("__init") == "_x_u_uinit");
  CHECK(identifier_stem("conv_") == "_xconv_u");
  CHECK(identifier_stem("a__b") == "_xa_u_ub");
  CHECK(identifier_stem("_") == "_x_u");
  CHECK(identifier_stem("_Foo") == "_x_uFoo");
}

TEST_CASE("stems are distinct, hold no double underscore and never begin with '_' and a capital") {
  // Every name of up to three characters from an alphabet with the troublesome characters.
  const std::string alphabet = "_aZ1";
  std::vector<std::string> names;
  for (char a : std::string("_aZ")) {
    names.emplace_back(1, a);
    for (char b : alphabet) {
      names.push_back(std::string{a, b});
      for (char c : alphabet) names.push_back(std::string{a, b, c});
    }
  }
  std::set<std::string> stems;
  for (const std::string& name : names) {
    std::string stem = identifier_stem(name);
    CAPTURE(name);
    CHECK(stems.insert(stem).second);
    CHECK(stem.find("__") == std::string::npos);
    CHECK(stem.back() != '_');
    CHECK(!(stem[0] == '_' && std::isupper(static_cast<unsigned char>(stem[1]))));
    for (const char* suffix : {"_", "_out", "_logits"}) CHECK((stem + suffix).find("__") == std::string::npos);
  }
}

TEST_CASE("class names are CamelCase, with Model in front when that would be a macro, a keyword or not a name") {
  CHECK(class_name("vgg16") == "Vgg16");
  CHECK(class_name("resnet50_course") == "Resnet50Course");
  CHECK(class_name("_1x") == "Model1x");
  CHECK(class_name("n_a_n") == "ModelNAN");
  CHECK(class_name("e_o_f") == "ModelEOF");
  CHECK(class_name("n_u_l_l") == "ModelNULL");
  CHECK(class_name("f") == "ModelF");  // Python's F (torch.nn.functional) and a one-letter macro
  CHECK(class_name("eigen") == "ModelEigen");
  CHECK(class_name("none") == "ModelNone");
  CHECK(class_name("true") == "ModelTrue");
  CHECK(class_name("__") == "Model");
  CHECK(class_name("a__bc") == "ABc");
  CHECK(class_name("a__b") == "ModelAB");
}

TEST_CASE("comments keep printable text and UTF-8, and escape what could end or disguise a line") {
  CHECK(comment_text("models/resnet50.net") == "models/resnet50.net");
  CHECK(comment_text("a\nb") == "a\\nb");
  CHECK(comment_text("a\r\nint x;") == "a\\r\\nint x;");
  CHECK(comment_text("dir\\") == "dir\\x5c");  // a trailing backslash, even doubled, continues a // comment
  CHECK(comment_text("what?" "?/") == "what?\\x3f/");  // the trigraph of a backslash
  CHECK(comment_text("caf\xc3\xa9.net") == "caf\xc3\xa9.net");
  CHECK(comment_text("bad\xff\xc3(") == "bad\\xff\\xc3(");
  CHECK(comment_text("\xed\xa0\x80") == "\\xed\\xa0\\x80");   // a UTF-16 surrogate is not UTF-8
  CHECK(comment_text("\xe2\x80\xae" "x") == "\\u202ex");       // right-to-left override
  CHECK(comment_text("\xe2\x80\xa8") == "\\u2028");            // line separator
  CHECK(comment_text("\x1b[31m") == "\\x1b[31m");
}

TEST_CASE("string literals escape quotes, backslashes and every byte outside printable ASCII") {
  CHECK(cpp_string("conv1.weight") == "\"conv1.weight\"");
  CHECK(cpp_string("a\"b\\c\n") == "\"a\\\"b\\\\c\\012\"");
  CHECK(cpp_string("caf\xc3\xa9") == "\"caf\\303\\251\"");
  CHECK(py_string("relu1/logits") == "\"relu1/logits\"");
  CHECK(py_string("a\"b\\c\n\xff") == "\"a\\\"b\\\\c\\x0a\\xff\"");
}

}  // namespace netc::test
