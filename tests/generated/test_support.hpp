// What the generated-code tests share: the directory of the weights that netc made for them, seeded random
// inputs, and the message of the exception a call throws.
#pragma once

#include <exception>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace netc::test {

/// The weights file that make_weights.cmake wrote for `name` ("tiny" -> WEIGHTS_DIR/tiny.safetensors).
inline std::string weights_of(const std::string& name) { return std::string(NETC_WEIGHTS_DIR) + "/" + name + ".safetensors"; }

/// floats values uniform in [-1, 1] from std::mt19937(seed).
inline std::vector<float> random_input(std::size_t floats, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  std::vector<float> v(floats);
  for (float& x : v) x = u(rng);
  return v;
}

/// The message of the exception f throws, or "(no error)".
inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace netc::test
