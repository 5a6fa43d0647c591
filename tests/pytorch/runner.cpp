// Runs one of the equivalence cases' generated models: reads a batch (float32 NHWC) and weights, writes the
// output and, with --layers DIR, every step's output (DIR/<name>.bin, and DIR/index.txt listing the names in
// order, with '/' written as '.' in file names). --threads T runs the model in a context of T threads (default 1).
// Usage: netc_equivalence_runner CASE WEIGHTS INPUT.bin OUTPUT.bin [--layers DIR] [--threads T]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "equivalence_cases.hpp"  // made by CMake: the cases' headers and NETC_CASES(X)

namespace {

std::vector<float> read_floats(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<float> v(static_cast<std::size_t>(in.tellg()) / sizeof(float));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(float)));
  return v;
}

void write_floats(const std::string& path, const float* data, std::size_t n) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(n * sizeof(float)));
  if (!out) throw std::runtime_error("cannot write " + path);
}

struct Dumper : netc::rt::LayerObserver {
  std::string dir;
  std::ofstream index;
  explicit Dumper(std::string d) : dir(std::move(d)), index(dir + "/index.txt") {}
  void on_layer(const char* name, netc::rt::ConstTensor t) override {
    std::string file = name;
    for (char& c : file)
      if (c == '/') c = '.';
    // A branch written into its slice of a concatenation: its own channels, gathered pixel by pixel.
    std::vector<float> values;
    for (std::size_t p = 0; p < t.size() / std::size_t(t.c); ++p)
      values.insert(values.end(), t.data + p * t.stride(), t.data + p * t.stride() + t.c);
    write_floats(dir + "/" + file + ".bin", values.data(), values.size());
    index << name << " " << t.n << " " << t.h << " " << t.w << " " << t.c << "\n";
  }
};

struct Options {
  std::string layers;  // empty: no per-layer dumps
  int threads = 1;
};

template <class Model>
void run(const std::string& weights, const std::string& input_path, const std::string& output_path,
         const Options& options) {
  const std::string& layers = options.layers;
  std::vector<float> input = read_floats(input_path);
  int batch = static_cast<int>(input.size() / Model::kInputSize);
  Model model(weights, batch, options.threads);
  std::vector<float> output(batch * Model::kOutputSize);
  if (layers.empty()) {
    model.forward(input.data(), input.size(), output.data(), output.size());
  } else {
    Dumper dumper(layers);
    model.forward(input.data(), input.size(), output.data(), output.size(), &dumper);
  }
  write_floats(output_path, output.data(), output.size());
}

/// The options after the four positional arguments; false when one is not understood.
bool parse_options(int argc, char** argv, Options& options) {
  for (int i = 5; i < argc; i += 2) {
    std::string flag = argv[i];
    if (i + 1 >= argc) return false;
    if (flag == "--layers") {
      options.layers = argv[i + 1];
    } else if (flag == "--threads") {
      options.threads = std::atoi(argv[i + 1]);
      if (options.threads < 1) return false;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Options options;
    if (argc < 5 || !parse_options(argc, argv, options)) {
      std::cerr << "usage: netc_equivalence_runner CASE WEIGHTS INPUT.bin OUTPUT.bin [--layers DIR] [--threads T]\n";
      return 2;
    }
    std::string name = argv[1];
#define NETC_RUN_CASE(case_name, Class) \
  if (name == #case_name) return run<Class>(argv[2], argv[3], argv[4], options), 0;
    NETC_CASES(NETC_RUN_CASE)
    std::cerr << "unknown case " << name << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "netc_equivalence_runner: " << e.what() << "\n";
    return 1;
  }
}
