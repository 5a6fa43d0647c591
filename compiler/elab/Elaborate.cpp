// Elaboration of models, layers, boxes, stages, residuals, concats and repeats into the IR graph (see
// Elaborate.hpp).
// Block uses and their arguments live in Blocks.cpp.
#include "elab/Elaborator.hpp"

#include <fmt/format.h>

#include "elab/Eval.hpp"
#include "ops/Input.hpp"

namespace netc {

NodeId Elaborator::add_node(std::unique_ptr<Layer> layer, std::vector<NodeId> inputs, SourceLoc loc, NameRequest name) {
  if (graph_.nodes.size() >= max_nodes_) {
    if (!too_big_) report_.error(loc, fmt::format("the model expands to more than {} layers", max_nodes_));
    too_big_ = true;
    return inputs.empty() ? 0 : inputs[0];
  }
  Node node;
  node.id = static_cast<NodeId>(graph_.nodes.size());
  node.layer = std::move(layer);
  node.inputs = std::move(inputs);
  node.loc = loc;
  node.trace = trace_;
  graph_.nodes.push_back(std::move(node));
  names_.push_back(std::move(name));
  return graph_.nodes.back().id;
}

bool Elaborator::count_statement(SourceLoc loc) {
  if (too_big_) return false;
  if (++statements_ <= kStatementsPerNode * max_nodes_) return true;
  report_.error(loc, fmt::format("the model expands to more than {} statements (every layer, block use and repeat "
                                 "counts each time it is run)", kStatementsPerNode * max_nodes_));
  too_big_ = true;
  return false;
}

bool Elaborator::next_round(std::size_t nodes_before, std::size_t errors_before) const {
  return !too_big_ && graph_.nodes.size() > nodes_before && diags_.errors_found() == errors_before;
}

NodeId Elaborator::body(const ast::Body& statements, const Scope& scope, NodeId x, NameScope& names) {
  if (statements.empty() || too_big_) return x;
  auto loc_of = [](const ast::Stmt& s) { return std::visit([](const auto& stmt) { return stmt.loc; }, s.node); };
  if (depth_ >= kMaxNestingDepth) {
    report_.error(loc_of(statements.front()),
                  fmt::format("statements nest more than {} levels deep (the bodies of block uses, boxes, repeats and "
                              "residuals inside one another)", kMaxNestingDepth));
    too_big_ = true;
    return x;
  }
  ++depth_;
  for (const ast::Stmt& s : statements) {
    if (!count_statement(loc_of(s))) break;
    x = std::visit([&](const auto& stmt) { return statement(stmt, scope, x, names); }, s.node);
    names.previous = x;
  }
  --depth_;
  return x;
}

NodeId Elaborator::layer(const ast::LayerStmt& stmt, const Scope& scope, NodeId x, NameScope& names, bool closer) {
  const OpInfo* op = find_op(stmt.kind.text);
  if (!op || !op->statement) {
    unknown_layer(stmt.kind);
    return x;
  }
  std::vector<Value> items;
  bool ok = true;
  bool value_expected = false;  // the item after `stride` is its value, even if it is named like an option
  for (const ast::Expr& item : stmt.items) {
    // `offset -1` parses as the difference `offset - 1`: an option that takes a value, then a negative value.
    const bool negative_value = !value_expected && item.kind == ast::Expr::Kind::Binary && item.text == "-" &&
                                item.operands[0].kind == ast::Expr::Kind::Name && is_keyword(*op, item.operands[0].text);
    if (negative_value) items.push_back(Value::make_word(item.operands[0].text, item.operands[0].loc));
    const ast::Expr negated{ast::Expr::Kind::Negate, item.loc, 0, 0, {}, "", {negative_value ? item.operands[1] : item}};
    const ast::Expr& e = negative_value ? negated : item;
    value_expected = value_expected || negative_value;
    bool option = e.kind == ast::Expr::Kind::Name && is_option(*op, e.text);
    if (option && !value_expected) {  // options win over parameters of the same name
      items.push_back(Value::make_word(e.text, e.loc));
      value_expected = is_keyword(*op, e.text);
      continue;
    }
    value_expected = false;
    // A name the layer would take for an unknown option is, when an enclosing definition binds it, a
    // parameter the block cannot see: say so.
    bool hidden = e.kind == ast::Expr::Kind::Name && !scope.find(e.text) && !scope.hidden_owner(e.text).empty();
    auto v = hidden ? std::nullopt : evaluate(e, scope, report_, true);
    if (hidden) report_.error(e.loc, fmt::format("{}: {}", op->keyword, unknown_name(e.text, scope)));
    if (v) items.push_back(std::move(*v));
    else ok = false;
  }
  if (!ok) return x;
  Args args(*op, std::move(items), stmt.loc, report_, scope.names());
  if (!args.ok()) return x;  // its items are wrong: what the layer would say of their values would follow from that
  std::unique_ptr<Layer> built = op->build(args);
  if (!built) return x;
  std::optional<std::string> as;
  if (stmt.name) as = stmt.name->text;
  NameRequest name = request_name(names, *op, *built, as, closer);
  return add_node(std::move(built), {x}, stmt.loc, std::move(name));
}

void Elaborator::unknown_layer(const ast::Ident& kind) {
  if (program_.blocks.count(kind.text)) {
    report_.error(kind.loc, fmt::format("'{}' is a block: use it with parentheses, as in {}(...)", kind.text, kind.text));
  } else if (const OpInfo* op = find_op(kind.text)) {
    report_.error(kind.loc, fmt::format("'{}' is not written as a layer; use: {}", kind.text, op->signature.usage));
  } else {
    std::vector<std::string> known = statement_keywords();
    for (const auto& [name, def] : program_.blocks) known.push_back(name);
    report_.error(kind.loc, fmt::format("unknown layer '{}'{}", kind.text, did_you_mean(kind.text, known)));
  }
}

// Each box: its lists' entries bound by name, the template repeated `layers` times, then the closing layers.
NodeId Elaborator::statement(const ast::BoxesStmt& stmt, const Scope& scope, NodeId x, NameScope& names) {
  auto lists = box_lists(stmt, scope);
  if (!lists) return x;
  const auto& [counts, bound] = *lists;
  for (std::size_t b = 0; b < counts.size() && !too_big_; ++b) {
    Scope box_scope(&scope);
    std::vector<std::string> described;
    for (const auto& [name, values] : bound) {
      box_scope.bind(name, values[b]);
      described.push_back(name + " = " + values[b].str());
    }
    trace_ = trace_.push({stmt.loc, fmt::format("in box {} of {} ({})", b + 1, counts.size(), fmt::join(described, ", "))});
    NameScope box_names{NameScope::Kind::Box, fmt::format("{}block{}_", outer_prefix(names), b + 1), {}, {}, x};
    for (std::int64_t j = 0; j < counts[b] && !too_big_; ++j) {
      std::size_t nodes = graph_.nodes.size(), errors = diags_.errors_found();
      x = body(stmt.templ, box_scope, x, box_names);
      if (!next_round(nodes, errors)) break;
    }
    for (const ast::LayerStmt& closer : stmt.closers) {
      if (!count_statement(closer.loc)) break;
      x = layer(closer, box_scope, x, box_names, true);
      box_names.previous = x;
    }
    trace_ = trace_.pop();
  }
  return x;
}

std::optional<Elaborator::BoxLists> Elaborator::box_lists(const ast::BoxesStmt& stmt, const Scope& scope) {
  BoxLists out;
  std::optional<std::size_t> length;
  const std::string* first_name = nullptr;
  bool ok = true;
  for (const auto& [name, expr] : stmt.lists) {
    auto v = evaluate(expr, scope, report_);
    if (!v) {
      ok = false;
      continue;
    }
    if (v->kind != Value::Kind::List) {
      report_.error(v->loc, fmt::format("boxes: '{}' must be a list, found {}", name.text, v->describe()));
      ok = false;
      continue;
    }
    if (length && *length != v->list.size()) {
      report_.error(v->loc, fmt::format("boxes: '{}' has {} entries but '{}' has {}; give one entry per box", name.text,
                                        v->list.size(), *first_name, *length));
      ok = false;
      continue;
    }
    length = v->list.size();
    first_name = &name.text;
    for (const auto& [other, values] : out.second)
      if (other == name.text) {
        report_.error(name.loc, fmt::format("boxes: list '{}' is given twice", name.text));
        ok = false;
      }
    if (name.text == "layers") {
      for (const Value& count : v->list) {
        if (count.kind != Value::Kind::Int || count.i < 0 || count.i > 100000) {
          report_.error(count.loc, "boxes: each entry of 'layers' is a layer count from 0 to 100000, found " +
                                       count.describe());
          ok = false;
        }
        out.first.push_back(count.i);
      }
    }
    out.second.emplace_back(name.text, v->list);
  }
  if (ok && out.first.empty() && length.value_or(0) > 0) {
    report_.error(stmt.loc, "boxes needs a 'layers' list: the number of times the template repeats in each box");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

NodeId Elaborator::statement(const ast::StageStmt& stmt, const Scope& scope, NodeId x, NameScope& names) {
  auto number = evaluate_int(stmt.number, scope, report_, "a stage number");
  if (!number) return x;
  if (*number < 0) {
    report_.error(stmt.number.loc, fmt::format("a stage number must not be negative, found {}", *number));
    return x;
  }
  int letter = 0;
  for (const ast::UseStmt& u : stmt.uses) {
    if (&u != &stmt.uses.front() && !count_statement(u.loc)) break;  // the stage itself counted the first
    auto next_id = [&](int) { return fmt::format("{}{}", *number, block_letters(letter++)); };
    x = use(u, scope, x, names, next_id);
  }
  return x;
}

// A main path and a shortcut path (identity when absent) from the same input, joined by an add.
NodeId Elaborator::statement(const ast::ResidualStmt& stmt, const Scope& scope, NodeId x, NameScope& names) {
  NameScope main_names = names;
  main_names.label.reset();
  NodeId main = body(stmt.main, scope, x, main_names);
  NameScope shortcut_names = main_names;
  shortcut_names.label.reset();
  shortcut_names.previous = x;
  NodeId shortcut = stmt.shortcut ? body(*stmt.shortcut, scope, x, shortcut_names) : x;
  names.counters = shortcut_names.counters;
  names.label.reset();
  std::optional<std::string> as;
  if (stmt.name) as = stmt.name->text;
  auto add = std::make_unique<Add>();
  NameRequest name = request_name(names, kAddOp, *add, as);
  return add_node(std::move(add), {main, shortcut}, stmt.loc, std::move(name));
}

// Branches from the same input (an empty one is the input itself), joined along the channels by a concat.
NodeId Elaborator::statement(const ast::ConcatStmt& stmt, const Scope& scope, NodeId x, NameScope& names) {
  if (stmt.branches.size() < 2) {
    report_.error(stmt.loc, fmt::format("concat needs at least two branches to join, found {}", stmt.branches.size()));
    return stmt.branches.empty() ? x : body(stmt.branches.front(), scope, x, names);
  }
  std::vector<NodeId> outputs;
  NameScope branch_names = names;
  for (const ast::Body& branch : stmt.branches) {
    branch_names.label.reset();
    branch_names.previous = x;
    outputs.push_back(body(branch, scope, x, branch_names));
  }
  names.counters = branch_names.counters;
  names.label.reset();
  std::optional<std::string> as;
  if (stmt.name) as = stmt.name->text;
  auto concat = std::make_unique<Concat>(static_cast<int>(outputs.size()));
  NameRequest name = request_name(names, kConcatOp, *concat, as);
  return add_node(std::move(concat), std::move(outputs), stmt.loc, std::move(name));
}

NodeId Elaborator::statement(const ast::RepeatStmt& stmt, const Scope& scope, NodeId x, NameScope& names) {
  auto count = evaluate_int(stmt.count, scope, report_, "a repeat count");
  if (!count) return x;
  if (*count < 1 || *count > static_cast<std::int64_t>(kMaxNodes)) {
    report_.error(stmt.count.loc, fmt::format("a repeat count must be between 1 and {}, found {}", kMaxNodes, *count));
    return x;
  }
  for (std::int64_t i = 0; i < *count && !too_big_; ++i) {
    std::size_t nodes = graph_.nodes.size(), errors = diags_.errors_found();
    trace_ = trace_.push({stmt.loc, fmt::format("in repetition {} of {}", i + 1, *count)});
    x = body(stmt.body, scope, x, names);
    trace_ = trace_.pop();
    if (!next_round(nodes, errors)) break;
  }
  return x;
}

NodeId Elaborator::statement(const ast::LayerStmt& stmt, const Scope& scope, NodeId x, NameScope& names) {
  return layer(stmt, scope, x, names);
}

NodeId Elaborator::statement(const ast::UseStmt& stmt, const Scope& scope, NodeId x, NameScope& names) {
  int k = 0;
  auto next_id = [&](int repeats) {
    if (stmt.name) return repeats > 1 ? fmt::format("{}{}", stmt.name->text, ++k) : stmt.name->text;
    return fmt::format("{}{}", stmt.block.text, ++names.counters["#" + stmt.block.text]);
  };
  return use(stmt, scope, x, names, next_id);
}

std::string block_letters(int index) {
  std::string s;
  for (int i = index + 1; i > 0; i = (i - 1) / 26) s.insert(s.begin(), static_cast<char>('a' + (i - 1) % 26));
  return s;
}

std::string outer_prefix(const NameScope& names) {
  switch (names.kind) {
    case NameScope::Kind::Model: return "";
    case NameScope::Kind::Box: return names.prefix;
    case NameScope::Kind::Block: return names.prefix + "_";
  }
  return "";
}

}  // namespace netc
