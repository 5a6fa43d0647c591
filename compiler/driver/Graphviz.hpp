// Drawing a DOT graph with Graphviz's `dot` program, when it is installed.
#pragma once

#include <string>

namespace netc {

/// Runs `dot -Tsvg` (found on PATH) on the DOT text; returns "" and sets `svg`, or the error message
/// (dot missing, or failing with its own message).
std::string render_svg(const std::string& dot_text, std::string& svg);

}  // namespace netc
