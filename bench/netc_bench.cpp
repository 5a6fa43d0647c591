// netc_bench: times a netc-generated model's forward pass (VGG16, ResNet50, MobileNetV2 or DenseNet121 at
// 224x224x3) and prints one JSON line with the times, throughput, load time, the time to read the weights file,
// and the peak resident memory.
// Usage: netc_bench vgg16|resnet50|mobilenet_v2|densenet121 WEIGHTS [--batch B] [--threads T] [--runs N]
//        [--warmup W] [--max-seconds S] [--serve] [--profile]
// The JSON line names the instruction set whose kernels ran ("isa"; NETC_ISA=avx512|avx2|generic forces one),
// and gives each timed run's process CPU time beside its wall time ("cpu_times_ms", "median_cpu_ms"): on a
// shared machine, with --threads 1, it compares two builds with less of the other processes' noise.
//
// Method: the weights file is read once through a small buffer (so the page cache is warm), then the model is
// constructed (timed: the load time); `warmup` forward passes, then up to `runs` timed ones on a fixed random
// input (stopping early once `max-seconds` of timed runs have passed, after at least one). The peak RSS
// (/proc/self/status VmHWM) is taken then, before the file is read three more times, each fully into a fresh
// buffer of its size (timed: the read time is their median), so that the read buffer is not counted.
// The process's resident memory before the file is first read ("start_rss_bytes": code, libraries, stacks)
// is given beside the peak, so that a small model's peak can be told apart from what any process holds.
// With --serve, the timed runs are bench/run.py's to ask for, in lock step with the other engines: after the
// warmup it prints {"ready": true}, answers each line "run" on stdin with {"ms": T}, and "end" with the JSON.
// With --profile, the timed runs also time every step through the model's LayerObserver (the time from the
// previous step's end, or the pass's start, to the step's end) and the JSON gains "steps": each step's name
// (the last layer it computes) and its median ms over the runs (bench/profile.py attributes them to layers).
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "densenet121.hpp"
#include "mobilenet_v2.hpp"
#include "resnet50.hpp"
#include "vgg16.hpp"

namespace {

struct Options {
  std::string model, weights;
  int batch = 1, threads = 1, runs = 10, warmup = 1;
  double max_seconds = 1e9;
  bool serve = false, profile = false;
};

/// Times each step of a forward pass: on_layer comes when a step has written its output.
class StepTimer : public netc::rt::LayerObserver {
public:
  void start() {
    last_ = std::chrono::steady_clock::now();
    step_ = 0;
  }
  void on_layer(const char* name, netc::rt::ConstTensor) override {
    const auto now = std::chrono::steady_clock::now();
    if (step_ == names_.size()) {
      names_.emplace_back(name);
      times_ms_.emplace_back();
    }
    times_ms_[step_++].push_back(std::chrono::duration<double, std::milli>(now - last_).count());
    last_ = now;
  }
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<std::vector<double>>& times_ms() const { return times_ms_; }

private:
  std::chrono::steady_clock::time_point last_;
  std::size_t step_ = 0;
  std::vector<std::string> names_;
  std::vector<std::vector<double>> times_ms_;  // per step, per run
};

/// What one process measured; times in milliseconds.
struct Measurement {
  std::vector<double> times_ms, cpu_times_ms;  // wall time, and the process's CPU time (all its threads)
  double load_ms = 0, read_ms = 0;
  long long start_rss_bytes = 0, peak_rss_bytes = 0, rss_bytes = 0, weights_bytes = 0, arena_bytes = 0, macs_per_image = 0;
  StepTimer steps;  // with --profile
};

int at_least(const std::string& flag, const char* text, int minimum) {
  int value = std::atoi(text);
  if (value < minimum)
    throw std::invalid_argument(flag + " must be at least " + std::to_string(minimum) + ", found '" + text + "'");
  return value;
}

Options parse(int argc, char** argv) {
  Options o;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--batch" && has_value) o.batch = at_least(a, argv[++i], 1);
    else if (a == "--threads" && has_value) o.threads = at_least(a, argv[++i], 0);
    else if (a == "--runs" && has_value) o.runs = at_least(a, argv[++i], 1);
    else if (a == "--warmup" && has_value) o.warmup = at_least(a, argv[++i], 0);
    else if (a == "--max-seconds" && has_value) o.max_seconds = std::atof(argv[++i]);
    else if (a == "--serve") o.serve = true;
    else if (a == "--profile") o.profile = true;
    else if (!a.empty() && a[0] == '-') throw std::invalid_argument("unknown option or missing value: " + a);
    else positional.push_back(a);
  }
  if (positional.size() != 2)
    throw std::invalid_argument("usage: netc_bench vgg16|resnet50|mobilenet_v2|densenet121 WEIGHTS [--batch B] [--threads T] [--runs N] "
                                "[--warmup W] [--max-seconds S] [--serve] [--profile]");
  o.model = positional[0];
  o.weights = positional[1];
  return o;
}

