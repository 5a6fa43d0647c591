// Reading a layer statement's items against its op's signature: positional values, `keyword value`
// options and flags. One reader for every op, so every op reports the same errors the same way.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "diag/Reporter.hpp"
#include "elab/Value.hpp"

namespace netc {

/// Flags of which at most one may be given, e.g. padding: same | valid.
struct FlagGroup {
  std::string_view name;
  std::vector<std::string_view> words;
  std::string_view fallback;  // the word in effect when none is given
};

/// What a layer statement may contain after its keyword.
struct Signature {
  std::vector<std::string_view> positional;  // names, in order
  std::size_t required = 0;                  // how many of them must be given
  std::vector<std::string_view> keywords;    // options that take a value: `stride 2`
  std::vector<FlagGroup> flags;
  std::string_view usage;                    // "conv FILTERS KERNEL [stride S] ..."
};

struct OpInfo;

/// True when `word` is one of the op's keyword options or flags (inside its statement it names the option,
/// even where a parameter of that name is in scope).
bool is_option(const OpInfo& op, std::string_view word);
/// True when `word` is one of the op's options that take a value (`stride`).
bool is_keyword(const OpInfo& op, std::string_view word);

/// The items of one layer statement, sorted by the op's signature. Errors are reported as found;
/// ok() tells whether the layer can be built.
class Args {
public:
  /// `in_scope`: the parameter names visible at the statement (for "did you mean" suggestions).
  Args(const OpInfo& op, std::vector<Value> items, SourceLoc at, Reporter& report,
       std::vector<std::string> in_scope = {});

  bool ok() const { return ok_; }
  bool has(std::string_view name) const { return find(name) != nullptr; }
  /// A positional value or keyword option by name, as an integer within [min, kMaxDim].
  std::optional<std::int64_t> size(std::string_view name, std::int64_t min, std::optional<std::int64_t> fallback = {});
  /// An integer N (meaning NxN) or dimensions AxB, each within [min, kMaxDim].
  std::optional<std::array<std::int64_t, 2>> pair(std::string_view name, std::int64_t min,
                                                  std::optional<std::array<std::int64_t, 2>> fallback = {});
  /// Padding amounts: N (all sides), AxB (top/bottom, left/right) or [top, bottom, left, right].
  std::optional<std::array<std::int64_t, 4>> sides(std::string_view name);
  /// A number within [min, max] (integers accepted).
  std::optional<double> number(std::string_view name, double min, double max, double fallback);
  /// A number, or a list of at most kMaxDim numbers, each within [min, max] (integers accepted).
  std::optional<std::vector<double>> numbers(std::string_view name, double min, double max);
  /// The word chosen from a flag group (its fallback when none was given).
  std::string_view flag(std::string_view group) const;
  /// True when a word of the group was written (not the fallback).
  bool flag_given(std::string_view group) const;

  /// Reports an error about this layer statement; the message is prefixed with the op's keyword.
  void fail_option(std::string_view name, const std::string& message);
  /// Reports an error about this layer statement (the message names the op itself).
  void fail(SourceLoc at, const std::string& message);
  SourceLoc loc() const { return loc_; }

private:
  const Value* find(std::string_view name) const;
  void sort(std::vector<Value> items);
  std::vector<std::string> options() const;

  const OpInfo& op_;
  SourceLoc loc_;
  Reporter& report_;
  bool ok_ = true;
  std::vector<Value> positional_;
  std::vector<std::pair<std::string_view, Value>> keywords_;
  std::vector<std::pair<std::string_view, std::string_view>> flags_;  // group, word
  std::vector<std::string> in_scope_;
};

}  // namespace netc
