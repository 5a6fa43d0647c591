// Diagnostics as JSON, for editors and other tools (`--diagnostics-format json`): each diagnostic an object
// with its file, line, column, severity, message and notes (the block-use chain among them).
#pragma once

#include <string>
#include <vector>

#include "diag/Diagnostics.hpp"

namespace netc {

/// One diagnostic as a one-line JSON object: {"severity", "message", "file", "line", "column", "notes": [...]}.
/// file, line and column are null for a diagnostic without a place (command line, files that cannot be
/// opened); columns count characters from 1, as in the text form.
std::string diagnostic_json(const Diagnostic& d, const SourceManager& sources);

/// A JSON array of diagnostic objects (from diagnostic_json), one per line.
std::string json_array(const std::vector<std::string>& objects);

}  // namespace netc