double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

/// The CPU time this process has used, in ms: on a shared machine, less disturbed by the others than wall time.
double process_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

/// Reads the file to its end with read(2). With `fill`, the data fills buffer (capacity bytes, the whole file);
/// without, every read reuses buffer's first capacity bytes. Returns the bytes read.
long long read_file(const std::string& path, char* buffer, std::size_t capacity, bool fill) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw std::runtime_error(path + ": cannot open");
  std::size_t total = 0;
  for (;;) {
    std::size_t offset = fill ? total : 0;
    if (offset == capacity) break;
    ssize_t n = ::read(fd, buffer + offset, capacity - offset);
    if (n <= 0) break;
    total += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return static_cast<long long>(total);
}

/// The weights file's size, after reading it once so that the page cache holds it.
long long warm_page_cache(const std::string& path) {
  std::vector<char> chunk(1 << 16);
  return read_file(path, chunk.data(), chunk.size(), false);
}

/// Median time in ms of reading the file fully into a fresh buffer of its size (malloc'd, untouched before).
double time_full_read(const std::string& path, long long bytes, int repeats) {
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    auto start = std::chrono::steady_clock::now();
    std::unique_ptr<char[]> buffer(new char[static_cast<std::size_t>(bytes)]);
    if (read_file(path, buffer.get(), static_cast<std::size_t>(bytes), true) != bytes)
      throw std::runtime_error(path + ": the file changed size while being read");
    times.push_back(milliseconds_since(start));
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

/// A "VmXXX:" line of /proc/self/status in bytes (0 when unavailable).
long long proc_status_bytes(const std::string& key) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind(key + ":", 0) == 0) return std::atoll(line.c_str() + key.size() + 1) * 1024;
  return 0;
}

/// Up to o.runs timed runs, stopping once o.max_seconds have passed (after one at least).
void timed_runs(const std::function<double()>& run, const Options& o, std::vector<double>& times) {
  auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < o.runs && (r == 0 || milliseconds_since(start) <= o.max_seconds * 1000); ++r)
    times.push_back(run());
}

/// The lock-step protocol of bench/run.py: {"ready": true}, then a timed run for each line "run" until "end".
void serve(const std::function<double()>& run, std::vector<double>& times) {
  std::cout << "{\"ready\": true}" << std::endl;
  for (std::string line; std::getline(std::cin, line) && line != "end";) {
    if (line != "run") throw std::invalid_argument("expected 'run' or 'end' on stdin, found '" + line + "'");
    times.push_back(run());
    std::cout << "{\"ms\": " << times.back() << "}" << std::endl;
  }
}

template <class Model>
Measurement measure(const Options& o) {
  Measurement m;
  m.start_rss_bytes = proc_status_bytes("VmRSS");  // the process without a model: code, libraries, stacks
  m.weights_bytes = warm_page_cache(o.weights);
  auto start = std::chrono::steady_clock::now();
  Model model(o.weights, o.batch, o.threads);
  m.load_ms = milliseconds_since(start);

  std::vector<float> input(o.batch * Model::kInputSize), output(o.batch * Model::kOutputSize);
  std::mt19937 random(1);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  for (float& x : input) x = uniform(random);
  bool timed = false;
  auto timed_forward = [&] {
    const double cpu_start = process_cpu_ms();
    auto run_start = std::chrono::steady_clock::now();
    netc::rt::LayerObserver* observer = nullptr;
    if (o.profile && timed) {  // the warmup runs are not profiled
      m.steps.start();
      observer = &m.steps;
    }
    model.forward(input.data(), output.data(), o.batch, observer);
    const double ms = milliseconds_since(run_start);
    m.cpu_times_ms.push_back(process_cpu_ms() - cpu_start);
    return ms;
  };
  for (int r = 0; r < o.warmup; ++r) timed_forward();
  m.cpu_times_ms.clear();
  timed = true;
  if (o.serve) serve(timed_forward, m.times_ms);
  else timed_runs(timed_forward, o, m.times_ms);
  if (m.times_ms.empty()) throw std::runtime_error("no timed run: 'end' came before any 'run'");
  m.peak_rss_bytes = proc_status_bytes("VmHWM");
  m.rss_bytes = proc_status_bytes("VmRSS");
  m.arena_bytes = static_cast<long long>(model.activation_bytes(o.batch));
  m.macs_per_image = Model::kMacsPerImage;
  m.read_ms = time_full_read(o.weights, m.weights_bytes, 3);
  return m;
}

