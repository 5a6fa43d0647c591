// Lowering (see Lower.hpp): folding, fusion, views, in-place steps, storages and the slices of concatenations,
// decided by the ops' traits and interfaces.
#include "passes/Lower.hpp"

#include <algorithm>
#include <optional>

#include "passes/ImageOrder.hpp"

namespace netc {

namespace {

/// Where a join's input goes in the join's output: the join and the input's first channel there.
struct Slice {
  NodeId join;
  std::int64_t channel_offset;
};

class Lowering {
public:
  explicit Lowering(const Graph& g)
      : g_(g), consumers_(g.consumers()), absorbed_(g.nodes.size(), false), slice_of_(g.nodes.size()),
        join_storage_(g.nodes.size(), -1) {
    plan_.tensor_of.assign(g.nodes.size(), -1);
    for (const Node& n : g.nodes)
      if (n.layer->joins_channels()) plan_slices(n);
  }

  Plan run() {
    const Node& input = g_.nodes[0];
    plan_.tensor_of[0] = new_tensor(input, new_storage(Buffer::Input, input), -1);
    for (std::size_t i = 1; i < g_.nodes.size(); ++i)
      if (!absorbed_[i]) lower(g_.nodes[i]);
    finish_output();
    const int image_steps = activation_heavy_steps(g_, plan_);
    plan_.arena_floats = plan_arena_for_images(plan_.storages, image_steps);
    resolve_views();
    plan_.image_steps = image_major_steps(plan_, image_steps);
    return std::move(plan_);
  }

private:
  const Node& node(NodeId id) const { return g_.nodes[static_cast<std::size_t>(id)]; }
  TensorView& tensor(int id) { return plan_.tensors[static_cast<std::size_t>(id)]; }
  Storage& storage(int id) { return plan_.storages[static_cast<std::size_t>(id)]; }
  int next_step() const { return static_cast<int>(plan_.steps.size()); }

  // Whether t is a channel slice of a wider tensor (before resolve_views, a whole tensor's stride is 0).
  static bool sliced(const TensorView& t) {
    return t.channel_offset != 0 || (t.pixel_stride != 0 && t.pixel_stride != t.shape.channels());
  }

  // The node's only consumer, when it has exactly one and is not the model's output.
  const Node* sole_consumer(const Node& n) const {
    const auto& c = consumers_[static_cast<std::size_t>(n.id)];
    if (c.size() != 1 || n.id == g_.output().id) return nullptr;
    return &node(c[0]);
  }

  int new_storage(Buffer buffer, const Node& n) {
    plan_.storages.push_back({buffer, n.shape.elements(), 0, next_step(), next_step()});
    pending_reads_.push_back(0);
    return static_cast<int>(plan_.storages.size()) - 1;
  }

  // n's output, written by the step about to be added into `storage_id`, taking over tensor `reuses` (or -1).
  int new_tensor(const Node& n, int storage_id, int reuses) {
    TensorView t;
    t.id = static_cast<int>(plan_.tensors.size());
    t.producer = n.id;
    t.shape = n.shape;
    t.storage = storage_id;
    t.first_step = t.last_step = next_step();
    t.reuses = reuses;
    plan_.tensors.push_back(std::move(t));
    pending_reads_[static_cast<std::size_t>(storage_id)] += static_cast<int>(consumers_[static_cast<std::size_t>(n.id)].size());
    return static_cast<int>(plan_.tensors.size()) - 1;
  }

  // Marks that the step about to be added reads tensor `id`; true when nothing reads its memory afterwards
  // and that memory is the arena's (so that the step may write over it).
  bool read(int id) {
    TensorView& t = tensor(id);
    Storage& s = storage(t.storage);
    t.last_step = s.last_step = next_step();
    return --pending_reads_[static_cast<std::size_t>(t.storage)] == 0 && s.buffer == Buffer::Arena;
  }

