// The lowered model's records: every tensor as a view into a buffer, every step with what lowering folded
// into it, all resolved. Lowering (passes/Lower.cpp) writes them; the ops' emit_cpp and the emitters read them
// and nothing else, so that no op looks into another node's layer. They sit beside the ops, below passes/ and
// emit/, so that an op can read them without including either.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ops/Layer.hpp"

namespace netc {

/// The memory a tensor lives in: the caller's input, the caller's output, or the model's activation arena.
enum class Buffer { Input, Output, Arena };

/// A tensor as generated code addresses it: `shape` at `offset` floats into a buffer, per image (a batch of n
/// images scales offsets by n). A view may also be a slice of a wider tensor's pixels, from channel
/// channel_offset with pixel_stride floats between pixels, so that a producer can write straight into its
/// part of a concatenation: offset is then the wider tensor's, and the slice starts channel_offset floats
/// after it (not scaled by the batch).
struct TensorView {
  int id = 0;                          // index in the lowered model's tensors
  NodeId producer = 0;                 // the IR node whose output this is
  Shape shape;                         // HxWxC, or C for a flat tensor
  Buffer buffer = Buffer::Arena;
  int storage = 0;                     // its region of memory; views and in-place results share their input's
  std::int64_t offset = 0;             // floats per image from the buffer's start to its first value
  std::int64_t channel_offset = 0;     // its first channel within a wider tensor's pixels (0: a whole tensor)
  std::int64_t pixel_stride = 0;       // floats from one pixel to the next (its channels: a whole tensor)
  std::optional<Shape> map;            // a flat view of an HxWxC map (after flatten): the map, channels last
  int first_step = 0, last_step = 0;   // written by first_step (the model's input: 0), last read by last_step
  int reuses = -1;                     // the tensor whose memory it takes over (view, in place), or -1

  bool whole() const { return channel_offset == 0 && pixel_stride == shape.channels(); }
};

/// A batch norm folded into the weights of the step's primary layer: its weight keys' prefix, its epsilon and
/// which of gamma and beta it has.
struct FoldedBatchNorm {
  std::string key;
  BatchNormParams params;
};

/// One statement of forward(): a primary node's runtime call with the nodes folded into it, a view (no
/// work: the output is the input's memory), or a copy (the model's output is a view of its input).
struct LoweredStep {
  enum class Kind { Compute, View, Copy };
  Kind kind = Kind::Compute;
  int index = 0;                       // position in the step list; lifetimes count in steps
  NodeId node = 0;                     // the primary node, whose layer writes the step's code
  std::string key;                     // the primary layer's name, its weight keys' prefix (conv1 -> conv1.weight)
  std::vector<NodeId> covers;          // every IR node the step computes, in order, folded ones included
  std::vector<int> inputs;             // tensors read
  int output = 0;                      // tensor written
  Activation epilogue;                 // elementwise activation after the main computation (linear: none)
  bool adds_residual = false;          // inputs[1] is added before the epilogue (a residual add folded in)
  bool softmax = false;                // a softmax over the channels ends the step (conv/dense `softmax`)
  Sides folded_padding{};              // a zero padding taken into the step's own padding (zeros: none)
  std::optional<FoldedBatchNorm> folded_batch_norm;
};

}  // namespace netc
