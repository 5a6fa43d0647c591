// Named tensor views for generated C++ (see CppTensors.hpp).
#include "emit/CppTensors.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "emit/Identifiers.hpp"

namespace netc {

CppTensors::CppTensors(const Graph& graph, const Plan& plan)
    : plan_(plan), declared_(plan.tensors.size(), false), made_by_(plan.tensors.size(), LoweredStep::Kind::Compute) {
  for (const LoweredStep& step : plan.steps) made_by_[static_cast<std::size_t>(step.output)] = step.kind;
  for (const TensorView& t : plan.tensors) {
    const std::string& producer = graph.nodes[static_cast<std::size_t>(t.producer)].name;
    bool copy = made_by_[static_cast<std::size_t>(t.id)] == LoweredStep::Kind::Copy;
    names_.push_back(identifier_stem(producer) + (copy ? "_result" : "_out"));
  }
  for (const LoweredStep& step : plan.steps) {
    for (int in : step.inputs)
      if (step.kind != LoweredStep::Kind::View) declared_[static_cast<std::size_t>(in)] = true;
    if (step.kind != LoweredStep::Kind::View) declared_[static_cast<std::size_t>(step.output)] = true;
  }
  // A view is declared when something reads it; then so is the tensor it views (later tensors come first).
  for (auto t = plan.tensors.rbegin(); t != plan.tensors.rend(); ++t)
    if (declared_[static_cast<std::size_t>(t->id)] && t->reuses >= 0) declared_[static_cast<std::size_t>(t->reuses)] = true;
}

std::string CppTensors::where(const TensorView& t) const {
  std::string place = t.buffer == Buffer::Input    ? "the caller's input"
                      : t.buffer == Buffer::Output ? "the caller's output"
                                                   : fmt::format("arena offset {}", t.offset);
  std::string steps = t.first_step == t.last_step ? fmt::format("step {}", t.first_step)
                                                  : fmt::format("steps {}-{}", t.first_step, t.last_step);
  std::string over;
  if (!t.whole()) over = fmt::format(", channels {}-{} of {} floats a pixel", t.channel_offset,
                                     t.channel_offset + t.shape.channels() - 1, t.pixel_stride);
  if (t.reuses >= 0)
    over = fmt::format(", {} {}", made_by_[static_cast<std::size_t>(t.id)] == LoweredStep::Kind::View ? "a view of" : "in place of",
                       name(t.reuses));
  return place + ", " + steps + over;
}

namespace {
// The start of a tensor's memory itself: the caller's buffer, or its arena offset scaled by the batch.
std::string memory_of(const TensorView& t) {
  return t.buffer == Buffer::Input    ? "input"
         : t.buffer == Buffer::Output ? "output"
         : t.offset == 0              ? "a"
                                      : fmt::format("a + {} * n", t.offset);
}
}  // namespace

bool CppTensors::local_to_loop(const TensorView& t) const {
  const Storage& s = plan_.storages[static_cast<std::size_t>(t.storage)];
  return t.buffer == Buffer::Arena && s.last_step < plan_.image_steps;
}

std::int64_t CppTensors::loop_floats() const {
  std::int64_t floats = 0;
  for (const TensorView& t : plan_.tensors)
    if (declared(t.id) && t.reuses < 0 && local_to_loop(t))
      floats = std::max(floats, t.offset + plan_.storages[static_cast<std::size_t>(t.storage)].floats);
  return floats;
}

bool CppTensors::loop_offsets() const {
  for (const TensorView& t : plan_.tensors)
    if (declared(t.id) && t.reuses < 0 && local_to_loop(t) && t.offset != 0) return true;
  return false;
}

std::string CppTensors::declaration(int id, bool per_image) const {
  const TensorView& t = plan_.tensors[static_cast<std::size_t>(id)];
  if (!per_image || t.reuses >= 0)
    return declared_as(t, t.reuses >= 0 ? name(t.reuses) + ".data" : memory_of(t), per_image ? "images" : "batch");
  const std::int64_t floats = plan_.storages[static_cast<std::size_t>(t.storage)].floats;
  std::string data = !local_to_loop(t) ? fmt::format("{} + image * {}", memory_of(t), floats)
                     : t.offset == 0   ? fmt::format("local + slot * {}", floats)
                                       : fmt::format("local + {} * slots + slot * {}", t.offset, floats);
  return declared_as(t, std::move(data), "images");
}

std::string CppTensors::batch_declaration(int id) const {
  const TensorView& t = plan_.tensors[static_cast<std::size_t>(id)];
  return declared_as(t, memory_of(t), "batch");
}

std::string CppTensors::declared_as(const TensorView& t, std::string data, const char* batch) const {
  std::string dims = t.shape.spatial() ? fmt::format("{}, {}, {}", t.shape.height(), t.shape.width(), t.shape.channels())
                                       : fmt::format("1, 1, {}", t.shape.channels());
  const char* type = t.buffer == Buffer::Input ? "ConstTensor" : "Tensor";
  if (!t.whole()) {  // a channel slice of a wider tensor: its first channel, and the wider tensor's pixel stride
    if (t.channel_offset != 0) data += fmt::format(" + {}", t.channel_offset);
    dims += fmt::format(", /*pixel stride*/ {}", t.pixel_stride);
  }
  return fmt::format("const netc::rt::{} {}{{{}, {}, {}}};  // {}", type, name(t.id), data, batch, dims, where(t));
}

bool CppTensors::uses_arena() const {
  for (const TensorView& t : plan_.tensors)
    if (declared(t.id) && t.buffer == Buffer::Arena && t.reuses < 0 && !local_to_loop(t)) return true;
  return false;
}

bool CppTensors::uses_batch_offsets() const {
  for (const TensorView& t : plan_.tensors)
    if (declared(t.id) && t.buffer == Buffer::Arena && t.reuses < 0 && t.offset != 0 && !local_to_loop(t)) return true;
  return false;
}

}  // namespace netc
