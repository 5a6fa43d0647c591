// parse_module: UTF-8 and token checks, the ANTLR parse with syntax errors turned into diagnostics,
// a depth check, then the AST builder.
#include "frontend/Parser.hpp"

#include <fmt/format.h>

#include "NetLexer.h"
#include "NetParser.h"
#include "antlr4-runtime.h"
#include "frontend/AstBuilder.hpp"
#include "frontend/Lexing.hpp"

namespace netc {

namespace {

// How a token type reads in "expected ..." lists.
std::string token_name(const antlr4::dfa::Vocabulary& vocab, std::size_t type) {
  switch (type) {
    case antlr4::Token::EOF: return "end of file";
    case NetLexer::NL: return "newline";
    case NetLexer::ID: return "name";
    case NetLexer::INT: return "integer";
    case NetLexer::FLOAT: return "number";
    case NetLexer::DIMS: return "dimensions (like 3x3)";
    case NetLexer::STRING: return "string";
    case NetLexer::LIBRARY_PATH: return "<file> (a file on the import search path)";
    default: return vocab.getLiteralName(type);
  }
}

std::string describe_token(const antlr4::Token* t) {
  if (!t || t->getType() == antlr4::Token::EOF) return "end of file";
  if (t->getType() == NetLexer::NL) return "newline";
  return "'" + t->getText() + "'";
}

/// Turns ANTLR syntax errors into diagnostics: "unexpected X; expected one of ...".
class SyntaxErrorCollector : public antlr4::BaseErrorListener {
public:
  SyntaxErrorCollector(std::uint32_t file, Diagnostics& diags) : file_(file), diags_(diags) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line, size_t column,
                   const std::string&, std::exception_ptr) override {
    if (++count_ > kMaxSyntaxErrors) return;
    SourceLoc at{file_, static_cast<std::uint32_t>(line), static_cast<std::uint32_t>(column + 1)};
    std::string message = "syntax error: unexpected " + describe_token(offending);
    if (auto* parser = dynamic_cast<antlr4::Parser*>(recognizer)) {
      antlr4::misc::IntervalSet expected = parser->getExpectedTokens();
      std::vector<std::string> names;
      for (std::size_t type : expected.toList()) names.push_back(token_name(parser->getVocabulary(), type));
      if (!names.empty() && names.size() <= 8)
        message += names.size() == 1 ? "; expected " + names[0] : "; expected one of " + fmt::format("{}", fmt::join(names, ", "));
    }
    diags_.error(at, message);
  }

  int count() const { return count_; }

private:
  std::uint32_t file_;
  Diagnostics& diags_;
  int count_ = 0;
};

// Depth of the parse tree, without recursion (a long `1+1+...+1` makes a deep left-nested tree).
bool check_tree_depth(std::uint32_t file, antlr4::tree::ParseTree* root, Diagnostics& diags) {
  std::vector<std::pair<antlr4::tree::ParseTree*, int>> stack{{root, 1}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (depth > kMaxTreeDepth) {
      auto* ctx = dynamic_cast<antlr4::ParserRuleContext*>(node);
      auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(node);
      antlr4::Token* t = ctx ? ctx->getStart() : terminal ? terminal->getSymbol() : nullptr;
      SourceLoc at = t ? SourceLoc{file, static_cast<std::uint32_t>(t->getLine()),
                                   static_cast<std::uint32_t>(t->getCharPositionInLine() + 1)}
                       : SourceLoc{file, 1, 1};
      diags.error(at, fmt::format("expression or nesting is too deep: more than {} levels", kMaxTreeDepth));
      return false;
    }
    for (antlr4::tree::ParseTree* child : node->children) stack.emplace_back(child, depth + 1);
  }
  return true;
}

// The lexer ends lines at LF (a CR before it is white space): a CR that ends a line on its own becomes a LF,
// which keeps every byte where it was, so that tokens' places are the file's.
std::string with_lf_line_ends(const std::string& text) {
  std::string out = text;
  for (std::size_t i = 0; i < out.size(); ++i)
    if (out[i] == '\r' && is_line_end(out, i)) out[i] = '\n';
  return out;
}

}  // namespace

std::optional<ast::Module> parse_module(std::uint32_t file, const SourceManager& sources, Diagnostics& diags) {
  const std::string& text = sources.text(file);
  if (!frontend::check_utf8(file, text, diags)) return std::nullopt;
  try {
    antlr4::ANTLRInputStream input(with_lf_line_ends(text));
    NetLexer lexer(&input);
    lexer.removeErrorListeners();  // the lexer cannot fail: every character is some token
    antlr4::CommonTokenStream tokens(&lexer);
    tokens.fill();
    if (!frontend::check_tokens(file, tokens, diags)) return std::nullopt;

    NetParser parser(&tokens);
    parser.removeErrorListeners();
    SyntaxErrorCollector collector(file, diags);
    parser.addErrorListener(&collector);
    NetParser::FileContext* tree = parser.file();
    if (collector.count() > 0) return std::nullopt;
    if (!check_tree_depth(file, tree, diags)) return std::nullopt;

    return frontend::AstBuilder(file, diags).build(tree);
  } catch (const std::exception& e) {
    diags.error({file, 1, 1}, std::string("internal error while parsing: ") + e.what());
    return std::nullopt;
  }
}

}  // namespace netc
