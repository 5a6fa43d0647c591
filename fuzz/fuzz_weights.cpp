// libFuzzer target for the weights reader: bytes as a safetensors file through SafeTensors::from_bytes,
// then everything generated code does with a file: every F32 tensor read with its own shape, tensors of
// other dtypes, wrong shapes and missing names asked for, the provenance check and check_all_used. The
// bytes are also written to a file and opened mapped and read, which must come to the same verdict.
// A netc::rt::WeightsError is the expected answer to bad bytes; any other exception, a crash, a read out
// of bounds (ASan), undefined behaviour (UBSan), a leak or a timeout is a bug.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <netc/model.hpp>
#include <netc/safetensors.hpp>

namespace {

using netc::rt::SafeTensors;
using netc::rt::TensorInfo;
using netc::rt::WeightsError;

// Runs f, accepting only a WeightsError as failure.
template <class F>
bool weights_error(F&& f) {
  try {
    f();
  } catch (const WeightsError&) {
    return true;
  }
  return false;
}

[[noreturn]] void bug(const char* what) {
  std::fprintf(stderr, "fuzz_weights: %s\n", what);
  std::abort();
}

// What opening promises: tensors in offset order, tiling the data section, each holding its shape's bytes.
void check_layout(const SafeTensors& file) {
  std::uint64_t covered = 0;
  for (const TensorInfo& t : file.tensors()) {
    if (t.begin != covered || t.end < t.begin) bug("tensors do not tile the data section");
    if (file.find(t.name) != &t) bug("find() does not give back a tensor");
    covered = t.end;
  }
}

void use_tensors(const SafeTensors& file) {
  for (const TensorInfo& t : file.tensors()) {
    if (t.dtype == "F32") {
      std::vector<float> values;
      if (!weights_error([&] { values = file.read_f32(t.name, t.shape); })) {
        std::uint64_t count = 1;
        for (std::int64_t d : t.shape) count *= static_cast<std::uint64_t>(d);
        if (values.size() != count) bug("read_f32 returned another number of values than its shape holds");
        const netc::rt::F32View view = file.view_f32(t.name, t.shape);  // what generated models load with
        if (view.size() != count || !std::equal(values.begin(), values.end(), view.data(),
                                                [](float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }))
          bug("view_f32 gave other values than read_f32");
      }
    } else if (!weights_error([&] { file.read_f32(t.name, t.shape); })) {
      bug("read_f32 accepted a tensor that is not F32");
    }
    std::vector<std::int64_t> other = t.shape;
    other.push_back(1);
    if (!weights_error([&] { file.read_f32(t.name, other); })) bug("read_f32 accepted another shape");
  }
  if (!weights_error([&] { file.read_f32("no such tensor", {1}); })) bug("read_f32 found a tensor that is not there");
  weights_error([&] { netc::rt::check_weights_provenance(file, "fuzz", "8x8x3", 10); });
  weights_error([&] { file.check_all_used(netc::rt::is_training_bookkeeping); });
  for (const TensorInfo& t : file.tensors()) file.mark_used(t.name);
  file.check_all_used();  // everything is used now: must not throw
}

// The message of the WeightsError that opening throws, with the file's name left out ("" when it opens).
template <class Open>
std::string verdict(const std::string& name, Open&& open) {
  try {
    SafeTensors file = open();
    return "";
  } catch (const WeightsError& e) {
    std::string message = e.what();
    if (message.rfind(name + ": ", 0) != 0) bug("a message does not start with the file's name");
    return message.substr(name.size() + 2);
  }
}

// The file on disk, opened mapped and read: each mode reads in its own order (the read one takes the length,
// then the header, then the data), and both must come to from_bytes' verdict.
void open_from_disk(const std::vector<unsigned char>& bytes, const std::string& expected) {
  static const std::string path = "/tmp/netc_fuzz_weights_" + std::to_string(::getpid()) + ".safetensors";
  if (std::FILE* out = std::fopen(path.c_str(), "wb")) {
    const bool written = std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size();
    if (std::fclose(out) != 0 || !written) bug("cannot write the fuzz input to a file");
  }
  for (auto mode : {netc::rt::LoadMode::Map, netc::rt::LoadMode::Read})
    if (verdict(path, [&] { return SafeTensors::open(path, mode); }) != expected)
      bug("opening the file gives another verdict than from_bytes");
  std::remove(path.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<unsigned char> bytes(data, data + size);
  const std::string expected = verdict("fuzz.safetensors", [&] { return SafeTensors::from_bytes(bytes, "fuzz.safetensors"); });
  try {
    SafeTensors file = SafeTensors::from_bytes(bytes, "fuzz.safetensors");
    check_layout(file);
    use_tensors(file);
  } catch (const WeightsError&) {
    // A malformed file, reported: the expected outcome.
  }
  open_from_disk(bytes, expected);
  return 0;
}
