// The interface every layer kind implements: attributes, shape rule, weights, cost, its code in each target,
// and what it is to the passes that fold and fuse (its interfaces here; its traits in its OpInfo row,
// ops/Registry.hpp). One kind, one file; nothing outside that file names the kind.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ops/ActivationFunction.hpp"

namespace netc {

struct OpInfo;
struct CppStep;
struct CppCode;
struct PyStep;
struct PyCode;

/// An IR node's index in its graph (ir/Graph.hpp); lowered steps and tensors refer to nodes by it.
using NodeId = int;

/// Largest size of any one dimension, filter count or unit count (the runtime indexes with int).
inline constexpr std::int64_t kMaxDim = 2147483647;

/// Amounts on the four sides of a map: top, bottom, left, right.
using Sides = std::array<std::int64_t, 4>;

/// A tensor's shape for one image, channels last: HxWxC, or C for a flat tensor.
struct Shape {
  std::vector<std::int64_t> dims;

  bool spatial() const { return dims.size() == 3; }
  std::int64_t height() const { return dims.at(0); }
  std::int64_t width() const { return dims.at(1); }
  std::int64_t channels() const { return dims.back(); }
  /// Number of elements; only called on shapes that shape inference accepted (their product fits).
  std::int64_t elements() const;
  /// "224x224x3" or "1000".
  std::string str() const;
  /// Keras's form: "(None, 224, 224, 3)".
  std::string keras() const;
  friend bool operator==(const Shape&, const Shape&) = default;
};

/// One weight tensor of a layer: key suffix (".weight"), PyTorch-layout shape, trainable or not.
struct WeightSpec {
  std::string suffix;
  std::vector<std::int64_t> shape;
  bool trainable = true;
};

/// What a shape rule returns: the output shape, or what is wrong (which dimension, found vs expected).
struct Inferred {
  std::optional<Shape> shape;
  std::string error;

  static Inferred ok(Shape s) { return {std::move(s), {}}; }
  static Inferred fail(std::string why) { return {std::nullopt, std::move(why)}; }
};

/// What a batch norm is to the op that folds it: its epsilon, and whether it has gamma (`scale`, else 1) and
/// beta (`center`, else 0), as Keras's scale=False and center=False drop them.
struct BatchNormParams {
  double epsilon = 1e-3;
  bool scale = true;
  bool center = true;
};

/// A layer node's operation with its attributes.
class Layer {
public:
  virtual ~Layer() = default;

  /// The op's row in the op table: keyword, names, signature, traits.
  virtual const OpInfo& op() const = 0;
  /// The attributes as .net writes them, e.g. "64 3x3 stride 2 same relu".
  virtual std::string attributes() const = 0;
  /// How many input tensors the layer takes.
  virtual int arity() const { return 1; }
  /// A default name's distinguishing part, when the op has one ("1000" for `dense 1000` -> fc1000).
  virtual std::string name_hint() const { return ""; }
  /// The output shape for these input shapes (all of them accepted by earlier layers).
  virtual Inferred infer(std::span<const Shape> inputs) const = 0;
  /// The weight tensors, in PyTorch's layouts, for these input shapes.
  virtual std::vector<WeightSpec> weights(std::span<const Shape> /*inputs*/) const { return {}; }
  /// Multiply-accumulates per image; nullopt when the count does not fit in 64 bits.
  virtual std::optional<std::int64_t> macs(std::span<const Shape> /*inputs*/, const Shape& /*output*/) const {
    return 0;
  }

  // Interfaces: what the op is to the passes that fold and fuse it (as MLIR's op interfaces). An op answers
  // those that describe it; the defaults mean "not this kind of op".

  /// The activation the op applies to its own result (conv and dense's ACTIVATION item); linear for none.
  virtual Activation fused_activation() const { return {}; }
  /// An activation layer's function, which the step before it may apply in its epilogue instead.
  virtual std::optional<Activation> activation_function() const { return std::nullopt; }
  /// A zero padding's sides, which the op it feeds may take into its own padding.
  virtual std::optional<Sides> padding_sides() const { return std::nullopt; }
  /// For an op with the trait absorbs_padding: whether this layer computes the same with a zero padding before
  /// it taken into its own padding, given whether the padded values are never negative (`non_negative`).
  virtual bool takes_padding(bool /*non_negative*/) const { return true; }
  /// True for an op that joins its inputs along the channels (concat): lowering may have them written straight
  /// into their slices of its output.
  virtual bool joins_channels() const { return false; }
  /// A batch norm's epsilon and which of gamma and beta it has, for the op before it that folds it into its
  /// weights.
  virtual std::optional<BatchNormParams> batch_norm() const { return std::nullopt; }
  /// True for an elementwise sum of its two inputs (the residual add), which the op that makes one of them may
  /// do in its epilogue instead.
  virtual bool sums_inputs() const { return false; }

  // Code. Every op writes both; the compiler does not build without them.

  /// The C++ that loads and runs a lowered step whose primary layer this is (ops/CppCode.hpp). An op that is
  /// never a step of its own (a view, the input) answers with no_cpp_code(), a loud internal error.
  virtual CppCode emit_cpp(const CppStep& step) const = 0;
  /// The PyTorch module and expression of this layer (ops/PyCode.hpp).
  virtual PyCode emit_pytorch(const PyStep& step) const = 0;
};

/// Product of factors, or nullopt if it overflows 64 bits.
std::optional<std::int64_t> checked_product(std::initializer_list<std::int64_t> factors);
std::optional<std::int64_t> checked_product(std::span<const std::int64_t> factors);

}  // namespace netc
