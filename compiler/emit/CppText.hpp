// Laying out the generated C++: long statements broken into lines the way a person would write them.
#pragma once

#include <string>
#include <vector>

namespace netc {

/// A statement broken at the top-level commas of its outermost call so that no line passes `width`
/// columns (when it can); continuation lines align with the call's first argument.
std::vector<std::string> wrap_statement(const std::string& statement, std::size_t indent, std::size_t width = 110);

}  // namespace netc
