// The abstract syntax tree of a .net file: what was written, with a source location on every node.
// Built by the ANTLR visitor (AstBuilder.cpp); no ANTLR type appears here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "diag/Source.hpp"

namespace netc::ast {

/// A name as written, with its place.
struct Ident {
  std::string text;
  SourceLoc loc;
};

/// An expression: a literal, a name, a list, or an operator applied to operands.
struct Expr {
  enum class Kind { Int, Float, Dims, Name, Index, List, Negate, Binary, Invalid };  // Invalid: a bad literal
  Kind kind = Kind::Int;
  SourceLoc loc;
  std::int64_t int_value = 0;        // Int
  double float_value = 0;            // Float
  std::vector<std::int64_t> dims;    // Dims literal such as 224x224x3
  std::string text;                  // Name and Index: the name; Binary: the operator ("+", "x", ...)
  std::vector<Expr> operands;        // Index: [index]; List: elements; Negate: [x]; Binary: [lhs, rhs]
};

/// An argument of a block use: positional, or `name = value`.
struct Arg {
  std::optional<Ident> keyword;
  Expr value;
};

struct Stmt;
using Body = std::vector<Stmt>;

/// `conv 64 3x3 same relu as conv1`: a layer kind and the items that follow it.
struct LayerStmt {
  Ident kind;
  std::vector<Expr> items;
  std::optional<Ident> name;
  SourceLoc loc;
};

/// `identity_block(3, [64, 64, 256]) x 2 as b`: an instantiation of a user-defined block.
struct UseStmt {
  Ident block;
  std::vector<Arg> args;
  std::optional<Expr> repeat;
  std::optional<Ident> name;
  SourceLoc loc;
};

/// VGG boxes: named lists (one of them `layers`, the layer count per box), a template, closing layers.
struct BoxesStmt {
  std::vector<std::pair<Ident, Expr>> lists;
  Body templ;
  std::vector<LayerStmt> closers;
  SourceLoc loc;
};

/// `stage 2: a(...), b(...) x 2`.
struct StageStmt {
  Expr number;
  std::vector<UseStmt> uses;
  SourceLoc loc;
};

/// A main path and a shortcut path (identity when absent) joined by an add.
struct ResidualStmt {
  Body main;
  std::optional<Body> shortcut;
  std::optional<Ident> name;
  SourceLoc loc;
};

/// `repeat 3 { ... }`.
struct RepeatStmt {
  Expr count;
  Body body;
  SourceLoc loc;
};

/// `concat { branch { ... } branch { } } as mixed0`: branches from the same input (an empty one is the
/// input itself) joined along the channels.
struct ConcatStmt {
  std::vector<Body> branches;
  std::vector<SourceLoc> branch_locs;
  std::optional<Ident> name;
  SourceLoc loc;
};

struct Stmt {
  std::variant<LayerStmt, UseStmt, BoxesStmt, StageStmt, ResidualStmt, RepeatStmt, ConcatStmt> node;
};

/// A parameter: `f`, `s = 2`, or a destructured list `filters [F1, F2, F3]` (name may be empty).
struct Param {
  Ident name;
  std::vector<Ident> fields;
  std::optional<Expr> default_value;
  SourceLoc loc;
};

/// A model or a block: a name, parameters and a body.
struct Definition {
  Ident name;
  std::vector<Param> params;
  Body body;
  SourceLoc loc;
};

/// `import "path.net"` (relative to the importing file) or `import <path.net>` (on the import search path).
struct Import {
  std::string path;
  SourceLoc loc;
  bool from_search_path = false;
};

/// One parsed file.
struct Module {
  std::uint32_t file = 0;
  std::vector<Import> imports;
  std::vector<Definition> blocks;
  std::vector<Definition> models;
};

}  // namespace netc::ast
