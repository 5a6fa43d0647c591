// The op table (see Registry.hpp).
#include "ops/Registry.hpp"

namespace netc {

// The rows, each defined in its op's file. An op is known to the language once it is listed here.
extern const OpInfo kConvOp, kMaxPoolOp, kAvgPoolOp, kGlobalAvgPoolOp, kZeroPadOp, kBatchNormOp, kDenseOp,
    kFlattenOp, kDropoutOp, kReluOp, kLeakyReluOp, kSigmoidOp, kTanhOp, kSoftmaxOp, kAddOp, kInputOp;
extern const OpInfo kRescaleOp, kNormalizeOp, kReverseChannelsOp;  // preprocessing
extern const OpInfo kDepthwiseOp;  // depthwise convolution
// Concatenation, upsampling, global max pooling and the activations of MobileNet and later models.
extern const OpInfo kRelu6Op, kHardSigmoidOp, kHardSwishOp, kSwishOp, kSiluOp, kGeluOp, kGlobalMaxPoolOp, kConcatOp,
    kUpsampleOp;

namespace {

const OpInfo* const kOps[] = {
    &kConvOp,  &kMaxPoolOp, &kAvgPoolOp, &kGlobalAvgPoolOp, &kZeroPadOp, &kBatchNormOp,
    &kDenseOp, &kFlattenOp, &kDropoutOp, &kReluOp,          &kLeakyReluOp, &kSigmoidOp,
    &kTanhOp,  &kSoftmaxOp, &kAddOp,     &kInputOp,
    &kDepthwiseOp,  // depthwise convolution
    // concat, upsample, pooling and activations
    &kRelu6Op, &kHardSigmoidOp, &kHardSwishOp, &kSwishOp, &kSiluOp, &kGeluOp, &kGlobalMaxPoolOp, &kConcatOp,
    &kUpsampleOp,
    &kRescaleOp, &kNormalizeOp, &kReverseChannelsOp,
};

}  // namespace

const OpInfo* find_op(std::string_view keyword) {
  for (const OpInfo* op : kOps)
    if (op->keyword == keyword) return op;
  return nullptr;
}

std::vector<std::string> statement_keywords() {
  std::vector<std::string> out;
  for (const OpInfo* op : kOps)
    if (op->statement) out.emplace_back(op->keyword);
  return out;
}

}  // namespace netc
