// Laying out the generated C++ (see CppText.hpp).
#include "emit/CppText.hpp"

namespace netc {

std::vector<std::string> wrap_statement(const std::string& statement, std::size_t indent, std::size_t width) {
  std::string pad(indent, ' ');
  if (indent + statement.size() <= width) return {pad + statement};
  std::size_t open = statement.find('(');
  if (open == std::string::npos) return {pad + statement};
  // Pieces: the text up to and including the outermost '(', then each top-level argument with its comma.
  std::vector<std::string> pieces{statement.substr(0, open + 1)};
  int depth = 0;
  std::size_t start = open + 1;
  for (std::size_t i = open + 1; i < statement.size(); ++i) {
    char ch = statement[i];
    if (ch == '(' || ch == '{' || ch == '[') ++depth;
    if (ch == ')' || ch == '}' || ch == ']') --depth;
    if (ch == ',' && depth == 0) {
      pieces.push_back(statement.substr(start, i + 1 - start));
      start = i + 2;  // skip the space after the comma
    }
  }
  pieces.push_back(statement.substr(start));
  std::vector<std::string> lines{pad + pieces[0]};
  std::string continuation(indent + open + 1, ' ');
  for (std::size_t i = 1; i < pieces.size(); ++i) {
    std::string& line = lines.back();
    bool first_argument = i == 1;
    if (first_argument || line.size() + 1 + pieces[i].size() <= width) line += (first_argument ? "" : " ") + pieces[i];
    else lines.push_back(continuation + pieces[i]);
  }
  return lines;
}

}  // namespace netc
