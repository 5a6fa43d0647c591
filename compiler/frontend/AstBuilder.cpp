// Parse tree to AST (see AstBuilder.hpp). Each method builds one grammar rule, named above it.
#include "frontend/AstBuilder.hpp"

#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

namespace netc::frontend {

using namespace netc::ast;

SourceLoc AstBuilder::loc(const antlr4::Token* t) const {
  return {file_, static_cast<std::uint32_t>(t->getLine()), static_cast<std::uint32_t>(t->getCharPositionInLine() + 1)};
}

Ident AstBuilder::ident(antlr4::Token* t) const { return {t->getText(), loc(t)}; }

// file : sep* (topDecl (sep+ topDecl)*)? sep* EOF
Module AstBuilder::build(NetParser::FileContext* ctx) {
  Module m;
  m.file = file_;
  for (auto* top : ctx->topDecl()) {
    if (auto* imp = top->importDecl()) {
      antlr4::tree::TerminalNode* path = imp->STRING() ? imp->STRING() : imp->LIBRARY_PATH();
      std::string quoted = path->getText();
      m.imports.push_back({quoted.substr(1, quoted.size() - 2), loc(imp->getStart()), imp->LIBRARY_PATH() != nullptr});
    } else if (auto* model = top->modelDecl()) {
      m.models.push_back(definition(model->ID(), model->params(), model->body(), model->getStart()));
    } else if (auto* block = top->blockDecl()) {
      m.blocks.push_back(definition(block->ID(), block->params(), block->body(), block->getStart()));
    }
  }
  return m;
}

// modelDecl : 'model' ID '(' params? ')' body ;  blockDecl : 'block' ID '(' params? ')' body
Definition AstBuilder::definition(antlr4::tree::TerminalNode* name, NetParser::ParamsContext* params,
                                  NetParser::BodyContext* body_ctx, antlr4::Token* start) {
  Definition d;
  d.name = ident(name);
  d.loc = loc(start);
  if (params)
    for (auto* p : params->param()) d.params.push_back(param(p));
  d.body = body(body_ctx);
  return d;
}

// param : ID ('=' expr)? # scalarParam | name=ID? '[' fields+=ID (',' fields+=ID)* ']' ('=' expr)? # listParam
Param AstBuilder::param(NetParser::ParamContext* ctx) {
  Param p;
  p.loc = loc(ctx->getStart());
  if (auto* scalar = dynamic_cast<NetParser::ScalarParamContext*>(ctx)) {
    p.name = ident(scalar->ID());
    if (scalar->expr()) p.default_value = expr(scalar->expr());
  } else if (auto* list = dynamic_cast<NetParser::ListParamContext*>(ctx)) {
    if (list->name) p.name = ident(list->name);
    for (antlr4::Token* f : list->fields) p.fields.push_back(ident(f));
    if (list->expr()) p.default_value = expr(list->expr());
  }
  return p;
}

// body : '{' sep* (stmt (sep+ stmt)*)? sep* '}'
Body AstBuilder::body(NetParser::BodyContext* ctx) {
  Body b;
  for (auto* s : ctx->stmt()) b.push_back(stmt(s));
  return b;
}

// stmt : useStmt | layerStmt | boxesStmt | stageStmt | residualStmt | repeatStmt | concatStmt
Stmt AstBuilder::stmt(NetParser::StmtContext* ctx) {
  if (ctx->useStmt()) return {use_stmt(ctx->useStmt())};
  if (ctx->layerStmt()) return {layer_stmt(ctx->layerStmt())};
  if (ctx->boxesStmt()) return {boxes_stmt(ctx->boxesStmt())};
  if (ctx->stageStmt()) return {stage_stmt(ctx->stageStmt())};
  if (ctx->residualStmt()) return {residual_stmt(ctx->residualStmt())};
  if (ctx->concatStmt()) return {concat_stmt(ctx->concatStmt())};
  return {repeat_stmt(ctx->repeatStmt())};
}

// useStmt : ID '(' args? ')' ('x' repeat=expr)? nameClause?   with   arg : (key=ID '=')? expr
UseStmt AstBuilder::use_stmt(NetParser::UseStmtContext* ctx) {
  UseStmt u;
  u.block = ident(ctx->ID());
  u.loc = loc(ctx->getStart());
  if (ctx->args()) {
    for (auto* a : ctx->args()->arg()) {
      Arg arg{std::nullopt, expr(a->expr())};
      if (a->key) arg.keyword = ident(a->key);
      u.args.push_back(std::move(arg));
    }
  }
  if (ctx->repeat) u.repeat = expr(ctx->repeat);
  u.name = name_clause(ctx->nameClause());
  return u;
}

// layerStmt : ID item* nameClause?   with   item : expr
LayerStmt AstBuilder::layer_stmt(NetParser::LayerStmtContext* ctx) {
  LayerStmt l;
  l.kind = ident(ctx->ID());
  l.loc = loc(ctx->getStart());
  for (auto* item : ctx->item()) l.items.push_back(expr(item->expr()));
  l.name = name_clause(ctx->nameClause());
  return l;
}

// nameClause : 'as' ID
std::optional<Ident> AstBuilder::name_clause(NetParser::NameClauseContext* ctx) {
  if (!ctx) return std::nullopt;
  return ident(ctx->ID());
}

// boxesStmt : 'boxes' boxList+ body (NL* 'then' layerStmt (',' layerStmt)*)?   with   boxList : ID expr
BoxesStmt AstBuilder::boxes_stmt(NetParser::BoxesStmtContext* ctx) {
  BoxesStmt b;
  b.loc = loc(ctx->getStart());
  for (auto* list : ctx->boxList()) b.lists.emplace_back(ident(list->ID()), expr(list->expr()));
  b.templ = body(ctx->body());
  for (auto* closer : ctx->layerStmt()) b.closers.push_back(layer_stmt(closer));
  return b;
}

// stageStmt : 'stage' expr ':' useStmt (',' NL* useStmt)*
StageStmt AstBuilder::stage_stmt(NetParser::StageStmtContext* ctx) {
  StageStmt s{expr(ctx->expr()), {}, loc(ctx->getStart())};
  for (auto* use : ctx->useStmt()) s.uses.push_back(use_stmt(use));
  return s;
}

// residualStmt : 'residual' body (NL* 'shortcut' body)? nameClause?
ResidualStmt AstBuilder::residual_stmt(NetParser::ResidualStmtContext* ctx) {
  ResidualStmt r;
  r.loc = loc(ctx->getStart());
  r.main = body(ctx->body(0));
  if (ctx->SHORTCUT()) r.shortcut = body(ctx->body(1));
  r.name = name_clause(ctx->nameClause());
  return r;
}

// concatStmt : 'concat' '{' sep* (branchClause (sep+ branchClause)*)? sep* '}' nameClause?
// branchClause : 'branch' body
ConcatStmt AstBuilder::concat_stmt(NetParser::ConcatStmtContext* ctx) {
  ConcatStmt c;
  c.loc = loc(ctx->getStart());
  for (auto* branch : ctx->branchClause()) {
    c.branches.push_back(body(branch->body()));
    c.branch_locs.push_back(loc(branch->getStart()));
  }
  c.name = name_clause(ctx->nameClause());
  return c;
}

// repeatStmt : 'repeat' count=expr body
RepeatStmt AstBuilder::repeat_stmt(NetParser::RepeatStmtContext* ctx) {
  return {expr(ctx->count), body(ctx->body()), loc(ctx->getStart())};
}

Expr AstBuilder::binary(std::string op, NetParser::ExprContext* lhs, NetParser::ExprContext* rhs, antlr4::Token* at) {
  Expr e;
  e.kind = Expr::Kind::Binary;
  e.loc = loc(at);
  e.text = std::move(op);
  e.operands.push_back(expr(lhs));
  e.operands.push_back(expr(rhs));
  return e;
}

// expr : '-' expr # negate | expr ('*'|'/'|'%') expr # mulDiv | expr ('+'|'-') expr # addSub
//      | expr 'x' expr # dims | primary # atom
Expr AstBuilder::expr(NetParser::ExprContext* ctx) {
  if (auto* neg = dynamic_cast<NetParser::NegateContext*>(ctx)) {
    Expr e;
    e.kind = Expr::Kind::Negate;
    e.loc = loc(neg->getStart());
    e.operands.push_back(expr(neg->expr()));
    return e;
  }
  if (auto* md = dynamic_cast<NetParser::MulDivContext*>(ctx))
    return binary(md->op->getText(), md->expr(0), md->expr(1), md->op);
  if (auto* as = dynamic_cast<NetParser::AddSubContext*>(ctx))
    return binary(as->op->getText(), as->expr(0), as->expr(1), as->op);
  if (auto* d = dynamic_cast<NetParser::DimsContext*>(ctx)) return binary("x", d->expr(0), d->expr(1), d->X()->getSymbol());
  return primary(dynamic_cast<NetParser::AtomContext*>(ctx)->primary());
}

std::optional<std::int64_t> AstBuilder::int_literal(const std::string& text, SourceLoc at) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    diags_.error(at, fmt::format("integer literal '{}' is too large (at most 9223372036854775807)", text));
    return std::nullopt;
  }
  return v;
}

