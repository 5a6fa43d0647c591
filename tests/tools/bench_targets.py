"""The benchmark report's targets (bench/report.py) on made-up rows: each of the speed issue's targets, its
status on each side of its limit, and n/a when a configuration it needs was not run.

Usage: bench_targets.py SOURCE_DIR
Exit 1 naming each target whose status or value differs, 0 when all match.
"""
import os
import sys

MIB = 1 << 20


def row(model, batch, threads, netc_ms, ort_ms, rss_mib=100, load_ms=100):
    netc = {"median_ms": netc_ms, "p10_ms": netc_ms, "p90_ms": netc_ms, "images_per_s": 1000 * batch / netc_ms,
            "gflops": 1.0, "peak_rss_bytes": rss_mib * MIB, "weights_bytes": 90 * MIB, "arena_bytes": 10 * MIB,
            "load_ms": load_ms, "read_ms": 100}
    return {"model": model, "batch": batch, "threads": threads, "netc": netc,
            "onnxruntime": {"median_ms": ort_ms}, "pytorch": {"error": "not run"}, "peak": {}}


def main(argv):
    if len(argv) != 2:
        print("usage: bench_targets.py SOURCE_DIR", file=sys.stderr)
        return 2
    sys.path.insert(0, os.path.join(argv[1], "bench"))
    import report
    rows = [row("resnet50", 1, 1, 39.0, 50.0), row("resnet50", 1, 2, 22.0, 25.0, rss_mib=111),
            row("resnet50", 8, 1, 39.0 * 8 / 1.25, 400.0), row("resnet50", 8, 2, 22.0 * 8 / 1.1, 200.0, load_ms=151),
            row("vgg16", 1, 1, 64.0, 100.0), row("vgg16", 1, 2, 66.0, 100.0),
            row("mobilenet_v2", 1, 2, 9.1, 10.0), row("mobilenet_v2", 1, 1, 5.0, 10.0)]
    want = {  # target: (status, value)
        "ResNet50 batch 1, 1 thread: netc time <= 0.8 x ORT's": ("PASS", 0.78),
        "ResNet50 batch 1, 2 threads: netc time <= 0.8 x ORT's": ("MISS", 0.88),
        "VGG16 batch 1, 1 thread: netc time <= 0.65 x ORT's": ("PASS", 0.64),
        "VGG16 batch 1, 2 threads: netc time <= 0.65 x ORT's": ("MISS", 0.66),
        "MobileNetV2 batch 1, 2 threads: netc time <= 0.9 x ORT's": ("MISS", 0.91),
        "DenseNet121 batch 1, 2 threads: netc time <= 0.9 x ORT's": ("n/a", None),
        "ResNet50 batch 1: 2 threads >= 1.85 x as fast as 1 thread": ("MISS", 39.0 / 22.0),
        "ResNet50 1 thread: batch 8 images/s >= 1.2 x batch 1's": ("PASS", 1.25),
        "ResNet50 2 threads: batch 8 images/s >= 1.2 x batch 1's": ("MISS", 1.1),
        "mobilenet_v2: peak RSS <= (weights + arena) x 1.1 (worst row)": ("PASS", 100 / 110),
        "mobilenet_v2: load time <= 1.5 x read time (worst row)": ("PASS", 1.0),
        "resnet50: peak RSS <= (weights + arena) x 1.1 (worst row)": ("MISS", 111 / 110),
        "resnet50: load time <= 1.5 x read time (worst row)": ("MISS", 1.51),
        "vgg16: peak RSS <= (weights + arena) x 1.1 (worst row)": ("PASS", 100 / 110),
        "vgg16: load time <= 1.5 x read time (worst row)": ("PASS", 1.0),
    }
    found = {t["target"]: t for t in report.targets(rows)}
    failures = [f"missing target: {name}" for name in want if name not in found]
    failures += [f"unexpected target: {name}" for name in found if name not in want]
    for name, (status, value) in want.items():
        t = found.get(name)
        if t is None:
            continue
        close = value is None if t["measured"] is None else value is not None and abs(t["measured"] - value) < 1e-9
        if t["status"] != status or not close:
            failures.append(f"{name}: expected {status} {value}, found {t['status']} {t['measured']}")
    # The RSS target's detail gives what the process held before loading, where the bench measured it.
    for r in rows[6:8]:
        r["netc"]["start_rss_bytes"] = int(3.4 * MIB)
    t = next(t for t in report.targets(rows) if t["target"].startswith("mobilenet_v2: peak RSS"))
    if not t["detail"].endswith(", 3.4 MiB held before loading"):
        failures.append(f"mobilenet_v2's RSS detail: expected what was held before loading, found {t['detail']!r}")
    if "3.4" not in report.memory_table(rows):
        failures.append("the memory table lacks the RSS at start (3.4)")
    # A 1.85 x speed-up passes.
    rows[1] = row("resnet50", 1, 2, 39.0 / 1.86, 25.0)
    t = next(t for t in report.targets(rows) if t["target"].startswith("ResNet50 batch 1: 2 threads"))
    if t["status"] != "PASS":
        failures.append(f"a speed-up of 1.86: expected PASS, found {t['status']} {t['measured']}")
    for f in failures:
        print(f)
    print(f"{len(failures)} check(s) failed" if failures else f"all {len(want) + 3} checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
