// The op table: every layer kind's row (keyword, naming stems, signature, builder, traits).
// Adding an op means one file in ops/ (its class and its row), one entry in Registry.cpp, its runtime kernel
// when it needs one, and its tests (README: "Adding an op").
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "ops/Args.hpp"
#include "ops/Layer.hpp"

namespace netc {

/// What an op allows lowering to do around it (as MLIR's op traits). Lowering asks these, with the op
/// interfaces of ops/Layer.hpp; it never names a kind.
struct OpTraits {
  /// Applies an elementwise activation layer that follows it in its epilogue (when its own is linear).
  bool fuses_activation = false;
  /// Folds a batch norm that follows it into its weights (when its own activation is linear).
  bool absorbs_batch_norm = false;
  /// Takes a zero padding that feeds it (and nothing else) into its own padding, where its layer agrees
  /// (Layer::takes_padding: max pooling only over values that are never negative).
  bool absorbs_padding = false;
  /// May write its output over its first input when nothing reads that input afterwards.
  bool in_place = false;
  /// Its output is its input's memory seen with another shape: no code, no memory of its own.
  bool view = false;
  /// Its kernel can write its output as a channel slice of a wider tensor (a concat's part, without a copy).
  bool writes_slices = false;
  /// Its kernel can read its input as a channel slice of a wider tensor: a tensor that it reads beside a concat
  /// may then live in the concat's output (DenseNet's batch norms, which read each layer's concatenation).
  bool reads_slices = false;
  /// Adds another tensor to its result before its epilogue: a sum (a residual add) that it feeds, and nothing
  /// else, whose other input is already computed, is done in the same pass over memory.
  bool absorbs_residual = false;
};

/// An op's row in the op table, defined in the op's own file (const OpInfo kConvOp{...} in ops/Conv.cpp) and
/// listed once in Registry.cpp.
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
  OpTraits traits;
  /// How the summary's "Connected to" joins the inputs of a node with several ("conv2 + conv4" for add).
  std::string_view summary_join = " + ";
};

/// The op with this keyword, or nullptr.
const OpInfo* find_op(std::string_view keyword);
/// Keywords of all ops a layer statement may name (for suggestions and the language reference).
std::vector<std::string> statement_keywords();

}  // namespace netc
