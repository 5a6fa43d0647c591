// The input op's table row.
#include "ops/Input.hpp"

#include "emit/PyStep.hpp"
#include "ops/Registry.hpp"

namespace netc {

const OpInfo kInputOp{"input", "input", "input", "InputLayer", {{}, 0, {}, {}, ""}, nullptr, false};

const OpInfo& Input::op() const { return kInputOp; }

PyCode Input::emit_pytorch(const PyStep&) const { return {"", "x"}; }

}  // namespace netc
