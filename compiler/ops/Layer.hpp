// The interface every layer kind implements: attributes, shape rule, weights, cost. One kind, one file.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace netc {

struct OpInfo;
struct CppStep;
struct CppCode;
struct PyStep;
struct PyCode;

/// Largest size of any one dimension, filter count or unit count (the runtime indexes with int).
inline constexpr std::int64_t kMaxDim = 2147483647;

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

/// A layer node's operation with its attributes.
class Layer {
public:
  virtual ~Layer() = default;

  /// The op's row in the op table (keyword, name stem, summary type).
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
  /// The C++ that loads and runs a lowered step of which this layer is the primary node (emit/CppStep.hpp).
  /// Views (flatten, dropout) and the input have none.
  virtual CppCode emit_cpp(const CppStep& step) const;
  /// The PyTorch module and expression of this layer (emit/PyStep.hpp).
  virtual PyCode emit_pytorch(const PyStep& step) const = 0;
};

/// Product of factors, or nullopt if it overflows 64 bits.
std::optional<std::int64_t> checked_product(std::initializer_list<std::int64_t> factors);
std::optional<std::int64_t> checked_product(std::span<const std::int64_t> factors);

}  // namespace netc
