// Diagnostics as JSON (see DiagnosticsJson.hpp).
#include "diag/DiagnosticsJson.hpp"

#include <nlohmann/json.hpp>

namespace netc {

namespace {

using nlohmann::ordered_json;

ordered_json to_json(const Diagnostic& d, const SourceManager& sources) {
  ordered_json j = ordered_json::object();
  j["severity"] = severity_word(d.severity);
  j["message"] = d.message;
  bool placed = d.loc.valid() && d.loc.file <= sources.size();
  j["file"] = placed ? ordered_json(sources.path(d.loc.file)) : ordered_json(nullptr);
  j["line"] = placed && d.loc.line > 0 ? ordered_json(d.loc.line) : ordered_json(nullptr);
  j["column"] = placed && d.loc.line > 0 ? ordered_json(d.loc.column) : ordered_json(nullptr);
  j["notes"] = ordered_json::array();
  for (const Diagnostic& n : d.notes) j["notes"].push_back(to_json(n, sources));
  return j;
}

}  // namespace

std::string diagnostic_json(const Diagnostic& d, const SourceManager& sources) {
  // Invalid UTF-8 in a message (quoted from a bad file) becomes U+FFFD rather than an exception.
  return to_json(d, sources).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string json_array(const std::vector<std::string>& objects) {
  std::string out = "[";
  for (std::size_t i = 0; i < objects.size(); ++i) out += (i == 0 ? "\n" : ",\n") + objects[i];
  return out + (objects.empty() ? "]\n" : "\n]\n");
}

}  // namespace netc
