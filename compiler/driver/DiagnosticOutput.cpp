// The driver's diagnostics, as text or JSON (see DiagnosticOutput.hpp).
#include "driver/DiagnosticOutput.hpp"

#include <iostream>

#include <fmt/format.h>

#include "diag/DiagnosticsJson.hpp"

namespace netc {

void DiagnosticOutput::compilation(const Compilation& c) {
  later_errors(c, 0);
  if (!c.ok()) errors_generated(c.diags.error_count());
}

void DiagnosticOutput::later_errors(const Compilation& c, std::size_t already_reported) {
  const std::vector<Diagnostic>& all = c.diags.all();
  for (std::size_t i = already_reported; i < all.size(); ++i) print(all[i], c.sources);
}

void DiagnosticOutput::stage(const Diagnostics& diags, const SourceManager& sources) {
  for (const Diagnostic& d : diags.all()) print(d, sources);
  if (diags.error_count() > 0) errors_generated(diags.error_count());
}

void DiagnosticOutput::print(const Diagnostic& d, const SourceManager& sources) {
  if (json_) objects_.push_back(diagnostic_json(d, sources));
  else std::cerr << render(d, sources);
}

void DiagnosticOutput::errors_generated(std::size_t n) {
  if (!json_) std::cerr << fmt::format("{} error{} generated.\n", n, n == 1 ? "" : "s");
}

void DiagnosticOutput::warning(const std::string& message) {
  if (json_) objects_.push_back(diagnostic_json({Severity::Warning, {}, message, {}}, SourceManager{}));
  else std::cerr << "netc: warning: " << message << "\n";
}

void DiagnosticOutput::error(const std::string& message) {
  if (json_) objects_.push_back(diagnostic_json({Severity::Error, {}, message, {}}, SourceManager{}));
  else std::cerr << "netc: error: " << message << "\n";
}

void DiagnosticOutput::internal_error(const std::string& message) {
  if (json_) objects_.push_back(diagnostic_json({Severity::Error, {}, "internal error: " + message, {}}, SourceManager{}));
  else std::cerr << "netc: internal error: " << message << "\n";
}

void DiagnosticOutput::finish() {
  if (json_) std::cerr << json_array(objects_) << std::flush;
  objects_.clear();
}

}  // namespace netc
