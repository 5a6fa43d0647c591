// `netc import` (see Import.hpp): runs the import stage on the compiled model and writes the weights file,
// first under a temporary name, so that a failed import or write leaves no file behind. The HDF5 library has
// memory errors on malformed files (a stream of CVEs; fuzz_h5 finds them in Debian's 1.10 within minutes), so
// the import runs in a child process: a crash there becomes an error message, not a crash of netc.
#include "driver/Import.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <set>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <netc/safetensors.hpp>

#include "emit/RandomWeights.hpp"
#include "import/Import.hpp"

namespace netc {

const char* const kImportHelp = R"(netc import - makes a Keras HDF5 weights file into the model's weights file

usage:
  netc import MODEL.net KERAS.h5 -o WEIGHTS.safetensors [--input HxWxC] [--classes N] [--model NAME]
              [--allow-missing [--seed S]]

Reads the weights Keras saved: Keras 2's save_weights and model.save files (the Keras applications'
published files are of this kind) and Keras 3's .weights.h5. Pairs the file's layers with the model's by
name, checks every weight's shape and values, and converts the layouts: convolution kernels HWIO to OIHW,
dense kernels [in, out] to [out, in] and, after a flatten, from Keras's H,W,C order to C,H,W. A layer that
does not fit is an error, and then no file is written. The file records the model, input and classes it
was made for, and the Keras file's name.

options:
  -o FILE          the weights file to write (safetensors; the generated C++ and PyTorch code load it)
  --input HxWxC    the model's input shape (a dense layer after a flatten depends on it)
  --classes N      the model's class count
  --model NAME     the model to compile, when the .net file defines more than one
  --allow-missing  give the model's layers that the file lacks random weights instead of an error, for
                   instance a new classifier to train; a warning names them (--seed S: their seed)

example:
  netc import models/resnet50.net resnet50_weights_tf_dim_ordering_tf_kernels.h5 -o resnet50.safetensors
)";

std::string import_usage_error(const Options& o) {
  if (o.source.empty())
    return "netc import needs a model file and a Keras weights file: netc import MODEL.net KERAS.h5 -o "
           "FILE.safetensors";
  if (o.output.empty()) return "netc import needs -o FILE.safetensors";
  return "";
}

namespace {

// Writes the file under a temporary name and renames it; false (reported) when it cannot.
bool write_weights(const std::string& path, const std::vector<rt::NamedTensor>& tensors,
                   const std::map<std::string, std::string>& metadata) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    std::cerr << fmt::format("netc: error: {}: cannot write: {}\n", path, std::strerror(EISDIR));
    return false;
  }
  std::string partial = path + ".partial";
  try {
    rt::write_safetensors(partial, tensors, metadata);
  } catch (const rt::WeightsError& e) {
    std::filesystem::remove(partial, ec);
    std::string message = e.what();
    if (message.starts_with(partial)) message = path + message.substr(partial.size());
    std::cerr << "netc: error: " << message << "\n";
    return false;
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    std::cerr << fmt::format("netc: error: {}: cannot write: {}\n", path, std::strerror(errno));
    std::filesystem::remove(partial, ec);
    return false;
  }
  return true;
}

int import_here(const Options& o, const Compilation& c) {
  Diagnostics diags;
  std::optional<ImportedWeights> weights = import_keras(*c.graph, o.source, {o.source, o.allow_missing}, diags);
  std::cerr << render(diags, c.sources);
  if (!weights) {
    std::size_t n = diags.error_count();
    std::cerr << fmt::format("{} error{} generated.\n", n, n == 1 ? "" : "s");
    return 1;
  }
  const std::vector<std::string>& missing = weights->missing_layers;
  std::vector<rt::NamedTensor> tensors = std::move(weights->tensors);
  if (!missing.empty()) {
    std::cerr << fmt::format("netc: warning: {} {} not in {}; random weights (seed {}) for {}\n", missing.size(),
                             missing.size() == 1 ? "layer is" : "layers are", o.source, o.seed,
                             fmt::join(missing, ", "));
    std::set<std::string, std::less<>> lacking(missing.begin(), missing.end());
    tensors =
        in_model_order(*c.graph, std::move(tensors),
                       random_weights(*c.graph, o.seed, [&](const Node& n) { return lacking.count(n.name) > 0; }));
  }
  if (!write_weights(o.output, tensors, imported_metadata(*c.graph, *weights, o.source, o.seed))) return 1;
  std::int64_t parameters = 0;
  for (const rt::NamedTensor& t : tensors) parameters += static_cast<std::int64_t>(t.data.size());
  std::cout << fmt::format("{}: {} tensors, {} parameters of model '{}', from {} ({})\n", o.output, tensors.size(),
                           parameters, c.graph->model, o.source, weights->layout);
  return 0;
}

// Processor seconds the import may take: 30, and 1 more per MiB of the Keras file (reading and converting take
// well under a second per MiB), or NETC_IMPORT_CPU_SECONDS; past it the child is stopped, for HDF5 loops
// forever on some malformed files.
rlim_t cpu_seconds(const std::string& path) {
  if (const char* set = std::getenv("NETC_IMPORT_CPU_SECONDS")) {
    rlim_t seconds = std::strtoul(set, nullptr, 10);
    if (seconds > 0) return seconds;
  }
  std::error_code ec;
  std::uintmax_t bytes = std::filesystem::file_size(path, ec);
  return 30 + (ec ? 0 : static_cast<rlim_t>(bytes >> 20));
}

// The error for a child that did not exit by itself: HDF5 crashed, or looped past the processor time allowed.
void report_stopped(const Options& o, int status, rlim_t seconds) {
  std::error_code ec;
  std::filesystem::remove(o.output + ".partial", ec);
  int signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  std::string what = signal == SIGXCPU ? fmt::format(
                                             "reading it took more than {} s of processor time (HDF5 loops on some "
                                             "malformed files)",
                                             seconds)
                                       : fmt::format("the HDF5 library crashed reading it ({})",
                                                     signal != 0 ? strsignal(signal) : "stopped");
  std::cerr << fmt::format("netc: error: {}: {}: the file is malformed\n1 error generated.\n", o.source, what);
}

}  // namespace

int run_import(const Options& o, const Compilation& c) {
  std::cout.flush();
  std::cerr.flush();
  rlim_t seconds = cpu_seconds(o.source);
  pid_t child = fork();
  if (child < 0) return import_here(o, c);  // no process to spare: import here
  if (child == 0) {
    struct rlimit limit {
      seconds, seconds + 5
    };
    setrlimit(RLIMIT_CPU, &limit);
    int status = import_here(o, c);
    std::cout.flush();
    std::cerr.flush();
    _exit(status);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  report_stopped(o, status, seconds);
  return 1;
}

}  // namespace netc
