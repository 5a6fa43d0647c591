// Lowering (see Lower.hpp): fusion decisions, views, in-place steps and storages.
#include "passes/Lower.hpp"

#include <algorithm>

#include "ops/Activation.hpp"
#include "ops/Conv.hpp"
#include "ops/Dense.hpp"

namespace netc {

namespace {

bool is(const Node& n, std::string_view keyword) { return n.op().keyword == keyword; }

bool is_elementwise_activation(const Node& n) {
  auto* a = dynamic_cast<const ActivationLayer*>(n.layer.get());
  return a && a->function.kind != ActivationKind::Softmax;
}

// Ops whose output may overwrite their (first) input.
bool can_run_in_place(const Node& n) {
  return is(n, "add") || is(n, "batchnorm") || dynamic_cast<const ActivationLayer*>(n.layer.get());
}

class Lowering {
public:
  explicit Lowering(const Graph& g) : g_(g), consumers_(g.consumers()), absorbed_(g.nodes.size(), false) {
    plan_.tensor_of.assign(g.nodes.size(), -1);
  }

  Plan run() {
    int input = new_storage(Storage::Kind::Input, g_.nodes[0]);
    plan_.tensor_of[0] = new_value(g_.nodes[0], input);
    for (std::size_t i = 1; i < g_.nodes.size(); ++i)
      if (!absorbed_[i]) lower(g_.nodes[i]);
    finish_output();
    plan_.arena_floats = plan_arena(plan_.storages);
    return std::move(plan_);
  }

private:
  // The node's only consumer, when it has exactly one and is not the model's output.
  const Node* sole_consumer(const Node& n) const {
    const auto& c = consumers_[static_cast<std::size_t>(n.id)];
    if (c.size() != 1 || n.id == g_.output().id) return nullptr;
    return &g_.nodes[static_cast<std::size_t>(c[0])];
  }

  int new_storage(Storage::Kind kind, const Node& n) {
    int step = static_cast<int>(plan_.steps.size());
    plan_.storages.push_back({kind, n.shape.elements(), 0, step, step});
    pending_reads_.push_back(0);
    return static_cast<int>(plan_.storages.size()) - 1;
  }

  int new_value(const Node& n, int storage) {
    plan_.tensors.push_back({n.shape, storage, n.id});
    pending_reads_[static_cast<std::size_t>(storage)] += static_cast<int>(consumers_[static_cast<std::size_t>(n.id)].size());
    return static_cast<int>(plan_.tensors.size()) - 1;
  }

  // Marks that the step about to be added reads `value`; true when nothing reads its storage afterwards.
  bool read(int value) {
    int storage = plan_.tensors[static_cast<std::size_t>(value)].storage;
    Storage& s = plan_.storages[static_cast<std::size_t>(storage)];
    s.last_step = static_cast<int>(plan_.steps.size());
    return --pending_reads_[static_cast<std::size_t>(storage)] == 0 && s.kind == Storage::Kind::Arena;
  }

  void lower(const Node& n) {
    if (is(n, "flatten") || is(n, "dropout")) return view(n);
    if (is(n, "zeropad")) {
      const Node* next = sole_consumer(n);
      if (next && is(*next, "conv")) {
        absorbed_[static_cast<std::size_t>(n.id)] = true;  // folded into the convolution's padding
        return;
      }
    }
    Step step;
    step.node = n.id;
    const Node* input_node = n.inputs.empty() ? nullptr : &g_.nodes[static_cast<std::size_t>(n.inputs[0])];
    if (is(n, "conv") && is(*input_node, "zeropad") && absorbed_[static_cast<std::size_t>(input_node->id)]) {
      step.folded_pad = input_node->id;
      step.covers.push_back(input_node->id);
      input_node = &g_.nodes[static_cast<std::size_t>(input_node->inputs[0])];
    }
    step.covers.push_back(n.id);
    bool last_reader = true;
    for (std::size_t k = 0; k < n.inputs.size(); ++k) {
      NodeId in = k == 0 ? input_node->id : n.inputs[k];
      int value = plan_.tensor_of[static_cast<std::size_t>(in)];
      step.inputs.push_back(value);
      bool last = read(value);
      if (k == 0) last_reader = last;
    }
    const Node& last = fuse(n, step);
    int storage = can_run_in_place(n) && last_reader ? plan_.tensors[static_cast<std::size_t>(step.inputs[0])].storage
                                                     : new_storage(Storage::Kind::Arena, last);
    step.output = new_value(last, storage);
    for (NodeId covered : step.covers) plan_.tensor_of[static_cast<std::size_t>(covered)] = step.output;
    plan_.steps.push_back(std::move(step));
  }

