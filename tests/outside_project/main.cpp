// Runs the generated model on a constant image from the weights linked into the library and from the file,
// in a context of two threads, and prints its output's sum; exit status 1 unless both agree and sum to 1.
#include <cstdio>
#include <vector>

#include "digits.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: app WEIGHTS.safetensors\n");
    return 2;
  }
  const Digits embedded(Digits::embedded_weights()), from_file(argv[1]);
  netc::rt::Context context = embedded.make_context(1, 2);
  std::vector<float> image(Digits::kInputSize, 0.5f), scores(Digits::kOutputSize), again(Digits::kOutputSize);
  embedded.forward(context, image.data(), image.size(), scores.data(), scores.size());
  netc::rt::Context other = from_file.make_context();
  from_file.forward(other, image.data(), again.data());
  float sum = 0;
  for (float s : scores) sum += s;
  std::printf("input %dx%dx%d, %zu scores, sum %.4f, kernels: %s\n", Digits::kInputHeight, Digits::kInputWidth,
              Digits::kInputChannels, scores.size(), sum, netc::rt::active_isa());
  return sum > 0.999f && sum < 1.001f && scores == again ? 0 : 1;
}
