// Values of .net expressions during elaboration: integers, numbers, dimensions (3x3), lists, and words
// (names that are not bound to a parameter, such as `same` or `relu`, left for the layer to interpret).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "diag/Source.hpp"

namespace netc {

struct Value {
  enum class Kind { Int, Float, Dims, List, Word };
  Kind kind = Kind::Int;
  std::int64_t i = 0;
  double f = 0;
  std::vector<std::int64_t> dims;
  std::vector<Value> list;
  std::string word;
  SourceLoc loc;

  static Value make_int(std::int64_t v, SourceLoc at) { return {Kind::Int, v, 0, {}, {}, {}, at}; }
  static Value make_float(double v, SourceLoc at) { return {Kind::Float, 0, v, {}, {}, {}, at}; }
  static Value make_dims(std::vector<std::int64_t> d, SourceLoc at) { return {Kind::Dims, 0, 0, std::move(d), {}, {}, at}; }
  static Value make_list(std::vector<Value> l, SourceLoc at) { return {Kind::List, 0, 0, {}, std::move(l), {}, at}; }
  static Value make_word(std::string w, SourceLoc at) { return {Kind::Word, 0, 0, {}, {}, std::move(w), at}; }

  /// As .net would write it: `3`, `0.001`, `3x3`, `[64, 128]`, `same`.
  std::string str() const;
  /// "an integer", "a number", "dimensions", "a list", "the name 'x'".
  std::string describe() const;
};

/// Names bound to values; blocks see their parameters only, models theirs, boxes add their lists.
class Scope {
public:
  /// A scope inside `parent` (a box's), which sees the parent's names.
  explicit Scope(const Scope* parent = nullptr) : parent_(parent) {}
  /// The parameters of a definition, `owner` ("model 'm'", "block 'b'"), used from `caller` (none for the
  /// model), whose names it does not see; the caller is remembered for messages only.
  Scope(std::string owner, const Scope* caller) : owner_(std::move(owner)), caller_(caller) {}
  void bind(const std::string& name, Value v) { vars_[name] = std::move(v); }
  const Value* find(const std::string& name) const;
  /// Every name visible here (for suggestions).
  std::vector<std::string> names() const;
  /// The definition whose parameters these are ("" when not said).
  const std::string& owner() const;
  /// The owner of an enclosing scope this one cannot see that binds `name` (the model, or a block whose use
  /// led here), or "": for the message that says blocks see only their own parameters.
  std::string hidden_owner(const std::string& name) const;

private:
  const Scope& root() const;

  const Scope* parent_ = nullptr;
  std::string owner_;
  const Scope* caller_ = nullptr;
  std::map<std::string, Value> vars_;
};

}  // namespace netc
