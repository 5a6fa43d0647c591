// Runs one of the equivalence cases' generated models: reads a batch (float32 NHWC) and weights, writes the
// output and, with --layers DIR, every step's output (DIR/<name>.bin, and DIR/index.txt listing the names in
// order, with '/' written as '.' in file names).
// Usage: netc_equivalence_runner CASE WEIGHTS INPUT.bin OUTPUT.bin [--layers DIR]
#include <cstdio>
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

template <class Model>
void run(const std::string& weights, const std::string& input_path, const std::string& output_path,
         const std::string& layers) {
  std::vector<float> input = read_floats(input_path);
  int batch = static_cast<int>(input.size() / Model::kInputSize);
  Model model(weights, batch);
  std::vector<float> output(batch * Model::kOutputSize);
  if (layers.empty()) {
    model.forward(input.data(), input.size(), output.data(), output.size());
  } else {
    Dumper dumper(layers);
    model.forward(input.data(), input.size(), output.data(), output.size(), &dumper);
  }
  write_floats(output_path, output.data(), output.size());
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc != 5 && !(argc == 7 && std::string(argv[5]) == "--layers")) {
      std::cerr << "usage: netc_equivalence_runner CASE WEIGHTS INPUT.bin OUTPUT.bin [--layers DIR]\n";
      return 2;
    }
    std::string name = argv[1], layers = argc == 7 ? argv[6] : "";
#define NETC_RUN_CASE(case_name, Class) \
  if (name == #case_name) return run<Class>(argv[2], argv[3], argv[4], layers), 0;
    NETC_CASES(NETC_RUN_CASE)
    std::cerr << "unknown case " << name << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "netc_equivalence_runner: " << e.what() << "\n";
    return 1;
  }
}
