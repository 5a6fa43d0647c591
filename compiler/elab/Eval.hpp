// Evaluating .net expressions: integer arithmetic is checked for overflow and division by zero.
#pragma once

#include <optional>

#include "diag/Reporter.hpp"
#include "elab/Value.hpp"
#include "frontend/Ast.hpp"

namespace netc {

/// Evaluates `e` in `scope`. With allow_words, a name that is not bound becomes a Word value (a layer item
/// such as `same`); otherwise it is an error. Errors are reported and give no value.
std::optional<Value> evaluate(const ast::Expr& e, const Scope& scope, Reporter& report, bool allow_words = false);

/// "unknown name 'x'" with what may help: a parameter of an enclosing definition that a block cannot see,
/// or a name in scope it may be a typo of.
std::string unknown_name(const std::string& name, const Scope& scope);

/// Evaluates to an integer, or reports what was found instead.
std::optional<std::int64_t> evaluate_int(const ast::Expr& e, const Scope& scope, Reporter& report, std::string_view what);

}  // namespace netc
