// Loading an image (PNG, JPEG, PPM, BMP, ... through stb_image) as float32 HWC, resized to a model's input.
#pragma once

#include <string>
#include <vector>

/// Pixels scaled to [0, 1], height x width x channels (1 = grey, 3 = RGB), resized with a Mitchell filter.
/// Throws std::runtime_error naming the file when it cannot be read or decoded.
std::vector<float> load_image(const std::string& path, int height, int width, int channels);