  // Folds a batch norm into a convolution and an activation layer into any step that can apply it;
  // returns the last node the step computes.
  const Node& fuse(const Node& n, Step& step) {
    const Node* last = &n;
    const Node* next = sole_consumer(n);
    if (is(n, "conv") && next && is(*next, "batchnorm")) {
      step.folded_batch_norm = next->id;
      last = next;
      next = sole_consumer(*next);
    }
    bool own_activation = false;
    if (auto* conv = dynamic_cast<const Conv*>(n.layer.get())) own_activation = conv->activation.kind != ActivationKind::Linear;
    if (auto* dense = dynamic_cast<const Dense*>(n.layer.get())) own_activation = dense->activation.kind != ActivationKind::Linear;
    bool takes_epilogue = is(n, "conv") || is(n, "dense") || is(n, "add") || is(n, "batchnorm");
    if (takes_epilogue && !own_activation && next && is_elementwise_activation(*next)) {
      step.fused_activation = next->id;
      last = next;
    }
    for (const Node* covered = &n; covered != last;) {
      covered = &g_.nodes[static_cast<std::size_t>(consumers_[static_cast<std::size_t>(covered->id)][0])];
      absorbed_[static_cast<std::size_t>(covered->id)] = true;
      step.covers.push_back(covered->id);
    }
    return *last;
  }

  void view(const Node& n) {
    int input = plan_.tensor_of[static_cast<std::size_t>(n.inputs[0])];
    read(input);
    Step step{Step::Kind::View, n.id, -1, -1, -1, {input}, 0, {n.id}};
    step.output = new_value(n, plan_.tensors[static_cast<std::size_t>(input)].storage);
    plan_.tensor_of[static_cast<std::size_t>(n.id)] = step.output;
    plan_.steps.push_back(std::move(step));
  }

  // The model's result goes straight into the caller's output buffer; if it is a view of the caller's
  // input, a copy step moves it there.
  void finish_output() {
    int value = plan_.tensor_of[static_cast<std::size_t>(g_.output().id)];
    Storage& s = plan_.storages[static_cast<std::size_t>(plan_.tensors[static_cast<std::size_t>(value)].storage)];
    if (s.kind == Storage::Kind::Arena) {
      s.kind = Storage::Kind::Output;
      return;
    }
    Step copy{Step::Kind::Copy, g_.output().id, -1, -1, -1, {value}, 0, {}};
    read(value);
    copy.output = new_value(g_.output(), new_storage(Storage::Kind::Output, g_.output()));
    plan_.steps.push_back(std::move(copy));
  }

  const Graph& g_;
  std::vector<std::vector<NodeId>> consumers_;
  std::vector<bool> absorbed_;
  std::vector<int> pending_reads_;  // per storage: reads not yet done
  Plan plan_;
};

}  // namespace

Plan lower(const Graph& graph) { return Lowering(graph).run(); }

Activation step_activation(const Graph& graph, const Step& step) {
  if (step.fused_activation >= 0)
    return dynamic_cast<const ActivationLayer&>(*graph.nodes[static_cast<std::size_t>(step.fused_activation)].layer).function;
  const Layer& layer = *graph.nodes[static_cast<std::size_t>(step.node)].layer;
  if (auto* conv = dynamic_cast<const Conv*>(&layer)) return conv->activation;
  if (auto* dense = dynamic_cast<const Dense*>(&layer)) return dense->activation;
  if (auto* a = dynamic_cast<const ActivationLayer*>(&layer)) return a->function;
  return {};
}

std::int64_t plan_arena(std::vector<Storage>& storages) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < storages.size(); ++i)
    if (storages[i].kind == Storage::Kind::Arena) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return storages[a].floats > storages[b].floats; });
  std::vector<std::size_t> placed;
  std::int64_t arena = 0;
  for (std::size_t i : order) {
    Storage& s = storages[i];
    // Occupied intervals of placed storages that are alive at the same time, sorted by offset.
    std::vector<std::pair<std::int64_t, std::int64_t>> busy;
    for (std::size_t j : placed) {
      const Storage& t = storages[j];
      if (t.first_step <= s.last_step && s.first_step <= t.last_step) busy.emplace_back(t.offset, t.offset + t.floats);
    }
    std::sort(busy.begin(), busy.end());
    std::int64_t offset = 0;
    for (auto [begin, end] : busy) {
      if (offset + s.floats <= begin) break;
      offset = std::max(offset, end);
    }
    s.offset = offset;
    arena = std::max(arena, offset + s.floats);
    placed.push_back(i);
  }
  return arena;
}

}  // namespace netc
