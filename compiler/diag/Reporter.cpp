// Reporter (errors with instantiation notes) and typo suggestions.
#include "diag/Reporter.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace netc {

Diagnostic& Reporter::error(SourceLoc loc, std::string message) {
  Diagnostic& d = diags_.error(loc, std::move(message));
  // Innermost first. A long chain (block uses nest up to 64 deep) keeps its innermost and outermost notes
  // and says how many it leaves out between them, as C++ compilers shorten template backtraces.
  const std::size_t n = trace_.size();
  const std::size_t skipped = n > kMaxTraceNotes ? n - kMaxTraceNotes + 1 : 0;
  std::size_t i = 0;
  for (auto site = trace_.rbegin(); site != trace_.rend(); ++site, ++i) {
    if (skipped > 0 && i == kMaxTraceNotes / 2)
      d.notes.push_back({Severity::Note, {}, fmt::format("[ {} more enclosing block uses, boxes and repeats not shown ]",
                                                         skipped), {}});
    if (skipped > 0 && i >= kMaxTraceNotes / 2 && i < kMaxTraceNotes / 2 + skipped) continue;
    d.notes.push_back({Severity::Note, site->loc, site->what, {}});
  }
  return d;
}

std::vector<UseSite> Trace::sites() const {
  std::vector<UseSite> out(rbegin(), rend());
  std::reverse(out.begin(), out.end());
  return out;
}

Trace Trace::push(UseSite site) const {
  return Trace(std::make_shared<const Node>(Node{std::move(site), node_, size() + 1}));
}

namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > 64) return "";
  std::size_t best_distance = std::max<std::size_t>(1, word.size() / 3) + 1;  // at most a third of it differs
  std::string best;
  for (const std::string& c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string c = closest(word, candidates);
  return c.empty() ? "" : "; did you mean '" + c + "'?";
}

}  // namespace netc
