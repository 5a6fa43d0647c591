// Add's shape rule (both inputs must have the same shape) and code.
#include "ops/Add.hpp"

#include <fmt/format.h>

#include "ops/CppCode.hpp"
#include "ops/PyCode.hpp"
#include "ops/Registry.hpp"

namespace netc {

extern const OpInfo kAddOp{
    .keyword = "add", .stem = "add", .block_stem = "add", .summary_type = "Add",
    .signature = {{}, 0, {}, {}, "residual { ... } shortcut { ... }"},
    .statement = false,
    .traits = {.fuses_activation = true, .in_place = true}};

const OpInfo& Add::op() const { return kAddOp; }

Inferred Add::infer(std::span<const Shape> inputs) const {
  const Shape& main = inputs[0];
  const Shape& shortcut = inputs[1];
  if (main == shortcut) return Inferred::ok(main);
  std::string detail;
  if (main.dims.size() != shortcut.dims.size()) {
    detail = fmt::format("rank {} != {}", main.dims.size(), shortcut.dims.size());
  } else {
    for (std::size_t d = 0; d < main.dims.size(); ++d) {
      if (main.dims[d] != shortcut.dims[d]) {
        const char* names[] = {"height", "width", "channels"};
        std::string_view dim = main.spatial() ? names[d] : "channels";
        detail = fmt::format("at dimension {} ({}): {} != {}", d + 1, dim, main.dims[d], shortcut.dims[d]);
        break;
      }
    }
  }
  return Inferred::fail(fmt::format("cannot add the main path's {} to the shortcut's {}: {}", main.str(),
                                    shortcut.str(), detail));
}

CppCode Add::emit_cpp(const CppStep& s) const {
  CppCode c;
  c.run.push_back(fmt::format("netc::rt::add({}, {}, {}, {}, ws);", s.inputs[0].name, s.inputs[1].name, s.output.name,
                              s.epilogue));
  c.uses_workspace = true;
  return c;
}

PyCode Add::emit_pytorch(const PyStep& s) const { return {"", s.inputs[0] + " + " + s.inputs[1]}; }

}  // namespace netc
