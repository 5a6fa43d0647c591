// Where the driver's diagnostics go: standard error as text, printed as they come, or (--diagnostics-format
// json) as one JSON array of every diagnostic of the run, printed when the run ends.
#pragma once

#include <string>
#include <vector>

#include "Pipeline.hpp"

namespace netc {

class DiagnosticOutput {
public:
  /// format: "text" or "json".
  explicit DiagnosticOutput(const std::string& format) : json_(format == "json") {}

  /// A compilation's diagnostics; as text followed by "N errors generated." when it failed.
  void compilation(const Compilation& c);
  /// Diagnostics of a compilation that found errors in a later stage (an emitter's checks).
  void later_errors(const Compilation& c, std::size_t already_reported);
  /// The diagnostics of a stage after compilation that has its own (netc import's); as text followed by
  /// "N errors generated." when there are errors.
  void stage(const Diagnostics& diags, const SourceManager& sources);
  /// A warning without a place: "netc: warning: MESSAGE".
  void warning(const std::string& message);
  /// An error without a place: "netc: error: MESSAGE".
  void error(const std::string& message);
  /// An unexpected failure inside netc: "netc: internal error: MESSAGE".
  void internal_error(const std::string& message);
  /// Prints the JSON array (nothing in text form). Call once, at the end of the run.
  void finish();
  /// Drops the diagnostics held for the JSON array: another process (netc import's child) printed them.
  void forget() { objects_.clear(); }

private:
  /// One diagnostic, as text now or kept for the JSON array.
  void print(const Diagnostic& d, const SourceManager& sources);
  /// "N errors generated." after the text form's diagnostics.
  void errors_generated(std::size_t n);

  bool json_;
  std::vector<std::string> objects_;
};

}  // namespace netc
