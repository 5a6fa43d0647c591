// Reading a .net file and everything it imports into one program: its modules, and the blocks and
// models they define, with import cycles, missing files and duplicate definitions reported. `import "f.net"`
// is relative to the importing file; `import <f.net>` is looked for on the import search path.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "diag/Diagnostics.hpp"
#include "frontend/Ast.hpp"

namespace netc {

/// Largest .net file read (a generated 1,000-block model is well below it).
inline constexpr std::size_t kMaxSourceBytes = 64u << 20;

struct Program {
  std::uint32_t main_file = 0;                             // the file named on the command line
  bool complete = true;                                    // every file was read and parsed
  std::vector<ast::Module> modules;                        // imports before the files that import them
  std::map<std::string, const ast::Definition*> blocks;    // from every file
  std::vector<const ast::Definition*> models;              // from the main file only
  std::vector<std::string> search_path;                    // where `import <name>` looks, in order

  Program() = default;
  Program(const Program&) = delete;
  Program(Program&&) = default;
  Program& operator=(Program&&) = default;
};

/// Loads `path` and its imports. Definitions point into the modules, so the program is not copied.
/// `import_dirs` (-I) come first on the search path, before NETC_PATH and netc's block library.
Program load_program(const std::string& path, SourceManager& sources, Diagnostics& diags,
                     const std::vector<std::string>& import_dirs = {});
/// Loads a program from text in memory (tests, fuzzing); `import "..."` resolves against the directory of
/// display_path.
Program load_program_text(const std::string& display_path, std::string text, SourceManager& sources, Diagnostics& diags,
                          const std::vector<std::string>& import_dirs = {});

}  // namespace netc
