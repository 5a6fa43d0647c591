#!/usr/bin/python3
"""The benchmark in one command: netc's generated VGG16, ResNet50, MobileNetV2 and DenseNet121 at 224x224x3
against ONNX Runtime and PyTorch on the same weights, in the same run, on the same machine.

usage: /usr/bin/python3 bench/run.py [--quick] [--build-dir DIR] [--runs N] [--min-runs M] [--max-seconds S] ...

For each configuration (model x batch x threads), each engine gets a process of its own (so that its peak memory
is the configuration's), and the engines run in lock step (bench/lockstep.py): one timed forward pass of each
in turn, the order turning every cycle, so that the machine's noise, however it comes and goes, falls on all
of them alike. bench/peak_fma takes part in the lock step with a short burst of FMAs per cycle on as many
threads: "% of peak" divides by the median of these bursts, the peak of the same moments (on this machine it
moves by half with the load of others). Prints the tables and the targets, and writes everything to
BUILD/bench/results.json.
"""
import argparse
import datetime
import json
import os
import sys
import time

import lockstep
import prepare
import report

ENGINES = ("netc", "onnxruntime", "pytorch")
SHAPE = "3x224x224"  # C x H x W, the .onnx input's (the C++ model takes H x W x C)
# Between two engines' runs: the last one's thread pool stops spinning. ONNX Runtime's spins on one core for
# about 60 ms after a pass (its process's CPU time, sampled every 10 ms after a 2-thread ResNet50 pass, AMD EPYC
# Zen 2), so with less the next engine's 2-thread pass shared a core with it.
SETTLE_S = 0.08
ANSWER_TIMEOUT_S = 900  # for a driver's load, warmup or one run


def parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build-dir", default=os.path.join(prepare.ROOT, "build"), help="CMake build dir (default build/)")
    p.add_argument("--quick", action="store_true", help="2 threads only, 2 to 5 runs, PyTorch's jit only: "
                   "under 3 minutes")
    p.add_argument("--runs", type=int, help="most timed runs of each engine per configuration (default 20)")
    p.add_argument("--min-runs", type=int, help="fewest timed runs of each engine per configuration (default 5)")
    p.add_argument("--max-seconds", type=float,
                   help="no new cycle after this many seconds per engine, once --min-runs are done (default 4)")
    p.add_argument("--warmup", type=int, default=1, help="untimed runs per engine before the timed ones")
    p.add_argument("--models", default="vgg16,resnet50,mobilenet_v2,densenet121")
    p.add_argument("--batches", default="1,8")
    p.add_argument("--threads", help="thread counts (default 1,2)")
    p.add_argument("--engines", default=",".join(ENGINES), help="engines to run (netc always runs)")
    p.add_argument("--python", default="/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable,
                   help="the Python with torch (default /usr/bin/python3)")
    p.add_argument("--torch-variants", help="PyTorch's variants to time: plain (eager), optimized (jit); "
                   "the faster counts (default both; --quick: optimized)")
    p.add_argument("--node", default="node")
    p.add_argument("--no-build", action="store_true", help="use the build dir as it is")
    p.add_argument("--compare", action="append", default=[], metavar="NAME=BUILD_DIR",
                   help="also time BUILD_DIR/bench/netc_bench (another build of netc, e.g. native=build-native for "
                   "-DNETC_NATIVE=ON) in the same lock step, as the engine netc:NAME; built unless --no-build")
    args = p.parse_args()
    quick = {"runs": 5, "min_runs": 2, "max_seconds": 1.0, "threads": "2", "torch_variants": "optimized"}
    full = {"runs": 20, "min_runs": 5, "max_seconds": 4.0, "threads": "1,2", "torch_variants": "plain,optimized"}
    for key, value in (quick if args.quick else full).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.build_dir = os.path.abspath(args.build_dir)
    args.models = args.models.split(",")
    args.batches = [int(b) for b in args.batches.split(",")]
    args.threads = [int(t) for t in args.threads.split(",")]
    args.engines = ["netc"] + [e for e in args.engines.split(",") if e in ENGINES and e != "netc"]
    args.compare = dict(compared(spec) for spec in args.compare)
    return args


def compared(spec):
    """("netc:NAME", absolute BUILD_DIR) from "NAME=BUILD_DIR"."""
    try:
        name, build_dir = prepare.build_spec(spec)
    except ValueError as e:
        sys.exit(f"run.py: error: {e}")
    return "netc:" + name, build_dir


def command(engine, config, args, files):
    """The engine's driver in --serve mode for one configuration."""
    model, batch, threads = config
    common = ["--batch", str(batch), "--threads", str(threads), "--warmup", str(args.warmup), "--serve"]
    if engine == "netc" or engine in args.compare:
        build_dir = args.compare.get(engine, args.build_dir)
        return [os.path.join(build_dir, "bench", "netc_bench"), model, files.weights] + common
    if engine == "onnxruntime":
        return [args.node, os.path.join(prepare.BENCH, "ort_bench.js"), files.onnx, "--model", model,
                "--shape", SHAPE] + common
    return [args.python, os.path.join(prepare.BENCH, "torch_bench.py"), files.module, files.weights,
            "--model", model, "--variants", args.torch_variants] + common


def start_drivers(config, args, files, engines, results):
    """{engine: Driver} started one after the other (their loads do not overlap), and the peak's ("peak");
    failures go to results."""
    drivers = {}
    peak = [os.path.join(args.build_dir, "bench", "peak_fma"), "--serve", "--threads", str(config[2])]
    for engine in engines + ["peak"]:
        try:
            cmd = peak if engine == "peak" else command(engine, config, args, files)
            drivers[engine] = lockstep.Driver(cmd, ANSWER_TIMEOUT_S)
        except lockstep.DriverError as e:
            results[engine] = {"error": str(e)}
    return drivers


