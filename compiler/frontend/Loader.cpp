// Loading a program: files (identified by device and inode), imports (relative to the importing file, or
// on the search path), cycles, duplicate definitions.
#include "frontend/Loader.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "frontend/Files.hpp"
#include "frontend/Parser.hpp"
#include "ops/Registry.hpp"

namespace netc {

namespace fs = std::filesystem;
using frontend::FileId;

namespace {

constexpr std::size_t kMaxImportDepth = 64;

class Loader {
public:
  Loader(SourceManager& sources, Diagnostics& diags, Program& program)
      : sources_(sources), diags_(diags), program_(program) {}

  void load_text(const std::string& display, std::string text, std::optional<FileId> id) {
    std::uint32_t file = sources_.add(display, std::move(text));
    if (program_.main_file == 0) program_.main_file = file;
    auto module = parse_module(file, sources_, diags_);
    if (!module) {
      program_.complete = false;
      return;
    }
    stack_.push_back({id, display});
    for (const ast::Import& imp : module->imports) load_import(imp, display);
    stack_.pop_back();
    program_.modules.push_back(std::move(*module));
  }

  // Reads and loads the file at path unless it was loaded already; `from` is the import (none for the main file).
  void load_file(const std::string& path, SourceLoc from) {
    std::string why;
    std::optional<FileId> id = frontend::file_id(path, why);
    if (id && !first_visit(*id, path, from)) return;
    frontend::SourceText source;
    if (id) source = frontend::read_source(path, kMaxSourceBytes);
    if (!id || !source.error.empty()) {
      diags_.error(from, fmt::format("cannot read '{}': {}", path, id ? source.error : why));
      program_.complete = false;
    } else if (source.text.size() > kMaxSourceBytes) {
      diags_.error(from, fmt::format("'{}' is larger than {} MiB", path, kMaxSourceBytes >> 20));
      program_.complete = false;
    } else {
      load_text(path, std::move(source.text), id);
    }
  }

private:
  struct Open {
    std::optional<FileId> id;  // none for text held in memory
    std::string path;
  };

  // False (reported when it is a cycle or too deep) when the file is being loaded or was loaded already.
  bool first_visit(const FileId& id, const std::string& path, SourceLoc from) {
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      if (stack_[i].id != id) continue;
      std::string chain;
      for (std::size_t k = i; k < stack_.size(); ++k) chain += fs::path(stack_[k].path).filename().string() + " -> ";
      diags_.error(from, "import cycle: " + chain + fs::path(path).filename().string());
      return false;
    }
    if (std::find(done_.begin(), done_.end(), id) != done_.end()) return false;
    if (stack_.size() >= kMaxImportDepth) {
      diags_.error(from, fmt::format("imports nest more than {} files deep", kMaxImportDepth));
      return false;
    }
    done_.push_back(id);
    return true;
  }

  void load_import(const ast::Import& imp, const std::string& importer) {
    if (!imp.from_search_path) {
      load_file((fs::path(importer).parent_path() / imp.path).string(), imp.loc);
      return;
    }
    std::vector<std::string> tried;
    for (const std::string& dir : program_.search_path) {
      std::string candidate = (fs::path(dir) / imp.path).string();
      std::string why;
      if (frontend::file_id(candidate, why) || why != "no such file") return load_file(candidate, imp.loc);
      tried.push_back(candidate);
    }
    diags_.error(imp.loc, fmt::format("cannot find <{}> on the import search path; tried {} (add directories with "
                                      "-I DIR or NETC_PATH)", imp.path, fmt::join(tried, ", ")));
    program_.complete = false;
  }

  SourceManager& sources_;
  Diagnostics& diags_;
  Program& program_;
  std::vector<Open> stack_;   // the files being loaded, the main file first
  std::vector<FileId> done_;  // every file met
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

Program load_program(const std::string& path, SourceManager& sources, Diagnostics& diags,
                     const std::vector<std::string>& import_dirs) {
  Program program;
  program.search_path = frontend::import_search_path(import_dirs);
  Loader(sources, diags, program).load_file(path, {});
  collect_definitions(program, diags);
  return program;
}

Program load_program_text(const std::string& display_path, std::string text, SourceManager& sources, Diagnostics& diags,
                          const std::vector<std::string>& import_dirs) {
  Program program;
  program.search_path = frontend::import_search_path(import_dirs);
  Loader(sources, diags, program).load_text(display_path, std::move(text), std::nullopt);
  collect_definitions(program, diags);
  return program;
}

}  // namespace netc
