// AST printing (see AstDump.hpp).
#include "frontend/AstDump.hpp"

#include <fmt/format.h>

namespace netc {

namespace {

std::string at(SourceLoc loc) { return fmt::format("@{}:{}", loc.line, loc.column); }

class Dumper {
public:
  std::string out;

  void definition(std::string_view kind, const ast::Definition& d) {
    line(0, fmt::format("{} {} {}", kind, d.name.text, at(d.loc)));
    for (const ast::Param& p : d.params) {
      std::string fields;
      if (!p.fields.empty()) {
        std::vector<std::string> names;
        for (const ast::Ident& f : p.fields) names.push_back(f.text);
        fields = fmt::format("{}[{}]", p.name.text.empty() ? "" : " ", fmt::join(names, ", "));
      }
      std::string value = p.default_value ? " = " + expr_text(*p.default_value) : "";
      line(1, fmt::format("param {}{}{} {}", p.name.text, fields, value, at(p.loc)));
    }
    body(1, d.body);
  }

private:
  void line(int depth, const std::string& text) { out += std::string(2 * static_cast<std::size_t>(depth), ' ') + text + "\n"; }

  void body(int depth, const ast::Body& b) {
    for (const ast::Stmt& s : b) std::visit([&](const auto& stmt) { statement(depth, stmt); }, s.node);
  }

  static std::string name_clause(const std::optional<ast::Ident>& name) { return name ? " as " + name->text : ""; }

  void statement(int depth, const ast::LayerStmt& s) {
    std::string items;
    for (const ast::Expr& e : s.items) items += " " + expr_text(e);
    line(depth, fmt::format("layer {}{}{} {}", s.kind.text, items, name_clause(s.name), at(s.loc)));
  }
  void statement(int depth, const ast::UseStmt& s) {
    std::vector<std::string> args;
    for (const ast::Arg& a : s.args) args.push_back((a.keyword ? a.keyword->text + " = " : "") + expr_text(a.value));
    std::string repeat = s.repeat ? " x " + expr_text(*s.repeat) : "";
    line(depth, fmt::format("use {}({}){}{} {}", s.block.text, fmt::join(args, ", "), repeat, name_clause(s.name), at(s.loc)));
  }
  void statement(int depth, const ast::BoxesStmt& s) {
    line(depth, "boxes " + at(s.loc));
    for (const auto& [name, list] : s.lists) line(depth + 1, fmt::format("list {} = {} {}", name.text, expr_text(list), at(name.loc)));
    line(depth + 1, "template");
    body(depth + 2, s.templ);
    if (s.closers.empty()) return;
    line(depth + 1, "then");
    for (const ast::LayerStmt& c : s.closers) statement(depth + 2, c);
  }
  void statement(int depth, const ast::StageStmt& s) {
    line(depth, fmt::format("stage {} {}", expr_text(s.number), at(s.loc)));
    for (const ast::UseStmt& u : s.uses) statement(depth + 1, u);
  }
  void statement(int depth, const ast::ResidualStmt& s) {
    line(depth, fmt::format("residual{} {}", name_clause(s.name), at(s.loc)));
    line(depth + 1, "main");
    body(depth + 2, s.main);
    line(depth + 1, s.shortcut ? "shortcut" : "shortcut identity");
    if (s.shortcut) body(depth + 2, *s.shortcut);
  }
  void statement(int depth, const ast::ConcatStmt& s) {
    line(depth, fmt::format("concat{} {}", name_clause(s.name), at(s.loc)));
    for (std::size_t i = 0; i < s.branches.size(); ++i) {
      const char* identity = s.branches[i].empty() ? " identity" : "";
      line(depth + 1, fmt::format("branch {}{} {}", i + 1, identity, at(s.branch_locs[i])));
      body(depth + 2, s.branches[i]);
    }
  }
  void statement(int depth, const ast::RepeatStmt& s) {
    line(depth, fmt::format("repeat {} {}", expr_text(s.count), at(s.loc)));
    body(depth + 1, s.body);
  }
};

std::string operand(const ast::Expr& e) {
  bool compound = e.kind == ast::Expr::Kind::Binary || e.kind == ast::Expr::Kind::Negate;
  return compound ? "(" + expr_text(e) + ")" : expr_text(e);
}

}  // namespace

std::string expr_text(const ast::Expr& e) {
  switch (e.kind) {
    case ast::Expr::Kind::Invalid: return "<invalid>";
    case ast::Expr::Kind::Int: return std::to_string(e.int_value);
    case ast::Expr::Kind::Float: return fmt::format("{}", e.float_value);
    case ast::Expr::Kind::Dims: return fmt::format("{}", fmt::join(e.dims, "x"));
    case ast::Expr::Kind::Name: return e.text;
    case ast::Expr::Kind::Index: return e.text + "[" + expr_text(e.operands[0]) + "]";
    case ast::Expr::Kind::Negate: return "-" + operand(e.operands[0]);
    case ast::Expr::Kind::Binary: return operand(e.operands[0]) + " " + e.text + " " + operand(e.operands[1]);
    case ast::Expr::Kind::List: {
      std::vector<std::string> items;
      for (const ast::Expr& item : e.operands) items.push_back(expr_text(item));
      return fmt::format("[{}]", fmt::join(items, ", "));
    }
  }
  return "";
}

std::string dump_ast(const ast::Module& module, const SourceManager& sources) {
  Dumper d;
  d.out = "module " + sources.path(module.file) + "\n";
  for (const ast::Import& i : module.imports)
    d.out += fmt::format("import {}{}{} {}\n", i.from_search_path ? "<" : "\"", i.path, i.from_search_path ? ">" : "\"",
                         at(i.loc));
  for (const ast::Definition& b : module.blocks) d.definition("block", b);
  for (const ast::Definition& m : module.models) d.definition("model", m);
  return d.out;
}

}  // namespace netc
