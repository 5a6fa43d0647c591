// Reports errors found while elaborating inside block uses, boxes and repeats: every error gets one note
// per enclosing use, innermost first, like a C++ template backtrace.
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "diag/Diagnostics.hpp"

namespace netc {

/// One step of the chain of instantiations that led to a layer: "in block 'x' used here as '2a'".
struct UseSite {
  SourceLoc loc;
  std::string what;
};

/// The chain of block uses, boxes and repeats that led to a layer, outermost first. A Trace points into a
/// tree of uses whose nodes point to their parents: every layer made under one chain shares it, so a layer
/// costs one pointer however deep it is made. Iterated innermost first (rbegin to rend).
class Trace {
  struct Node {
    UseSite site;
    std::shared_ptr<const Node> parent;
    std::size_t size;
  };

public:
  /// Walks from the innermost use to the outermost.
  class reverse_iterator {
  public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = UseSite;
    using difference_type = std::ptrdiff_t;
    using pointer = const UseSite*;
    using reference = const UseSite&;

    explicit reverse_iterator(const Node* node = nullptr) : node_(node) {}
    const UseSite& operator*() const { return node_->site; }
    const UseSite* operator->() const { return &node_->site; }
    reverse_iterator& operator++() {
      node_ = node_->parent.get();
      return *this;
    }
    reverse_iterator operator++(int) {
      reverse_iterator before = *this;
      ++*this;
      return before;
    }
    friend bool operator==(const reverse_iterator&, const reverse_iterator&) = default;

  private:
    const Node* node_;
  };

  /// The empty chain (a layer of the model's own body).
  Trace() = default;
  /// This chain with `site` added as its innermost use.
  Trace push(UseSite site) const;
  /// This chain without its innermost use.
  Trace pop() const { return Trace(node_ ? node_->parent : nullptr); }
  std::size_t size() const { return node_ ? node_->size : 0; }
  bool empty() const { return !node_; }
  reverse_iterator rbegin() const { return reverse_iterator(node_.get()); }
  reverse_iterator rend() const { return reverse_iterator(); }
  /// The uses outermost first (a copy, for readers that want that order).
  std::vector<UseSite> sites() const;

private:
  explicit Trace(std::shared_ptr<const Node> node) : node_(std::move(node)) {}
  std::shared_ptr<const Node> node_;
};

/// Most notes an error gets from its trace: longer traces show their innermost and outermost uses.
inline constexpr std::size_t kMaxTraceNotes = 10;

/// Adds errors with the notes of a trace.
class Reporter {
public:
  Reporter(Diagnostics& diags, const Trace& trace) : diags_(diags), trace_(trace) {}

  Diagnostic& error(SourceLoc loc, std::string message);
  Diagnostics& diagnostics() { return diags_; }

private:
  Diagnostics& diags_;
  const Trace& trace_;
};

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo ("" otherwise).
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

/// ", did you mean 'x'?" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace netc
