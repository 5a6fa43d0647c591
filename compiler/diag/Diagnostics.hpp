// Diagnostics as values: errors and their notes are collected, never printed or exit()ed from deep inside.
#pragma once

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "diag/Source.hpp"

namespace netc {

enum class Severity { Error, Warning, Note };

/// One message with its place; notes follow it (block-use backtrace, "previous definition here").
struct Diagnostic {
  Severity severity = Severity::Error;
  SourceLoc loc;
  std::string message;
  std::vector<Diagnostic> notes;
};

/// The diagnostics of one compilation, in the order they were found.
class Diagnostics {
public:
  /// Records an error and returns it so that notes can be attached. An error identical in place and text
  /// to one already recorded (the same mistake met again through another block use) is not repeated.
  Diagnostic& error(SourceLoc loc, std::string message);
  Diagnostic& warning(SourceLoc loc, std::string message);

  bool has_errors() const;
  std::size_t error_count() const;
  /// Errors found so far, repeats included (a loop can tell that its last round met an error again).
  std::size_t errors_found() const { return errors_found_; }
  const std::vector<Diagnostic>& all() const { return list_; }

private:
  Diagnostic& add(Severity severity, SourceLoc loc, std::string message);

  std::vector<Diagnostic> list_;
  std::size_t errors_ = 0;
  std::size_t errors_found_ = 0;
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::string>> seen_;
  Diagnostic repeated_;  // where notes for a repeated diagnostic go

};

/// "error", "warning" or "note".
const char* severity_word(Severity s);

/// Renders one diagnostic as `file:line:col: error: message`, the source line and a caret, then its notes.
std::string render(const Diagnostic& d, const SourceManager& sources);
/// Renders all diagnostics in order.
std::string render(const Diagnostics& diags, const SourceManager& sources);

}  // namespace netc
