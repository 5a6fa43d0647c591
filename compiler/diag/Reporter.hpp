// Reports errors found while elaborating inside block uses, boxes and repeats: every error gets one note
// per enclosing use, innermost first, like a C++ template backtrace.
#pragma once

#include <string>
#include <vector>

#include "diag/Diagnostics.hpp"

namespace netc {

/// One step of the chain of instantiations that led to a layer: "in block 'x' used here as '2a'".
struct UseSite {
  SourceLoc loc;
  std::string what;
};
using Trace = std::vector<UseSite>;  // outermost first

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
