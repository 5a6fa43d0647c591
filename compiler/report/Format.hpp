// Number formatting shared by reports: 138,357,544 and 24.50 MiB.
#pragma once

#include <cstdint>
#include <string>

namespace netc {

/// 138357544 -> "138,357,544".
std::string with_commas(std::int64_t n);
/// Bytes in binary units: "24.50 MiB".
std::string human_bytes(double bytes);

}  // namespace netc