  LoweredStep new_step(const Node& n, LoweredStep::Kind kind) const {
    LoweredStep step;
    step.kind = kind;
    step.index = next_step();
    step.node = n.id;
    step.key = n.name;
    return step;
  }

  void lower(const Node& n) {
    const OpTraits& traits = n.op().traits;
    if (traits.view) return view(n);
    if (folds_into_consumer(n)) return;
    LoweredStep step = new_step(n, LoweredStep::Kind::Compute);
    NodeId first_input = take_padding(n, step);
    step.covers.push_back(n.id);
    bool last_reader = read_inputs(n, first_input, step);
    const Node& last = fuse(n, step);
    // (In place only over a whole tensor: a slice's pixels lie further apart than the output's.)
    int reuses = traits.in_place && last_reader && !sliced(tensor(step.inputs[0])) ? step.inputs[0] : -1;
    if (step.adds_residual && nothing_reads_after(step.inputs[1], step.inputs[0])) reuses = step.inputs[1];
    // (A step that adds a residual reads it laid out as its output, so it writes a whole tensor.)
    const Slice* planned =
        reuses < 0 && traits.writes_slices && !step.softmax && !step.adds_residual ? slice_of(last) : nullptr;
    const std::optional<Slice> slice = planned ? std::optional<Slice>(outermost(*planned)) : std::nullopt;
    int storage_id = reuses >= 0 ? tensor(reuses).storage : slice ? join_storage(slice->join) : storage_for(last);
    const std::optional<Shape> map = tensor(step.inputs[0]).map;
    finish_step(std::move(step), last, storage_id, reuses);
    // An op that may run in place computes position by position: a flat result keeps its input's map, so that a
    // dense layer after `flatten; relu` still reads the map's order.
    TensorView& out = plan_.tensors.back();
    const TensorView& in = tensor(out.reuses >= 0 ? out.reuses : plan_.steps.back().inputs[0]);
    if (traits.in_place && !out.shape.spatial() && out.shape == in.shape) out.map = map;
    if (slice) {
      TensorView& t = plan_.tensors.back();
      t.channel_offset = slice->channel_offset;
      t.pixel_stride = node(slice->join).shape.channels();
    }
  }

  // Concatenation without copies: an input of a join (concat) that the join reads once, and that nothing
  // else reads but ops able to read a slice (trait reads_slices), may be written straight into its channel
  // slice of the join's output, when the step that makes it can write a slice (its op's trait writes_slices;
  // lower() checks that). The join's storage is then made by the first such step. A join may itself be such
  // an input of another join, so that a chain of them (DenseNet's block: each layer joins the previous join
  // and 32 new channels) lives in the last one's memory and nothing is copied.
  void plan_slices(const Node& join) {
    std::int64_t offset = 0;
    for (NodeId in : join.inputs) {
      bool once = std::count(join.inputs.begin(), join.inputs.end(), in) == 1;
      auto& slice = slice_of_[static_cast<std::size_t>(in)];
      if (once && in != 0 && in != g_.output().id && !slice && others_read_slices(node(in), join))
        slice = Slice{join.id, offset};
      offset += node(in).shape.channels();
    }
  }

  // Whether every reader of n besides `join` can read a slice.
  bool others_read_slices(const Node& n, const Node& join) const {
    const auto& readers = consumers_[static_cast<std::size_t>(n.id)];
    return std::all_of(readers.begin(), readers.end(),
                       [&](NodeId r) { return r == join.id || node(r).op().traits.reads_slices; });
  }

  const Slice* slice_of(const Node& n) const {
    const auto& s = slice_of_[static_cast<std::size_t>(n.id)];
    return s ? &*s : nullptr;
  }

  // Where a slice of a join lies when that join is itself a slice of another, and so on: in the outermost
  // join, at the sum of the offsets. (A join always writes its planned slice: lower() takes it for its step.)
  Slice outermost(Slice s) const {
    while (const Slice* outer = slice_of(node(s.join)))
      s = Slice{outer->join, s.channel_offset + outer->channel_offset};
    return s;
  }

