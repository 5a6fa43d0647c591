"""What the benchmark's Python parts share: summaries of run times, timed runs, and the process's memory."""
import time


def quantile(sorted_values, q):
    """The q-quantile (0..1) of sorted values, interpolating linearly between neighbours (numpy's default,
    and netc_bench's)."""
    at = q * (len(sorted_values) - 1)
    below = int(at)
    above = min(below + 1, len(sorted_values) - 1)
    return sorted_values[below] + (at - below) * (sorted_values[above] - sorted_values[below])


def summary(times_ms):
    """Median, minimum, 10th and 90th percentiles of run times in ms."""
    s = sorted(times_ms)
    return {"median_ms": quantile(s, 0.5), "min_ms": s[0], "p10_ms": quantile(s, 0.1), "p90_ms": quantile(s, 0.9)}


def timed_runs(run, warmup, runs, max_seconds):
    """Calls run() warmup times, then up to runs times, timing each in ms; stops early once max_seconds of
    timed runs have passed (after one at least), as netc_bench and ort_bench.js do."""
    for _ in range(warmup):
        run()
    times, start = [], time.perf_counter()
    for r in range(runs):
        if r > 0 and time.perf_counter() - start > max_seconds:
            break
        t = time.perf_counter()
        run()
        times.append((time.perf_counter() - t) * 1000)
    return times


def proc_status_bytes(key):
    """A /proc/self/status line such as VmHWM (peak resident memory) in bytes; 0 where there is none."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def reset_peak_rss():
    """Resets VmHWM to the current RSS (Linux 4.0+: clear_refs 5); False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False
