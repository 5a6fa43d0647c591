// Files and imports on disk: a file is identified by device and inode (hard links and other spellings of a
// path are one file), the reasons a file cannot be read, and the import search path of `import <name>`
// (-I, NETC_PATH, the block library that comes with netc). Each test works in a fresh temporary directory.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "Harness.hpp"
#include "frontend/Files.hpp"

namespace netc::test {

namespace {

namespace fs = std::filesystem;

/// The harness's temporary directory, with a helper that writes a file into it (parents made).
struct FilesDir {
  TempDir dir;
  fs::path path{dir.path()};
  std::string write(const std::string& name, const std::string& text) const {
    fs::create_directories((path / name).parent_path());
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

/// Sets an environment variable for the scope of one test (NETC_PATH), restoring it after.
struct ScopedEnv {
  std::string name;
  std::optional<std::string> saved;
  ScopedEnv(std::string n, const char* value) : name(std::move(n)) {
    if (const char* old = std::getenv(name.c_str())) saved = old;
    if (value) ::setenv(name.c_str(), value, 1);
    else ::unsetenv(name.c_str());
  }
  ~ScopedEnv() {
    if (saved) ::setenv(name.c_str(), saved->c_str(), 1);
    else ::unsetenv(name.c_str());
  }
};

const std::string kUseB = "model m(input = 4x4x1) {\n  b()\n}\n";

Compilation compile_in(const FilesDir& dir, const std::string& file, std::vector<std::string> import_dirs = {}) {
  ModelRequest request;
  request.import_dirs = std::move(import_dirs);
  return compile_file((dir.path / file).string(), request);
}

}  // namespace

TEST_CASE("a file reached through two hard links, or two spellings of its path, is read once") {
  FilesDir dir;
  dir.write("blocks.net", "block b() {\n  relu\n}\n");
  dir.write("sub/empty.net", "");
  fs::create_hard_link(dir.path / "blocks.net", dir.path / "same.net");
  dir.write("main.net", "import \"blocks.net\"\nimport \"same.net\"\nimport \"./sub/../blocks.net\"\n" + kUseB);
  Compilation c = compile_in(dir, "main.net");
  CHECK_MESSAGE(c.ok(), c.rendered());
  CHECK(c.sources.size() == 2);
  // A cycle through a hard link is a cycle.
  dir.write("a.net", "import \"b_link.net\"\n" + kUseB);
  dir.write("b.net", "import \"a.net\"\nblock b() {\n  relu\n}\n");
  fs::create_hard_link(dir.path / "b.net", dir.path / "b_link.net");
  CHECK(compile_in(dir, "a.net").rendered() ==
        (dir.path / "b_link.net").string() + ":1:1: error: import cycle: a.net -> b_link.net -> a.net\n"
        "import \"a.net\"\n^\n");
}

TEST_CASE("a symbolic link loop is named as one, not as a missing file") {
  FilesDir dir;
  fs::create_symlink("loop.net", dir.path / "loop.net");
  dir.write("main.net", "import \"loop.net\"\n" + kUseB);
  RunResult r = run_netc("check loop.net", dir.path.string());
  CHECK(r.exit_code == 1);
  CHECK(r.err == "netc: error: cannot read 'loop.net': a symbolic link loop (too many levels of symbolic links)\n"
                 "1 error generated.\n");
  r = run_netc("check main.net", dir.path.string());
  CHECK(r.err == "main.net:1:1: error: cannot read 'loop.net': a symbolic link loop (too many levels of symbolic "
                 "links)\nimport \"loop.net\"\n^\n1 error generated.\n");
}

TEST_CASE("import <name> looks in the -I directories, then NETC_PATH's, then netc's block library") {
  FilesDir dir;
  dir.write("first/lib.net", "block b() {\n  relu as from_first\n}\n");
  dir.write("second/lib.net", "block b() {\n  relu as from_second\n}\n");
  dir.write("third/lib.net", "block b() {\n  relu as from_third\n}\n");
  dir.write("main.net", "import <lib.net>\n" + kUseB);
  auto layer = [](const Compilation& c) { return c.ok() ? c.graph->nodes.back().name : c.rendered(); };
  const std::string second = (dir.path / "second").string(), third = (dir.path / "third").string();
  ScopedEnv env("NETC_PATH", (second + "::" + third).c_str());
  CHECK(layer(compile_in(dir, "main.net", {(dir.path / "first").string()})) == "relub1_from_first");
  CHECK(layer(compile_in(dir, "main.net")) == "relub1_from_second");
  ScopedEnv other("NETC_PATH", third.c_str());
  CHECK(layer(compile_in(dir, "main.net")) == "relub1_from_third");
  // `import "lib.net"` stays relative to the importing file, whatever the search path holds.
  dir.write("sub/lib.net", "block b() {\n  relu as from_sub\n}\n");
  dir.write("sub/main.net", "import \"lib.net\"\n" + kUseB);
  CHECK(layer(compile_in(dir, "sub/main.net", {(dir.path / "first").string()})) == "relub1_from_sub");
}

TEST_CASE("the block library that comes with netc is found without any -I, and -I takes DIR or -IDIR") {
  FilesDir dir;
  ScopedEnv env("NETC_PATH", nullptr);
  dir.write("resnet50_like.net",
            "import <resnet.net>\nmodel m(input = 16x16x8) {\n  stage 2: conv_block(3, [4, 4, 8]), identity_block(3, [4, 4, 8])\n}\n");
  Compilation c = compile_in(dir, "resnet50_like.net");
  CHECK_MESSAGE(c.ok(), c.rendered());
  CHECK(frontend::block_library_dir() == source_dir() + "/models/blocks");
  dir.write("mine/lib.net", "block b() {\n  relu\n}\n");
  dir.write("main.net", "import <lib.net>\n" + kUseB);
  CHECK(run_netc("check main.net -I mine", dir.path.string()).exit_code == 0);
  CHECK(run_netc("check main.net -Imine", dir.path.string()).exit_code == 0);
  CHECK(run_netc("check main.net -I=mine -I elsewhere", dir.path.string()).exit_code == 0);
}

TEST_CASE("a missing import <name> says which paths were tried") {
  FilesDir dir;
  ScopedEnv env("NETC_PATH", (dir.path / "env").string().c_str());
  dir.write("main.net", "import <nothere.net>\n" + kUseB);
  RunResult r = run_netc("check main.net -I inc", dir.path.string());
  CHECK(r.exit_code == 1);
  CHECK(r.err == "main.net:1:1: error: cannot find <nothere.net> on the import search path; tried inc/nothere.net, " +
                     (dir.path / "env/nothere.net").string() + ", " + source_dir() +
                     "/models/blocks/nothere.net (add directories with -I DIR or NETC_PATH)\n"
                     "import <nothere.net>\n^\n1 error generated.\n");
}

TEST_CASE("an unknown block that a file of the search path defines is answered with the import to write") {
  FilesDir dir;
  ScopedEnv env("NETC_PATH", (dir.path / "lib").string().c_str());
  dir.write("lib/a_first.net", "// block pooled() is described here but not defined\n");
  dir.write("lib/pools.net", "block pooled (k) {\n  maxpool k\n}\n");
  dir.write("main.net", "model m(input = 4x4x1) {\n  pooled(2)\n  pooledd(2)\n}\n");
  Compilation c = compile_in(dir, "main.net");
  REQUIRE(c.diags.error_count() == 2);
  CHECK(c.diags.all()[0].message == "unknown block 'pooled'; did you forget `import <pools.net>`?");
  CHECK(c.diags.all()[1].message == "unknown block 'pooledd'");
}

}  // namespace netc::test
