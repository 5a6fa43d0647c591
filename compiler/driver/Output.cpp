// Standard output and output files, written all or nothing (see Output.hpp).
#include "driver/Output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include <netc/safetensors.hpp>

namespace netc {

namespace {

std::string reason(int error) { return std::strerror(error); }

// Writes text to a file that exists already (a temporary, or a device such as /dev/null); "" or the reason.
std::string write_whole(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return reason(errno);
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0;
  int error = errno;
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    error = errno;
  }
  return ok ? "" : reason(error);
}

// A path that is not a regular file but exists (a device, a pipe, a terminal) is written in place: renaming
// a file onto /dev/null would replace the device.
bool is_special(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

// Creates an empty temporary file in the directory of `path`; "" on success, else the reason.
std::string create_temporary(const std::string& path, std::string& temporary) {
  static int counter = 0;
  std::filesystem::path p(path);
  std::string dir = p.has_parent_path() ? p.parent_path().string() + "/" : "";
  temporary = fmt::format("{}.{}.netc-{}-{}.tmp", dir, p.filename().string(), ::getpid(), counter++);
  int fd = ::open(temporary.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);  // mode as umask allows
  if (fd < 0) return reason(errno);
  ::close(fd);
  return "";
}

std::string cannot_write(const std::string& path, const std::string& why) {
  return fmt::format("cannot write '{}': {}", path, why);
}

}  // namespace

std::string write_stdout(const std::string& text) {
  bool ok = std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
  ok = std::fflush(stdout) == 0 && ok;
  if (ok) return "";
  std::string why = reason(errno);
  std::clearerr(stdout);
  return "cannot write standard output: " + why;
}

OutputFile text_file(std::string path, std::string text) {
  return {std::move(path), [text = std::move(text)](const std::string& to) { return write_whole(to, text); }};
}

OutputFile weights_file(std::string path, std::function<void(const std::string& temporary)> write) {
  return {std::move(path), [write = std::move(write)](const std::string& to) -> std::string {
            try {
              write(to);
            } catch (const rt::WeightsError& e) {
              std::string message = e.what(), prefix = to + ": cannot write: ";
              return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
            }
            return "";
          }};
}

std::string write_files(const std::vector<OutputFile>& files) {
  std::vector<std::string> temporaries(files.size());
  auto discard = [&] {
    for (const std::string& t : temporaries)
      if (!t.empty()) ::unlink(t.c_str());
  };
  for (std::size_t i = 0; i < files.size(); ++i) {
    const OutputFile& f = files[i];
    std::string why = is_special(f.path) ? f.write(f.path) : create_temporary(f.path, temporaries[i]);
    if (why.empty() && !temporaries[i].empty()) why = f.write(temporaries[i]);
    if (why.empty() && std::filesystem::is_directory(f.path)) why = reason(EISDIR);
    if (!why.empty()) {
      discard();
      return cannot_write(f.path, why);
    }
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (temporaries[i].empty()) continue;
    if (std::rename(temporaries[i].c_str(), files[i].path.c_str()) != 0) {
      std::string why = reason(errno);
      discard();
      return cannot_write(files[i].path, why);
    }
    temporaries[i].clear();
  }
  return "";
}

std::string write_output(const std::string& path, const std::string& text) {
  return path.empty() ? write_stdout(text) : write_files({text_file(path, text)});
}

namespace {

// A path as messages quote it: line breaks as \n and \r.
std::string printable(const std::string& path) {
  std::string out;
  for (char ch : path) out += ch == '\n' ? "\\n" : ch == '\r' ? "\\r" : std::string(1, ch);
  return out;
}

// One path as a depfile spells it; false when it holds a line break.
bool escape_depfile_path(const std::string& path, std::string& out) {
  std::string absolute = std::filesystem::absolute(path).lexically_normal().string();
  std::size_t backslashes = 0;
  for (char ch : absolute) {
    if (ch == '\n' || ch == '\r') return false;
    if (ch == ' ' || ch == '#') out.append(backslashes, '\\');  // 2N+1 backslashes: N of them and the char
    if (ch == ' ' || ch == '#' || ch == ':') out += '\\';
    out += ch == '$' ? "$$" : std::string(1, ch);
    backslashes = ch == '\\' ? backslashes + 1 : 0;
  }
  return true;
}

}  // namespace

std::string depfile_rule(const std::vector<std::string>& outputs, const std::vector<std::string>& inputs,
                         std::string& error) {
  std::string rule;
  auto add = [&](const std::string& path, const char* separator) {
    rule += separator;
    if (!escape_depfile_path(path, rule) && error.empty())
      error = fmt::format("cannot write a depfile: the path '{}' holds a line break, which a depfile cannot express",
                          printable(path));
  };
  for (const std::string& o : outputs) add(o, rule.empty() ? "" : " ");
  rule += ":";
  for (const std::string& in : inputs) add(in, " ");
  return error.empty() ? rule + "\n" : "";
}

}  // namespace netc