// primary : INT | FLOAT | DIMS | ID '[' expr ']' | ID | '(' expr ')' | '[' (expr (',' expr)*)? ']'
Expr AstBuilder::primary(NetParser::PrimaryContext* ctx) {
  Expr e;
  e.loc = loc(ctx->getStart());
  if (auto* i = dynamic_cast<NetParser::IntLitContext*>(ctx)) {
    auto v = int_literal(i->INT()->getText(), e.loc);
    e.kind = v ? Expr::Kind::Int : Expr::Kind::Invalid;
    e.int_value = v.value_or(0);
  } else if (auto* f = dynamic_cast<NetParser::FloatLitContext*>(ctx)) {
    e.kind = Expr::Kind::Float;
    e.float_value = std::strtod(f->FLOAT()->getText().c_str(), nullptr);
  } else if (auto* d = dynamic_cast<NetParser::DimsLitContext*>(ctx)) {
    e.kind = Expr::Kind::Dims;
    std::string text = d->DIMS()->getText();
    for (std::size_t begin = 0; begin <= text.size();) {
      std::size_t end = text.find('x', begin);
      if (end == std::string::npos) end = text.size();
      auto v = int_literal(text.substr(begin, end - begin), e.loc);
      if (!v) e.kind = Expr::Kind::Invalid;
      e.dims.push_back(v.value_or(0));
      begin = end + 1;
    }
  } else if (auto* idx = dynamic_cast<NetParser::IndexContext*>(ctx)) {
    e.kind = Expr::Kind::Index;
    e.text = idx->ID()->getText();
    e.operands.push_back(expr(idx->expr()));
  } else if (auto* n = dynamic_cast<NetParser::NameContext*>(ctx)) {
    e.kind = Expr::Kind::Name;
    e.text = n->ID()->getText();
  } else if (auto* p = dynamic_cast<NetParser::ParenContext*>(ctx)) {
    return expr(p->expr());
  } else if (auto* l = dynamic_cast<NetParser::ListContext*>(ctx)) {
    e.kind = Expr::Kind::List;
    for (auto* item : l->expr()) e.operands.push_back(expr(item));
  }
  return e;
}

}  // namespace netc::frontend
