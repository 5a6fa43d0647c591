// evaluate: runs a netc-generated digits model on the held-out split and compares it with PyTorch, image by
// image, using the predictions the training recorded in the weights file. Needs no PyTorch.
// Usage: evaluate_<model> WEIGHTS.safetensors HELDOUT.safetensors
// Exit status 0 when the C++ predictions are PyTorch's (at most one image may differ, a near tie between
// two classes that rounding can flip); 1 otherwise.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include NETC_MODEL_HEADER

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s WEIGHTS.safetensors HELDOUT.safetensors\n", argv[0]);
    return 2;
  }
  try {
    using Model = NETC_MODEL_CLASS;
    netc::rt::SafeTensors heldout = netc::rt::SafeTensors::open(argv[2]);
    const netc::rt::TensorInfo* info = heldout.find("images");
    if (!info || info->shape.empty()) throw std::runtime_error(std::string(argv[2]) + ": no 'images' tensor");
    const std::int64_t n = info->shape[0];
    std::vector<float> images = heldout.read_f32("images", {n, Model::kInputHeight, Model::kInputWidth, Model::kInputChannels});
    std::vector<float> labels = heldout.read_f32("labels", {n});

    Model model(argv[1], static_cast<int>(n));
    std::vector<float> scores(static_cast<std::size_t>(n) * Model::kOutputSize);
    auto start = std::chrono::steady_clock::now();
    model.forward(images.data(), images.size(), scores.data(), scores.size());
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

    std::string recorded = netc::rt::SafeTensors::open(argv[1]).metadata().count("train.heldout_predictions")
                               ? netc::rt::SafeTensors::open(argv[1]).metadata().at("train.heldout_predictions")
                               : "";
    int correct = 0, pytorch_correct = 0, disagreements = 0;
    for (std::int64_t i = 0; i < n; ++i) {
      const float* s = scores.data() + i * Model::kOutputSize;
      int predicted = static_cast<int>(std::max_element(s, s + Model::kOutputSize) - s);
      int label = static_cast<int>(labels[static_cast<std::size_t>(i)]);
      correct += predicted == label;
      if (static_cast<std::size_t>(i) < recorded.size()) {
        int theirs = recorded[static_cast<std::size_t>(i)] - '0';
        pytorch_correct += theirs == label;
        if (theirs != predicted) {
          ++disagreements;
          std::printf("  image %lld: C++ predicts %d, PyTorch predicted %d (label %d)\n", static_cast<long long>(i),
                      predicted, theirs, label);
        }
      }
    }
    std::printf("%s: held-out accuracy %.2f%% in C++ (%d/%lld), %.2f%% in PyTorch; %d predictions differ; "
                "%.3f ms for the %lld images\n",
                NETC_MODEL_HEADER, 100.0 * correct / n, correct, static_cast<long long>(n), 100.0 * pytorch_correct / n,
                disagreements, ms, static_cast<long long>(n));
    if (recorded.size() != static_cast<std::size_t>(n)) {
      std::printf("the weights file records no PyTorch predictions for these %lld images\n", static_cast<long long>(n));
      return 1;
    }
    return disagreements <= 1 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "evaluate: error: " << e.what() << "\n";
    return 1;
  }
}
