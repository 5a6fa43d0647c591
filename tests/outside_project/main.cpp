// Runs the generated model once on a constant image and prints its output.
#include <cstdio>
#include <vector>

#include "digits.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: app WEIGHTS.safetensors\n");
    return 2;
  }
  Digits model(argv[1]);
  std::vector<float> image(Digits::kInputSize, 0.5f), scores(Digits::kOutputSize);
  model.forward(image.data(), image.size(), scores.data(), scores.size());
  float sum = 0;
  for (float s : scores) sum += s;
  std::printf("input %dx%dx%d, %zu scores, sum %.4f\n", Digits::kInputHeight, Digits::kInputWidth,
              Digits::kInputChannels, scores.size(), sum);
  return sum > 0.999f && sum < 1.001f ? 0 : 1;
}
