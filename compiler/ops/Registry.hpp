// The op table: every layer kind's row (keyword, naming stem, signature, builder).
// Adding an op means one file in ops/, one row in Registry.cpp, and its tests.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "ops/Args.hpp"
#include "ops/Layer.hpp"

namespace netc {

struct OpInfo {
  std::string_view keyword;       // as written in .net: "conv"
  std::string_view stem;          // default names: conv1, block1_conv2
  std::string_view block_stem;    // default names inside a block use: res2a_branch2a
  std::string_view summary_type;  // the Keras class name shown by `netc summary`
  Signature signature;
  /// Builds the layer from its sorted items; nullptr when they were wrong (already reported).
  std::unique_ptr<Layer> (*build)(Args& args) = nullptr;
  /// False for ops that only the language's constructs create (add: `residual`, input).
  bool statement = true;
};

/// The op with this keyword, or nullptr.
const OpInfo* find_op(std::string_view keyword);
/// Keywords of all ops a layer statement may name (for suggestions and the language reference).
std::vector<std::string> statement_keywords();

// Rows defined in the ops' own files.
extern const OpInfo kConvOp, kMaxPoolOp, kAvgPoolOp, kGlobalAvgPoolOp, kZeroPadOp, kBatchNormOp, kDenseOp,
    kFlattenOp, kDropoutOp, kAddOp, kInputOp, kReluOp, kLeakyReluOp, kSigmoidOp, kTanhOp, kSoftmaxOp;

}  // namespace netc
