// Loading a program: files, imports (relative to the importing file), cycles, duplicate definitions.
#include "frontend/Loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <istream>

#include <fmt/format.h>

#include "frontend/Parser.hpp"
#include "ops/Registry.hpp"

namespace netc {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxImportDepth = 64;

// Reads at most limit + 1 bytes, so that a file that never ends (/dev/zero, an endless pipe) is found too
// large instead of filling the memory.
std::string read_bounded(std::istream& in, std::size_t limit) {
  std::string text;
  std::vector<char> chunk(1 << 16);
  while (text.size() <= limit && in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
  }
  return text;
}

class Loader {
public:
  Loader(SourceManager& sources, Diagnostics& diags, Program& program)
      : sources_(sources), diags_(diags), program_(program) {}

  void load_text(const std::string& display, std::string text, const fs::path& key) {
    std::uint32_t file = sources_.add(display, std::move(text));
    if (program_.main_file == 0) program_.main_file = file;
    auto module = parse_module(file, sources_, diags_);
    if (!module) {
      program_.complete = false;
      return;
    }
    stack_.push_back(key);
    for (const ast::Import& imp : module->imports) load_import(imp, display);
    stack_.pop_back();
    program_.modules.push_back(std::move(*module));
  }

  bool load_file(const std::string& path, SourceLoc from, const fs::path& key) {
    std::ifstream in(path, std::ios::binary);
    std::error_code ec;
    if (!in || fs::is_directory(path, ec)) {
      diags_.error(from, fmt::format("cannot read '{}': {}", path,
                                     fs::exists(path, ec) ? "not a readable file" : "no such file"));
      program_.complete = false;
      return false;
    }
    std::string text = read_bounded(in, kMaxSourceBytes);
    if (text.size() > kMaxSourceBytes) {
      diags_.error(from, fmt::format("'{}' is larger than {} MiB", path, kMaxSourceBytes >> 20));
      program_.complete = false;
      return false;
    }
    load_text(path, std::move(text), key);
    return true;
  }

  std::vector<fs::path> stack_;
  std::vector<fs::path> done_;

private:
  void load_import(const ast::Import& imp, const std::string& importer) {
    fs::path target = fs::path(importer).parent_path() / imp.path;
    std::error_code ec;
    fs::path key = fs::weakly_canonical(target, ec);
    if (ec) key = target.lexically_normal();
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      if (stack_[i] == key) {
        std::string chain;
        for (std::size_t k = i; k < stack_.size(); ++k) chain += stack_[k].filename().string() + " -> ";
        diags_.error(imp.loc, "import cycle: " + chain + key.filename().string());
        return;
      }
    }
    if (std::find(done_.begin(), done_.end(), key) != done_.end()) return;
    if (stack_.size() >= kMaxImportDepth) {
      diags_.error(imp.loc, fmt::format("imports nest more than {} files deep", kMaxImportDepth));
      return;
    }
    done_.push_back(key);
    load_file(target.string(), imp.loc, key);
  }

  SourceManager& sources_;
  Diagnostics& diags_;
  Program& program_;
};

// A name that one definition's parameters bind twice (`block b(p, p)`, `[f, f]`): the second would win.
void check_parameters(const ast::Definition& def, std::string_view what, Diagnostics& diags) {
  std::map<std::string_view, const ast::Ident*> seen;
  for (const ast::Param& p : def.params) {
    std::vector<const ast::Ident*> names;
    if (!p.name.text.empty()) names.push_back(&p.name);
    for (const ast::Ident& field : p.fields) names.push_back(&field);
    for (const ast::Ident* name : names) {
      auto [first, inserted] = seen.emplace(name->text, name);
      if (inserted) continue;
      Diagnostic& d = diags.error(name->loc, fmt::format("{} '{}': parameter '{}' is declared twice", what,
                                                         def.name.text, name->text));
      d.notes.push_back({Severity::Note, first->second->loc, "first declared here", {}});
    }
  }
}

void collect_definitions(Program& program, Diagnostics& diags) {
  for (const ast::Module& m : program.modules) {
    for (const ast::Definition& b : m.blocks) {
      check_parameters(b, "block", diags);
      if (find_op(b.name.text)) {
        diags.error(b.name.loc, fmt::format("block '{}' has the name of a layer kind; choose another name", b.name.text));
        continue;
      }
      auto [it, inserted] = program.blocks.emplace(b.name.text, &b);
      if (!inserted) {
        Diagnostic& d = diags.error(b.name.loc, fmt::format("block '{}' is defined twice", b.name.text));
        d.notes.push_back({Severity::Note, it->second->name.loc, "first defined here", {}});
      }
    }
  }
  auto main = std::find_if(program.modules.begin(), program.modules.end(),
                           [&](const ast::Module& m) { return m.file == program.main_file; });
  if (main == program.modules.end()) return;
  for (const ast::Definition& model : main->models) {
    check_parameters(model, "model", diags);
    for (const ast::Definition* other : program.models) {
      if (other->name.text == model.name.text) {
        Diagnostic& d = diags.error(model.name.loc, fmt::format("model '{}' is defined twice", model.name.text));
        d.notes.push_back({Severity::Note, other->name.loc, "first defined here", {}});
      }
    }
    program.models.push_back(&model);
  }
}

}  // namespace

Program load_program(const std::string& path, SourceManager& sources, Diagnostics& diags) {
  Program program;
  Loader loader(sources, diags, program);
  std::error_code ec;
  fs::path key = fs::weakly_canonical(path, ec);
  loader.done_.push_back(key);
  loader.load_file(path, {}, key);
  collect_definitions(program, diags);
  return program;
}

Program load_program_text(const std::string& display_path, std::string text, SourceManager& sources, Diagnostics& diags) {
  Program program;
  Loader loader(sources, diags, program);
  loader.load_text(display_path, std::move(text), fs::path(display_path));
  collect_definitions(program, diags);
  return program;
}

}  // namespace netc