/// The q-quantile (0..1) of sorted values, interpolating linearly between neighbours (numpy's default).
double quantile(const std::vector<double>& sorted, double q) {
  double at = q * static_cast<double>(sorted.size() - 1);
  std::size_t below = static_cast<std::size_t>(at);
  std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (at - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

std::string to_json(const Options& o, const Measurement& m) {
  std::vector<double> sorted = m.times_ms;
  std::sort(sorted.begin(), sorted.end());
  double median = quantile(sorted, 0.5);
  std::ostringstream j;
  j.precision(6);
  j << "{\"engine\": \"netc\", \"isa\": \"" << netc::rt::active_isa() << "\", \"caches\": \"" << netc::rt::cpu_caches()
    << "\", \"model\": \"" << o.model
    << "\", \"batch\": " << o.batch
    << ", \"threads\": " << o.threads << ", \"warmup\": " << o.warmup << ", \"times_ms\": [";
  for (std::size_t i = 0; i < m.times_ms.size(); ++i) j << (i ? ", " : "") << m.times_ms[i];
  j << "], \"median_ms\": " << median << ", \"min_ms\": " << sorted.front() << ", \"p10_ms\": " << quantile(sorted, 0.1)
    << ", \"p90_ms\": " << quantile(sorted, 0.9) << ", \"images_per_s\": " << o.batch * 1000.0 / median
    << ", \"gflops\": " << 2.0 * static_cast<double>(m.macs_per_image) * o.batch / (median * 1e6)
    << ", \"macs_per_image\": " << m.macs_per_image << ", \"load_ms\": " << m.load_ms << ", \"read_ms\": " << m.read_ms
    << ", \"start_rss_bytes\": " << m.start_rss_bytes << ", \"peak_rss_bytes\": " << m.peak_rss_bytes << ", \"rss_bytes\": " << m.rss_bytes
    << ", \"weights_bytes\": " << m.weights_bytes << ", \"arena_bytes\": " << m.arena_bytes << ", \"cpu_times_ms\": [";
  for (std::size_t i = 0; i < m.cpu_times_ms.size(); ++i) j << (i ? ", " : "") << m.cpu_times_ms[i];
  std::vector<double> cpu = m.cpu_times_ms;
  std::sort(cpu.begin(), cpu.end());
  j << "], \"median_cpu_ms\": " << (cpu.empty() ? 0.0 : quantile(cpu, 0.5));
  if (o.profile) {
    j << ", \"steps\": [";
    for (std::size_t i = 0; i < m.steps.names().size(); ++i) {
      std::vector<double> times = m.steps.times_ms()[i];
      std::sort(times.begin(), times.end());
      j << (i ? ", " : "") << "{\"name\": \"" << m.steps.names()[i] << "\", \"ms\": " << quantile(times, 0.5) << "}";
    }
    j << "]";
  }
  j << "}";
  return j.str();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Options o = parse(argc, argv);
    Measurement m;
    if (o.model == "vgg16") m = measure<Vgg16>(o);
    else if (o.model == "resnet50") m = measure<Resnet50>(o);
    else if (o.model == "mobilenet_v2") m = measure<MobilenetV2>(o);
    else if (o.model == "densenet121") m = measure<Densenet121>(o);
    else
      throw std::invalid_argument("unknown model '" + o.model +
                                  "', expected vgg16, resnet50, mobilenet_v2 or densenet121");
    std::cout << to_json(o, m) << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "netc_bench: error: " << e.what() << "\n";
    return 1;
  }
}