  // The storage of an outermost join's output, made when its first slice is written.
  int join_storage(NodeId join) {
    int& id = join_storage_[static_cast<std::size_t>(join)];
    if (id < 0) id = new_storage(Buffer::Arena, node(join));
    return id;
  }

  // A new storage for n's output, or the one its slices were written into (a join's).
  int storage_for(const Node& n) {
    int joined = join_storage_[static_cast<std::size_t>(n.id)];
    return joined >= 0 ? joined : new_storage(Buffer::Arena, n);
  }

  // A zero padding whose only reader takes padding into its own (op trait absorbs_padding, where its layer
  // agrees given whether the padded values are never negative) is lowered with it.
  bool folds_into_consumer(const Node& n) {
    const Node* next = sole_consumer(n);
    if (!n.layer->padding_sides() || !next || !next->op().traits.absorbs_padding || next->inputs[0] != n.id) return false;
    if (!next->layer->takes_padding(non_negative(node(n.inputs[0])))) return false;
    absorbed_[static_cast<std::size_t>(n.id)] = true;
    return true;
  }

  // Whether every value n outputs is >= 0 (or NaN): the activation layer's function, or the op's own
  // activation, is one that never gives a negative value.
  static bool non_negative(const Node& n) {
    return n.layer->activation_function().value_or(n.layer->fused_activation()).non_negative();
  }

  // The node's first input; or, when that is a zero padding folded into it, the padding's input (the step
  // records the sides and covers the padding).
  NodeId take_padding(const Node& n, LoweredStep& step) {
    NodeId in = n.inputs[0];
    auto sides = node(in).layer->padding_sides();
    if (!n.op().traits.absorbs_padding || !sides || !absorbed_[static_cast<std::size_t>(in)]) return in;
    step.folded_padding = *sides;
    step.covers.push_back(in);
    return node(in).inputs[0];
  }

  // Records the step's inputs; true when the step is the last reader of its first input's arena memory.
  bool read_inputs(const Node& n, NodeId first_input, LoweredStep& step) {
    bool last_reader = false;
    for (std::size_t k = 0; k < n.inputs.size(); ++k) {
      int t = plan_.tensor_of[static_cast<std::size_t>(k == 0 ? first_input : n.inputs[k])];
      step.inputs.push_back(t);
      bool last = read(t);
      if (k == 0) last_reader = last;
    }
    return last_reader;
  }

  // The step's epilogue, and what it folds after its primary node: a batch norm (op trait absorbs_batch_norm),
  // a residual add (absorbs_residual), then an elementwise activation layer (op trait fuses_activation), each
  // only when the primary applies no activation of its own, which would have to come first. Returns the last
  // node the step computes.
  const Node& fuse(const Node& n, LoweredStep& step) {
    const OpTraits& traits = n.op().traits;
    Activation own = n.layer->fused_activation();
    step.softmax = !own.elementwise();
    if (own.elementwise()) step.epilogue = own;
    const Node* last = &n;
    const Node* next = sole_consumer(n);
    auto norm = next ? next->layer->batch_norm() : std::nullopt;
    if (traits.absorbs_batch_norm && own.linear() && norm) {
      step.folded_batch_norm = FoldedBatchNorm{next->name, *norm};
      last = next;
      next = sole_consumer(*next);
    }
    if (traits.absorbs_residual && own.linear() && absorb_residual(*last, next, step)) {
      last = next;
      next = sole_consumer(*next);
    }
    auto function = next ? next->layer->activation_function() : std::nullopt;
    if (traits.fuses_activation && own.linear() && function && function->elementwise()) {
      step.epilogue = *function;
      last = next;
    }
    for (const Node* covered = &n; covered != last;) {
      covered = &node(consumers_[static_cast<std::size_t>(covered->id)][0]);
      absorbed_[static_cast<std::size_t>(covered->id)] = true;
      step.covers.push_back(covered->id);
    }
    return *last;
  }

