// The input op's table row; its code is the caller's input buffer.
#include "ops/Input.hpp"

#include "ops/CppCode.hpp"
#include "ops/PyCode.hpp"
#include "ops/Registry.hpp"

namespace netc {

extern const OpInfo kInputOp{
    .keyword = "input", .stem = "input", .block_stem = "input", .summary_type = "InputLayer",
    .signature = {{}, 0, {}, {}, ""},
    .statement = false};

const OpInfo& Input::op() const { return kInputOp; }

CppCode Input::emit_cpp(const CppStep&) const { return no_cpp_code(*this); }

PyCode Input::emit_pytorch(const PyStep&) const { return {"", "x"}; }

}  // namespace netc
