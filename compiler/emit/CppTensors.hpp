// The generated forward()'s tensors: one named view per tensor of the lowered model, declared once, where
// the step that writes it runs, with its place in memory and the steps it lives for:
//   const netc::rt::Tensor res2a_branch2a_out{a + 401408 * n, batch, 56, 56, 64};  // arena offset 401408, steps 4-5
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/Graph.hpp"
#include "passes/Lower.hpp"

namespace netc {

class CppTensors {
public:
  CppTensors(const Graph& graph, const Plan& plan);

  /// The variable that views tensor `id`: its producer's identifier stem and "_out" (relu1_out), or "_result"
  /// for the copy made when the model's output is a view of its input.
  const std::string& name(int id) const { return names_[static_cast<std::size_t>(id)]; }
  /// Whether the tensor is declared: every tensor a step reads or writes; not a view that nothing reads.
  bool declared(int id) const { return declared_[static_cast<std::size_t>(id)]; }
  /// The tensor's declaration, a netc::rt::Tensor (ConstTensor in the caller's input) over `a + offset * n`
  /// in the arena, `input` or `output`, or the memory of the tensor it takes over (a view, an in-place result),
  /// with a comment saying where it lives and for which steps.
  /// With `per_image`, inside the loop over the images of the steps that run image by image: the tensor of
  /// the `images` images from `image` on (`+ image * <floats per image>`); a tensor that only those steps
  /// use in the turn's own memory (`local + offset * slots + slot * <floats per image>`, netc::rt::ImageTurn).
  std::string declaration(int id, bool per_image = false) const;
  /// Whether a tensor lives in the arena and only the steps that run image by image use it.
  bool local_to_loop(const TensorView& t) const;
  /// The arena floats per image that those tensors take (0 without such steps).
  std::int64_t loop_floats() const;
  /// Whether one of those tensors lies at an offset other than 0 (its declaration then scales it by `slots`).
  bool loop_offsets() const;
  /// The declaration of a tensor of those steps again after their loop, for all images: over its memory
  /// itself (the tensor it takes over is not declared there).
  std::string batch_declaration(int id) const;
  /// Whether a declaration addresses the arena itself (forward() then needs its arena pointer `a`).
  bool uses_arena() const;
  /// Whether a declaration addresses the arena at an offset, scaled by the batch (forward() then needs `n`).
  bool uses_batch_offsets() const;

private:
  std::string where(const TensorView& t) const;
  std::string declared_as(const TensorView& t, std::string data, const char* batch) const;

  const Plan& plan_;
  std::vector<std::string> names_;
  std::vector<bool> declared_;
  std::vector<LoweredStep::Kind> made_by_;  // the kind of step that writes each tensor (the input: Compute)
};

}  // namespace netc
