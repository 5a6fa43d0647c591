// classify: runs a netc-generated model on an image and prints the top-5 classes, the time per image and the
// instruction set whose kernels ran (NETC_ISA=avx512|avx2|generic forces one).
// Usage: classify WEIGHTS.safetensors IMAGE [--labels FILE] [--runs N] [--threads T]
//                 [--preprocess caffe|torch|tf|none] [--bgr] [--mean A,B,C --std A,B,C]
// Pixels are read as R,G,B in [0, 1]; --bgr feeds them as B,G,R; then each channel c of the model's input is
// (pixel - mean[c]) / std[c]. --preprocess sets these as Keras's preprocess_input does for pretrained models:
// caffe (Keras's VGG16 and ResNet50: B,G,R in 0..255 less the ImageNet means), torch (torchvision's models:
// R,G,B scaled to [0, 1], normalised by the ImageNet means and standard deviations), tf ([-1, 1]), none
// (R,G,B in 0..255 as the image holds them, for a model that preprocesses itself: models/pretrained/).
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
  bool bgr = false;
  std::vector<float> mean{0, 0, 0}, std{1, 1, 1};
};

// Keras's preprocess_input modes, as a channel order, means and standard deviations of pixels in [0, 1].
void preset(Options& o, const std::string& mode) {
  if (mode == "caffe") {
    o.bgr = true;
    o.mean = {103.939f / 255, 116.779f / 255, 123.68f / 255};
    o.std = {1.f / 255, 1.f / 255, 1.f / 255};
  } else if (mode == "torch") {
    o.mean = {0.485f, 0.456f, 0.406f};
    o.std = {0.229f, 0.224f, 0.225f};
  } else if (mode == "tf") {
    o.mean = {0.5f, 0.5f, 0.5f};
    o.std = {0.5f, 0.5f, 0.5f};
  } else if (mode == "none") {  // R,G,B in 0..255 as the image holds them: for a model that preprocesses itself
    o.mean = {0, 0, 0};
    o.std = {1.f / 255, 1.f / 255, 1.f / 255};
  } else {
    throw std::invalid_argument("--preprocess expects caffe, torch, tf or none, found '" + mode + "'");
  }
}

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
    else if (a == "--preprocess" && has_value) preset(o, argv[++i]);
    else if (a == "--bgr") o.bgr = true;
    else if (!a.empty() && a[0] == '-') throw std::invalid_argument("unknown option or missing value: " + a);
    else positional.push_back(a);
  }
  if (positional.size() != 2)
    throw std::invalid_argument("usage: classify WEIGHTS.safetensors IMAGE [--labels FILE] [--runs N] [--threads T] "
                                "[--preprocess caffe|torch|tf|none] [--bgr] [--mean A,B,C --std A,B,C]");
  o.weights = positional[0];
  o.image = positional[1];
  return o;
}

// One class name a line, as many as the model has classes.
std::vector<std::string> read_labels(const std::string& path, std::size_t classes) {
  std::vector<std::string> labels;
  if (path.empty()) return labels;
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read the labels");
  for (std::string line; std::getline(in, line);) labels.push_back(line);
  if (labels.size() != classes)
    throw std::runtime_error(path + ": " + std::to_string(labels.size()) + " labels, but the model has " +
                             std::to_string(classes) + " classes");
  return labels;
}

// The model's input: the image's pixels, channels swapped with --bgr, less the mean, over the std.
void preprocess(std::vector<float>& input, int channels, const Options& o) {
  for (std::size_t i = 0; i + channels <= input.size(); i += channels) {
    if (o.bgr && channels == 3) std::swap(input[i], input[i + 2]);
    for (int c = 0; c < channels; ++c) input[i + c] = (input[i + c] - o.mean[c % 3]) / o.std[c % 3];
  }
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

    std::vector<std::string> labels = read_labels(o.labels, Model::kOutputSize);
    std::vector<float> input = load_image(o.image, Model::kInputHeight, Model::kInputWidth, Model::kInputChannels);
    preprocess(input, Model::kInputChannels, o);
    std::vector<float> output(Model::kOutputSize);
    std::vector<double> times;
    for (int r = 0; r < o.runs; ++r) {
      start = std::chrono::steady_clock::now();
      model.forward(input.data(), input.size(), output.data(), output.size());
      times.push_back(milliseconds_since(start));
    }
    std::sort(times.begin(), times.end());

    std::vector<int> order(output.size());
    std::iota(order.begin(), order.end(), 0);
    std::size_t k = std::min<std::size_t>(5, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [&](int a, int b) { return output[a] > output[b]; });
    std::printf("%s on %s (weights %s, loaded in %.0f ms; kernels: %s, %s)\n", NETC_MODEL_HEADER, o.image.c_str(),
                o.weights.c_str(), load_ms, netc::rt::active_isa(), netc::rt::cpu_caches().c_str());
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
