// Expression evaluation (see Eval.hpp).
#include "elab/Eval.hpp"

#include <fmt/format.h>

namespace netc {

namespace {

using Kind = Value::Kind;

std::optional<Value> overflow(Reporter& report, SourceLoc at, const Value& a, const std::string& op, const Value& b) {
  report.error(at, fmt::format("integer overflow: {} {} {} does not fit in 64 bits", a.str(), op, b.str()));
  return std::nullopt;
}

std::optional<Value> int_arithmetic(const std::string& op, const Value& a, const Value& b, SourceLoc at, Reporter& report) {
  std::int64_t r = 0;
  bool overflowed = false;
  if (op == "+") overflowed = __builtin_add_overflow(a.i, b.i, &r);
  else if (op == "-") overflowed = __builtin_sub_overflow(a.i, b.i, &r);
  else if (op == "*") overflowed = __builtin_mul_overflow(a.i, b.i, &r);
  else {  // "/" and "%": truncating, as in C++
    if (b.i == 0) {
      report.error(at, fmt::format("division by zero in {} {} {}", a.str(), op, b.str()));
      return std::nullopt;
    }
    if (a.i == INT64_MIN && b.i == -1) return overflow(report, at, a, op, b);
    r = op == "/" ? a.i / b.i : a.i % b.i;
  }
  if (overflowed) return overflow(report, at, a, op, b);
  return Value::make_int(r, at);
}

std::optional<Value> float_arithmetic(const std::string& op, double a, double b, SourceLoc at, Reporter& report) {
  if (op == "%") {
    report.error(at, "'%' needs integers");
    return std::nullopt;
  }
  if (op == "/" && b == 0) {
    report.error(at, "division by zero");
    return std::nullopt;
  }
  double r = op == "+" ? a + b : op == "-" ? a - b : op == "*" ? a * b : a / b;
  return Value::make_float(r, at);
}

// `a x b`: integers and dimensions concatenate into dimensions.
std::optional<Value> dims(const Value& a, const Value& b, SourceLoc at, Reporter& report) {
  std::vector<std::int64_t> out;
  for (const Value* v : {&a, &b}) {
    if (v->kind == Kind::Int) out.push_back(v->i);
    else if (v->kind == Kind::Dims) out.insert(out.end(), v->dims.begin(), v->dims.end());
    else {
      report.error(v->loc, "'x' joins integers into dimensions, found " + v->describe());
      return std::nullopt;
    }
  }
  return Value::make_dims(std::move(out), at);
}

std::optional<Value> binary(const ast::Expr& e, const Scope& scope, Reporter& report) {
  auto lhs = evaluate(e.operands[0], scope, report);
  auto rhs = evaluate(e.operands[1], scope, report);
  if (!lhs || !rhs) return std::nullopt;
  if (e.text == "x") return dims(*lhs, *rhs, e.loc, report);
  for (const Value* v : {&*lhs, &*rhs}) {
    if (v->kind != Kind::Int && v->kind != Kind::Float) {
      report.error(v->loc, fmt::format("'{}' needs numbers, found {}", e.text, v->describe()));
      return std::nullopt;
    }
  }
  if (lhs->kind == Kind::Int && rhs->kind == Kind::Int) return int_arithmetic(e.text, *lhs, *rhs, e.loc, report);
  double a = lhs->kind == Kind::Int ? static_cast<double>(lhs->i) : lhs->f;
  double b = rhs->kind == Kind::Int ? static_cast<double>(rhs->i) : rhs->f;
  return float_arithmetic(e.text, a, b, e.loc, report);
}

std::optional<Value> lookup(const ast::Expr& e, const Scope& scope, Reporter& report, bool allow_words) {
  if (const Value* v = scope.find(e.text)) {
    Value copy = *v;
    copy.loc = e.loc;
    return copy;
  }
  if (allow_words) return Value::make_word(e.text, e.loc);
  report.error(e.loc, unknown_name(e.text, scope));
  return std::nullopt;
}

std::optional<Value> index(const ast::Expr& e, const Scope& scope, Reporter& report) {
  const Value* base = scope.find(e.text);
  if (!base) {
    report.error(e.loc, unknown_name(e.text, scope));
    return std::nullopt;
  }
  auto i = evaluate_int(e.operands[0], scope, report, "an index");
  if (!i) return std::nullopt;
  std::size_t size = base->kind == Kind::List ? base->list.size() : base->kind == Kind::Dims ? base->dims.size() : 0;
  if (base->kind != Kind::List && base->kind != Kind::Dims) {
    report.error(e.loc, fmt::format("'{}' is {}, which cannot be indexed", e.text, base->describe()));
    return std::nullopt;
  }
  if (*i < 0 || static_cast<std::size_t>(*i) >= size) {
    report.error(e.operands[0].loc, fmt::format("index {} is out of range: '{}' has {} elements (indices 0 to {})", *i,
                                                e.text, size, static_cast<std::int64_t>(size) - 1));
    return std::nullopt;
  }
  if (base->kind == Kind::Dims) return Value::make_int(base->dims[static_cast<std::size_t>(*i)], e.loc);
  Value v = base->list[static_cast<std::size_t>(*i)];
  v.loc = e.loc;
  return v;
}

}  // namespace

std::string unknown_name(const std::string& name, const Scope& scope) {
  std::string owner = scope.hidden_owner(name);
  if (owner.empty()) return "unknown name '" + name + "'" + did_you_mean(name, scope.names());
  return fmt::format("unknown name '{}': {} sees only its own parameters, and '{}' is a parameter of {}; pass it "
                     "as an argument", name, scope.owner(), name, owner);
}

std::optional<Value> evaluate(const ast::Expr& e, const Scope& scope, Reporter& report, bool allow_words) {
  switch (e.kind) {
    case ast::Expr::Kind::Invalid: return std::nullopt;  // reported by the parser
    case ast::Expr::Kind::Int: return Value::make_int(e.int_value, e.loc);
    case ast::Expr::Kind::Float: return Value::make_float(e.float_value, e.loc);
    case ast::Expr::Kind::Dims: return Value::make_dims(e.dims, e.loc);
    case ast::Expr::Kind::Name: return lookup(e, scope, report, allow_words);
    case ast::Expr::Kind::Index: return index(e, scope, report);
    case ast::Expr::Kind::Binary: return binary(e, scope, report);
    case ast::Expr::Kind::Negate: {
      auto v = evaluate(e.operands[0], scope, report);
      if (!v) return std::nullopt;
      if (v->kind == Kind::Float) return Value::make_float(-v->f, e.loc);
      if (v->kind == Kind::Int && v->i != INT64_MIN) return Value::make_int(-v->i, e.loc);
      if (v->kind == Kind::Int) return overflow(report, e.loc, Value::make_int(0, e.loc), "-", *v);
      report.error(e.loc, "'-' needs a number, found " + v->describe());
      return std::nullopt;
    }
    case ast::Expr::Kind::List: {
      std::vector<Value> items;
      bool ok = true;
      for (const ast::Expr& item : e.operands) {
        auto v = evaluate(item, scope, report);
        if (v) items.push_back(std::move(*v));
        else ok = false;
      }
      if (!ok) return std::nullopt;
      return Value::make_list(std::move(items), e.loc);
    }
  }
  return std::nullopt;
}

std::optional<std::int64_t> evaluate_int(const ast::Expr& e, const Scope& scope, Reporter& report, std::string_view what) {
  auto v = evaluate(e, scope, report);
  if (!v) return std::nullopt;
  if (v->kind != Kind::Int) {
    report.error(v->loc, fmt::format("{} must be an integer, found {}", what, v->describe()));
    return std::nullopt;
  }
  return v->i;
}

}  // namespace netc
