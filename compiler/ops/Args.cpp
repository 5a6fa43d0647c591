// Sorting and type-checking layer items (see Args.hpp).
#include "ops/Args.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "ops/Registry.hpp"

namespace netc {

namespace {

bool contains(const std::vector<std::string_view>& words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

}  // namespace

bool is_keyword(const OpInfo& op, std::string_view word) { return contains(op.signature.keywords, word); }

bool is_option(const OpInfo& op, std::string_view word) {
  if (contains(op.signature.keywords, word)) return true;
  for (const FlagGroup& g : op.signature.flags)
    if (contains(g.words, word)) return true;
  return false;
}

Args::Args(const OpInfo& op, std::vector<Value> items, SourceLoc at, Reporter& report, std::vector<std::string> in_scope)
    : op_(op), loc_(at), report_(report), in_scope_(std::move(in_scope)) {
  sort(std::move(items));
  const Signature& sig = op_.signature;
  if (ok_ && positional_.size() < sig.required) {
    fail(loc_, fmt::format("{}: missing {}; usage: {}", op_.keyword, sig.positional[positional_.size()], sig.usage));
  }
}

void Args::fail(SourceLoc at, const std::string& message) {
  report_.error(at, message);
  ok_ = false;
}

std::vector<std::string> Args::options() const {
  std::vector<std::string> out(op_.signature.keywords.begin(), op_.signature.keywords.end());
  for (const FlagGroup& g : op_.signature.flags) out.insert(out.end(), g.words.begin(), g.words.end());
  return out;
}

void Args::sort(std::vector<Value> items) {
  const Signature& sig = op_.signature;
  for (std::size_t i = 0; i < items.size(); ++i) {
    Value& item = items[i];
    if (item.kind != Value::Kind::Word) {
      if (positional_.size() >= sig.positional.size()) {
        fail(item.loc, fmt::format("{}: unexpected value {}: {} takes {} positional value{}; usage: {}", op_.keyword,
                                   item.str(), op_.keyword, sig.positional.size(),
                                   sig.positional.size() == 1 ? "" : "s", sig.usage));
        continue;
      }
      positional_.push_back(std::move(item));
      continue;
    }
    auto keyword = std::find(sig.keywords.begin(), sig.keywords.end(), item.word);
    if (keyword != sig.keywords.end()) {
      if (has(*keyword)) fail(item.loc, fmt::format("{}: '{}' is given twice", op_.keyword, item.word));
      if (i + 1 >= items.size() || items[i + 1].kind == Value::Kind::Word) {
        fail(item.loc, fmt::format("{}: '{}' needs a value{}", op_.keyword, item.word,
                                   i + 1 < items.size() ? ", found '" + items[i + 1].word + "'" : ""));
        continue;
      }
      keywords_.emplace_back(*keyword, std::move(items[++i]));
      continue;
    }
    auto group = std::find_if(sig.flags.begin(), sig.flags.end(),
                              [&](const FlagGroup& g) { return contains(g.words, item.word); });
    if (group != sig.flags.end()) {
      auto chosen = std::find_if(flags_.begin(), flags_.end(), [&](const auto& f) { return f.first == group->name; });
      if (chosen != flags_.end()) {
        fail(item.loc, fmt::format("{}: '{}' conflicts with '{}': give one {} option", op_.keyword, item.word,
                                   chosen->second, group->name));
        continue;
      }
      flags_.emplace_back(group->name, *std::find(group->words.begin(), group->words.end(), item.word));
      continue;
    }
    std::string known = fmt::format("{}", fmt::join(options(), ", "));
    std::vector<std::string> candidates = options();
    candidates.insert(candidates.end(), in_scope_.begin(), in_scope_.end());
    fail(item.loc, fmt::format("{}: unknown name '{}': neither a parameter in scope nor an option of {}{}{}", op_.keyword,
                               item.word, op_.keyword, known.empty() ? "" : " (" + known + ")",
                               did_you_mean(item.word, candidates)));
  }
}

const Value* Args::find(std::string_view name) const {
  const Signature& sig = op_.signature;
  for (std::size_t i = 0; i < sig.positional.size() && i < positional_.size(); ++i)
    if (sig.positional[i] == name) return &positional_[i];
  for (const auto& [k, v] : keywords_)
    if (k == name) return &v;
  return nullptr;
}

std::optional<std::int64_t> Args::size(std::string_view name, std::int64_t min, std::optional<std::int64_t> fallback) {
  const Value* v = find(name);
  if (!v) return fallback;
  if (v->kind != Value::Kind::Int) {
    fail(v->loc, fmt::format("{}: {} must be an integer, found {}", op_.keyword, name, v->describe()));
    return std::nullopt;
  }
  if (v->i < min) {
    fail(v->loc, fmt::format("{}: {} must be at least {}, found {}", op_.keyword, name, min, v->i));
    return std::nullopt;
  }
  if (v->i > kMaxDim) {
    fail(v->loc, fmt::format("{}: {} {} is too large (at most {})", op_.keyword, name, v->i, kMaxDim));
    return std::nullopt;
  }
  return v->i;
}

std::optional<std::array<std::int64_t, 2>> Args::pair(std::string_view name, std::int64_t min,
                                                      std::optional<std::array<std::int64_t, 2>> fallback) {
  const Value* v = find(name);
  if (!v) return fallback;
  std::array<std::int64_t, 2> out{};
  if (v->kind == Value::Kind::Int) out = {v->i, v->i};
  else if (v->kind == Value::Kind::Dims && v->dims.size() == 2) out = {v->dims[0], v->dims[1]};
  else {
    fail(v->loc, fmt::format("{}: {} must be an integer or two dimensions like 3x3, found {}", op_.keyword, name,
                             v->describe()));
    return std::nullopt;
  }
  for (std::int64_t d : out) {
    if (d < min || d > kMaxDim) {
      fail(v->loc, fmt::format("{}: {} must be between {} and {} in each dimension, found {}", op_.keyword, name, min,
                               kMaxDim, v->str()));
      return std::nullopt;
    }
  }
  return out;
}

std::optional<std::array<std::int64_t, 4>> Args::sides(std::string_view name) {
  const Value* v = find(name);
  if (!v) return std::nullopt;
  std::array<std::int64_t, 4> out{};
  bool shape_ok = true;
  if (v->kind == Value::Kind::Int) out = {v->i, v->i, v->i, v->i};
  else if (v->kind == Value::Kind::Dims && v->dims.size() == 2) out = {v->dims[0], v->dims[0], v->dims[1], v->dims[1]};
  else if (v->kind == Value::Kind::List && v->list.size() == 4) {
    for (std::size_t k = 0; k < 4; ++k) {
      shape_ok = shape_ok && v->list[k].kind == Value::Kind::Int;
      out[k] = v->list[k].i;
    }
  } else shape_ok = false;
  if (!shape_ok) {
    fail(v->loc, fmt::format("{}: {} must be N, HxW or [top, bottom, left, right], found {}", op_.keyword, name,
                             v->describe()));
    return std::nullopt;
  }
  for (std::int64_t d : out) {
    if (d < 0 || d > kMaxDim) {
      fail(v->loc, fmt::format("{}: {} must be between 0 and {} on each side, found {}", op_.keyword, name, kMaxDim,
                               v->str()));
      return std::nullopt;
    }
  }
  return out;
}

std::optional<double> Args::number(std::string_view name, double min, double max, double fallback) {
  const Value* v = find(name);
  if (!v) return fallback;
  if (v->kind != Value::Kind::Int && v->kind != Value::Kind::Float) {
    fail(v->loc, fmt::format("{}: {} must be a number, found {}", op_.keyword, name, v->describe()));
    return std::nullopt;
  }
  double x = v->kind == Value::Kind::Int ? static_cast<double>(v->i) : v->f;
  if (!std::isfinite(x) || x < min || x > max) {
    fail(v->loc, fmt::format("{}: {} must be between {} and {}, found {}", op_.keyword, name, min, max, v->str()));
    return std::nullopt;
  }
  return x;
}

std::optional<std::vector<double>> Args::numbers(std::string_view name, double min, double max) {
  const Value* v = find(name);
  if (!v) return std::nullopt;
  std::vector<const Value*> items;
  if (v->kind == Value::Kind::List)
    for (const Value& item : v->list) items.push_back(&item);
  else items.push_back(v);
  std::vector<double> out;
  for (const Value* item : items) {
    if (item->kind != Value::Kind::Int && item->kind != Value::Kind::Float) {
      fail(item->loc, fmt::format("{}: {} must be a number or a list of numbers, found {}", op_.keyword, name,
                                  item->describe()));
      return std::nullopt;
    }
    double x = item->kind == Value::Kind::Int ? static_cast<double>(item->i) : item->f;
    if (!std::isfinite(x) || x < min || x > max) {
      fail(item->loc, fmt::format("{}: each {} must be between {} and {}, found {}", op_.keyword, name, min, max,
                                  item->str()));
      return std::nullopt;
    }
    out.push_back(x);
  }
  if (out.empty()) {
    fail(v->loc, fmt::format("{}: {} is an empty list", op_.keyword, name));
    return std::nullopt;
  }
  return out;
}

void Args::fail_option(std::string_view name, const std::string& message) {
  const Value* v = find(name);
  fail(v ? v->loc : loc_, fmt::format("{}: {}", op_.keyword, message));
}

std::string_view Args::flag(std::string_view group) const {
  for (const auto& [g, word] : flags_)
    if (g == group) return word;
  for (const FlagGroup& g : op_.signature.flags)
    if (g.name == group) return g.fallback;
  return {};
}

bool Args::flag_given(std::string_view group) const {
  return std::any_of(flags_.begin(), flags_.end(), [&](const auto& f) { return f.first == group; });
}

}  // namespace netc
