// Image loading and resizing with stb_image and stb_image_resize (Debian's libstb).
#include "image.hpp"

#include <algorithm>
#include <stdexcept>

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>

std::vector<float> load_image(const std::string& path, int height, int width, int channels) {
  int w = 0, h = 0, found = 0;
  unsigned char* pixels = stbi_load(path.c_str(), &w, &h, &found, channels);
  if (!pixels) throw std::runtime_error(path + ": cannot read the image: " + stbi_failure_reason());
  std::vector<unsigned char> resized(static_cast<std::size_t>(height) * width * channels);
  // An image of the model's size is taken as it is (stb's resampling filters even at the same size).
  int ok = w == width && h == height ? (std::copy(pixels, pixels + resized.size(), resized.begin()), 1)
                                     : stbir_resize_uint8(pixels, w, h, 0, resized.data(), width, height, 0, channels);
  stbi_image_free(pixels);
  if (!ok) throw std::runtime_error(path + ": cannot resize the image");
  std::vector<float> out(resized.size());
  for (std::size_t i = 0; i < resized.size(); ++i) out[i] = resized[i] / 255.0f;
  return out;
}
