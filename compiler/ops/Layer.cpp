// Shapes and checked counting.
#include "ops/Layer.hpp"

#include <fmt/format.h>

namespace netc {

std::int64_t Shape::elements() const {
  std::int64_t n = 1;
  for (std::int64_t d : dims) n *= d;
  return n;
}

std::string Shape::str() const { return fmt::format("{}", fmt::join(dims, "x")); }

std::string Shape::keras() const { return fmt::format("(None, {})", fmt::join(dims, ", ")); }

std::optional<std::int64_t> checked_product(std::span<const std::int64_t> factors) {
  std::int64_t n = 1;
  for (std::int64_t f : factors)
    if (__builtin_mul_overflow(n, f, &n)) return std::nullopt;
  return n;
}

std::optional<std::int64_t> checked_product(std::initializer_list<std::int64_t> factors) {
  return checked_product(std::span<const std::int64_t>(factors.begin(), factors.size()));
}

}  // namespace netc
