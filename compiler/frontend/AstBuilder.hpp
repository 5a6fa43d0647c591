// Builds the project's AST from an ANTLR parse tree. Only construction: no semantic checks
// (literals that do not fit 64 bits are the one error found here, as they cannot be represented).
#pragma once

#include "NetParser.h"
#include "diag/Diagnostics.hpp"
#include "frontend/Ast.hpp"

namespace netc::frontend {

class AstBuilder {
public:
  AstBuilder(std::uint32_t file, Diagnostics& diags) : file_(file), diags_(diags) {}

  /// file : sep* (topDecl (sep+ topDecl)*)? sep* EOF
  ast::Module build(NetParser::FileContext* ctx);

private:
  ast::Definition definition(antlr4::tree::TerminalNode* name, NetParser::ParamsContext* params,
                             NetParser::BodyContext* body, antlr4::Token* start);
  ast::Param param(NetParser::ParamContext* ctx);
  ast::Body body(NetParser::BodyContext* ctx);
  ast::Stmt stmt(NetParser::StmtContext* ctx);
  ast::UseStmt use_stmt(NetParser::UseStmtContext* ctx);
  ast::LayerStmt layer_stmt(NetParser::LayerStmtContext* ctx);
  ast::BoxesStmt boxes_stmt(NetParser::BoxesStmtContext* ctx);
  ast::StageStmt stage_stmt(NetParser::StageStmtContext* ctx);
  ast::ResidualStmt residual_stmt(NetParser::ResidualStmtContext* ctx);
  ast::RepeatStmt repeat_stmt(NetParser::RepeatStmtContext* ctx);
  ast::ConcatStmt concat_stmt(NetParser::ConcatStmtContext* ctx);
  std::optional<ast::Ident> name_clause(NetParser::NameClauseContext* ctx);
  ast::Expr expr(NetParser::ExprContext* ctx);
  ast::Expr primary(NetParser::PrimaryContext* ctx);
  ast::Expr binary(std::string op, NetParser::ExprContext* lhs, NetParser::ExprContext* rhs, antlr4::Token* at);
  /// The literal's value; nullopt (reported) when it does not fit in 64 bits.
  std::optional<std::int64_t> int_literal(const std::string& text, SourceLoc loc);

  ast::Ident ident(antlr4::Token* t) const;
  ast::Ident ident(antlr4::tree::TerminalNode* n) const { return ident(n->getSymbol()); }
  SourceLoc loc(const antlr4::Token* t) const;

  std::uint32_t file_;
  Diagnostics& diags_;
};

}  // namespace netc::frontend