  // A sum that only `last` feeds, whose other input is computed already and is a whole tensor (the kernel reads
  // it laid out as the output): the step reads that input and adds it before its epilogue, writing over it when
  // nothing reads it afterwards (and the step's own input is elsewhere).
  bool absorb_residual(const Node& last, const Node* sum, LoweredStep& step) {
    if (!sum || !sum->layer->sums_inputs() || !sum->layer->fused_activation().linear()) return false;
    NodeId other = sum->inputs[0] == last.id ? sum->inputs[1] : sum->inputs[0];
    int t = other == last.id ? -1 : plan_.tensor_of[static_cast<std::size_t>(other)];
    if (t < 0 || sliced(tensor(t))) return false;
    step.inputs.push_back(t);
    step.adds_residual = true;
    read(t);
    return true;
  }

  // Once the step's reads are recorded: whether it may write over tensor t, which it reads with `input`
  // (its arena memory is read by nobody afterwards, and is not where the step's input is).
  bool nothing_reads_after(int t, int input) {
    const int s = tensor(t).storage;
    return pending_reads_[static_cast<std::size_t>(s)] == 0 && storage(s).buffer == Buffer::Arena &&
           s != tensor(input).storage;
  }

  void finish_step(LoweredStep step, const Node& last, int storage_id, int reuses) {
    step.output = new_tensor(last, storage_id, reuses);
    for (NodeId covered : step.covers) plan_.tensor_of[static_cast<std::size_t>(covered)] = step.output;
    plan_.steps.push_back(std::move(step));
  }

  // A view takes its input's memory; a flat view of an HxWxC map remembers the map (for dense's weights).
  void view(const Node& n) {
    LoweredStep step = new_step(n, LoweredStep::Kind::View);
    int input = plan_.tensor_of[static_cast<std::size_t>(n.inputs[0])];
    read(input);
    step.inputs.push_back(input);
    step.covers.push_back(n.id);
    finish_step(std::move(step), n, tensor(input).storage, input);
    const TensorView& in = tensor(input);
    TensorView& out = plan_.tensors.back();
    if (!out.shape.spatial()) out.map = in.shape.spatial() ? std::optional<Shape>(in.shape) : in.map;
  }

  // The model's result goes straight into the caller's output buffer; if it is a view of the caller's
  // input, a copy step moves it there.
  void finish_output() {
    const Node& out = g_.output();
    int result = plan_.tensor_of[static_cast<std::size_t>(out.id)];
    Storage& s = storage(tensor(result).storage);
    if (s.buffer == Buffer::Arena) {
      s.buffer = Buffer::Output;
    } else {
      LoweredStep copy = new_step(out, LoweredStep::Kind::Copy);
      read(result);
      copy.inputs.push_back(result);
      finish_step(std::move(copy), out, new_storage(Buffer::Output, out), -1);
      result = plan_.steps.back().output;
    }
    tensor(result).last_step = next_step() - 1;  // then the caller reads it
  }

  // Once the arena is planned: where each tensor is.
  void resolve_views() {
    for (TensorView& t : plan_.tensors) {
      const Storage& s = storage(t.storage);
      t.buffer = s.buffer;
      t.offset = s.buffer == Buffer::Arena ? s.offset : 0;
      if (t.pixel_stride == 0) t.pixel_stride = t.shape.channels();
    }
  }

  const Graph& g_;
  std::vector<std::vector<NodeId>> consumers_;
  std::vector<bool> absorbed_;
  std::vector<std::optional<Slice>> slice_of_;  // per node: its place in a join, if it may be written there
  std::vector<int> join_storage_;               // per join node: the storage its slices went into, or -1
  std::vector<int> pending_reads_;  // per storage: reads not yet done
  Plan plan_;
};

}  // namespace

Plan lower(const Graph& graph) { return Lowering(graph).run(); }

}  // namespace netc
