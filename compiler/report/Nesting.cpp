// The nesting of layers in block uses, boxes and repeats (see Nesting.hpp).
#include "report/Nesting.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace netc {

std::string group_label(const std::string& what) {
  const std::string block = "in block '", used = "', used here as '";
  std::size_t middle = what.find(used);
  if (what.rfind(block, 0) == 0 && middle != std::string::npos && what.back() == '\'') {
    std::string name = what.substr(block.size(), middle - block.size());
    std::string id = what.substr(middle + used.size(), what.size() - middle - used.size() - 1);
    return fmt::format("{} ({})", id, name);
  }
  return what.rfind("in ", 0) == 0 ? what.substr(3) : what;
}

int Nesting::collapsed_into(NodeId node, std::optional<int> depth) const {
  const std::vector<int>& p = path[static_cast<std::size_t>(node)];
  if (!depth || static_cast<std::size_t>(*depth) >= p.size()) return -1;
  return p[static_cast<std::size_t>(*depth)];
}

Nesting nesting(const Graph& graph) {
  Nesting out;
  std::vector<const UseSite*> open_sites;  // the sites of the groups the previous node sat in
  std::vector<int> open_groups;
  std::vector<const UseSite*> sites;  // the node's chain, outermost first
  for (const Node& n : graph.nodes) {
    sites.clear();
    for (auto it = n.trace.rbegin(); it != n.trace.rend(); ++it) sites.push_back(&*it);
    std::reverse(sites.begin(), sites.end());
    std::size_t same = 0;  // a group stays open while consecutive nodes share its site and its parents
    while (same < sites.size() && same < open_sites.size() && open_sites[same]->loc == sites[same]->loc &&
           open_sites[same]->what == sites[same]->what)
      ++same;
    open_sites.resize(same);
    open_groups.resize(same);
    for (std::size_t d = same; d < sites.size(); ++d) {
      out.groups.push_back({group_label(sites[d]->what), sites[d]->loc, d == 0 ? -1 : open_groups[d - 1],
                            static_cast<int>(d)});
      open_sites.push_back(sites[d]);
      open_groups.push_back(static_cast<int>(out.groups.size()) - 1);
    }
    out.path.push_back(open_groups);
  }
  return out;
}

}  // namespace netc