def slower_variant(times):
    """PyTorch's variant to stop running: the one more than 25% slower than the other, if one is."""
    variants = {v: sorted(t)[len(t) // 2] for (engine, v), t in times.items() if engine == "pytorch" and t}
    if len(variants) == 2:
        fast, slow = sorted(variants, key=variants.get)
        if variants[slow] > 1.25 * variants[fast]:
            return ("pytorch", slow)
    return None


def cycle(order, drivers, times, results):
    """One timed run of each (engine, variant) in order; a driver that fails is dropped."""
    for unit in order:
        engine, variant = unit
        if engine not in drivers:
            continue
        try:
            times[unit].append(drivers[engine].run(variant))
        except lockstep.DriverError as e:
            results[engine] = {"error": str(e)}
            del drivers[engine]
        time.sleep(SETTLE_S)


def measure_config(config, args, files, engines):
    """{engine: its driver's final JSON, or {"error": ...}} for one configuration."""
    results = {}
    drivers = start_drivers(config, args, files, engines, results)
    try:
        units = [(e, v) for e in drivers for v in (drivers[e].ready.get("variants") or [None])]
        times = {unit: [] for unit in units}
        start = time.time()
        engine_units = len([u for u in units if u[0] != "peak"])
        for k in range(args.runs):
            if k >= args.min_runs and time.time() - start > args.max_seconds * engine_units:
                break
            cycle(units[k % len(units):] + units[:k % len(units)], drivers, times, results)
            if k == 2 and slower_variant(times):
                units.remove(slower_variant(times))
        for engine, driver in drivers.items():
            try:
                results[engine] = driver.end()
            except lockstep.DriverError as e:
                results[engine] = {"error": str(e)}
    finally:
        for driver in drivers.values():
            driver.kill()
    return results


def measure(args, artifacts, engines):
    """{config: {engine: result}} of every configuration, with a line of progress for each."""
    samples = {}
    for config in [(m, b, t) for m in args.models for b in args.batches for t in args.threads]:
        start = time.time()
        samples[config] = measure_config(config, args, artifacts[config[0]], engines)
        model, batch, threads = config
        parts = [f"{e} error" if "error" in r else f"{e} {report.ms(r['median_ms'])} ms ({len(r['times_ms'])} runs)"
                 for e, r in samples[config].items() if e != "peak"]
        parts.append(report.peak_cell(samples[config]["peak"]) + " GFLOP/s peak")
        print(f"{model} b{batch} t{threads}: {', '.join(parts)}; {time.time() - start:.0f} s", flush=True)
    return samples


def derive(result, config, peak):
    """An engine's result with images/s, and for netc GFLOP/s and the fraction of the configuration's peak."""
    if "error" in result:
        return result
    model, batch, threads = config
    row = {**result, "images_per_s": batch * 1000 / result["median_ms"]}
    if "macs_per_image" in row:
        row["gflops"] = 2 * row["macs_per_image"] * batch / row["median_ms"] / 1e6
        row["peak_fraction"] = row["gflops"] / peak["gflops"] if "gflops" in peak else None
    return row


def measure_peak(args):
    """peak_fma's JSON: the machine's peak FMA GFLOP/s on 1 to max(threads) threads."""
    command = [os.path.join(args.build_dir, "bench", "peak_fma"), "--threads", str(max(args.threads)),
               "--seconds", "0.5" if args.quick else "1"]
    return json.loads(prepare.run(command, "peak_fma"))


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), model)
    except OSError:
        pass
    return {"cpu": model, "cpus": os.cpu_count(), "load_average": list(os.getloadavg())}


def main():
    args = parse()
    started = time.time()
    try:
        artifacts, problems = prepare.prepare(args)
    except prepare.Failure as e:
        print(f"run.py: error: {e}", file=sys.stderr)
        return 1
    engines = [e for e in args.engines if problems.get(e) is None] + list(args.compare)
    for engine in ("onnxruntime", "pytorch"):
        if problems[engine] and problems[engine] != "not asked for":
            print(f"{engine}: n/a ({problems[engine]}); to get it: "
                  f"{prepare.ORT_HINT if engine == 'onnxruntime' else prepare.TORCH_HINT}", flush=True)
    print(f"machine: {machine()['cpu']}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}", flush=True)
    peak = measure_peak(args)
    print(report.peak_line(peak), flush=True)
    samples = measure(args, artifacts, engines)
    rows = []
    for (m, b, t), results in samples.items():
        config_peak = results.get("peak", {"error": "not run"})
        rows.append({"model": m, "batch": b, "threads": t, "peak": config_peak,
                     **{e: derive(results.get(e, {"error": "n/a"}), (m, b, t), config_peak)
                        for e in list(ENGINES) + list(args.compare)}})
    results = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "machine": machine(),
               "settings": {k: getattr(args, k) for k in ("runs", "min_runs", "max_seconds", "warmup", "quick",
                                                          "torch_variants", "compare")},
               "peak_fma": peak, "problems": problems, "rows": rows,
               "targets": report.targets(rows) + report.compare_targets(rows, list(args.compare))}
    print()
    print(report.render(results, problems))
    results["elapsed_s"] = round(time.time() - started, 1)
    out = os.path.join(args.build_dir, "bench", "results.json")
    with open(out, "w") as f:
        json.dump(results, f, indent=1)
    print(f"\nresults: {out} ({results['elapsed_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
