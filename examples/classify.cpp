// classify: runs a netc-generated model on an image and prints the top-5 classes, the time per image and the
// instruction set whose kernels ran (NETC_ISA=avx512|avx2|generic forces one).
// Usage: classify WEIGHTS.safetensors IMAGE [--labels FILE] [--runs N] [--threads T] [--mean R,G,B --std R,G,B]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

#include NETC_MODEL_HEADER
#include "image.hpp"

namespace {

struct Options {
  std::string weights, image, labels;
  int runs = 5;
  int threads = 1;
  std::vector<float> mean{0, 0, 0}, std{1, 1, 1};
};

std::vector<float> three_numbers(const std::string& text) {
  std::vector<float> v;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find(',', begin);
    if (end == std::string::npos) end = text.size();
    v.push_back(std::stof(text.substr(begin, end - begin)));
    begin = end + 1;
  }
  if (v.size() != 3) throw std::invalid_argument("expected three numbers R,G,B, found '" + text + "'");
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--labels" && has_value) o.labels = argv[++i];
    else if (a == "--runs" && has_value) o.runs = std::max(1, std::atoi(argv[++i]));
    else if (a == "--threads" && has_value) o.threads = std::max(0, std::atoi(argv[++i]));
    else if (a == "--mean" && has_value) o.mean = three_numbers(argv[++i]);
    else if (a == "--std" && has_value) o.std = three_numbers(argv[++i]);
    else if (!a.empty() && a[0] == '-') throw std::invalid_argument("unknown option or missing value: " + a);
    else positional.push_back(a);
  }
  if (positional.size() != 2)
    throw std::invalid_argument("usage: classify WEIGHTS.safetensors IMAGE [--labels FILE] [--runs N] [--threads T]");
  o.weights = positional[0];
  o.image = positional[1];
  return o;
}

std::vector<std::string> read_labels(const std::string& path) {
  std::vector<std::string> labels;
  if (path.empty()) return labels;
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read the labels");
  for (std::string line; std::getline(in, line);) labels.push_back(line);
  return labels;
}

double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Options o = parse(argc, argv);
    using Model = NETC_MODEL_CLASS;
    auto start = std::chrono::steady_clock::now();
    Model model(o.weights, 1, o.threads);
    double load_ms = milliseconds_since(start);

    std::vector<float> input = load_image(o.image, Model::kInputHeight, Model::kInputWidth, Model::kInputChannels);
    for (std::size_t i = 0; i < input.size(); ++i) {
      std::size_t c = i % Model::kInputChannels;
      input[i] = (input[i] - o.mean[c % 3]) / o.std[c % 3];
    }
    std::vector<float> output(Model::kOutputSize);
    std::vector<double> times;
    for (int r = 0; r < o.runs; ++r) {
      start = std::chrono::steady_clock::now();
      model.forward(input.data(), input.size(), output.data(), output.size());
      times.push_back(milliseconds_since(start));
    }
    std::sort(times.begin(), times.end());

    std::vector<std::string> labels = read_labels(o.labels);
    std::vector<int> order(output.size());
    std::iota(order.begin(), order.end(), 0);
    std::size_t k = std::min<std::size_t>(5, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [&](int a, int b) { return output[a] > output[b]; });
    std::printf("%s on %s (weights %s, loaded in %.0f ms; kernels: %s)\n", NETC_MODEL_HEADER, o.image.c_str(),
                o.weights.c_str(), load_ms, netc::rt::active_isa());
    for (std::size_t i = 0; i < k; ++i) {
      int c = order[i];
      std::string label = static_cast<std::size_t>(c) < labels.size() ? "  " + labels[c] : "";
      std::printf("  %zu. class %4d  %.4f%s\n", i + 1, c, output[c], label.c_str());
    }
    std::printf("time per image: %.2f ms (median of %d runs)\n", times[times.size() / 2], o.runs);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "classify: error: " << e.what() << "\n";
    return 1;
  }
}
