// Printing values and looking names up in scopes.
#include "elab/Value.hpp"

#include <fmt/format.h>

namespace netc {

std::string Value::str() const {
  switch (kind) {
    case Kind::Int: return std::to_string(i);
    case Kind::Float: return fmt::format("{}", f);
    case Kind::Dims: return fmt::format("{}", fmt::join(dims, "x"));
    case Kind::Word: return word;
    case Kind::List: {
      std::vector<std::string> parts;
      for (const Value& v : list) parts.push_back(v.str());
      return fmt::format("[{}]", fmt::join(parts, ", "));
    }
  }
  return "";
}

std::string Value::describe() const {
  switch (kind) {
    case Kind::Int: return "the integer " + str();
    case Kind::Float: return "the number " + str();
    case Kind::Dims: return "the dimensions " + str();
    case Kind::List: return "the list " + str();
    case Kind::Word: return "the name '" + word + "'";
  }
  return "";
}

const Value* Scope::find(const std::string& name) const {
  for (const Scope* s = this; s; s = s->parent_) {
    auto it = s->vars_.find(name);
    if (it != s->vars_.end()) return &it->second;
  }
  return nullptr;
}

std::vector<std::string> Scope::names() const {
  std::vector<std::string> out;
  for (const Scope* s = this; s; s = s->parent_)
    for (const auto& [name, v] : s->vars_) out.push_back(name);
  return out;
}

const Scope& Scope::root() const {
  const Scope* s = this;
  while (s->parent_) s = s->parent_;
  return *s;
}

const std::string& Scope::owner() const { return root().owner_; }

std::string Scope::hidden_owner(const std::string& name) const {
  for (const Scope* s = root().caller_; s; s = s->root().caller_)
    if (s->find(name)) return s->owner();
  return "";
}

}  // namespace netc
