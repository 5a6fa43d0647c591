"""Times PyTorch on the module netc emits, with the same weights as the netc run; prints one JSON line.

usage: /usr/bin/python3 bench/torch_bench.py MODULE.py WEIGHTS --model NAME [--batch B] [--threads T]
           [--runs N] [--warmup W] [--max-seconds S] [--variants plain,optimized] [--serve]

Two variants: `plain` is the module in eval mode under torch.no_grad(); `optimized` is the module traced
(torch.jit.trace: torch.jit.script rejects the emitted forward's untyped `trace` dict) and passed through
torch.jit.optimize_for_inference (freezing, oneDNN convolutions, fused conv+bn+relu). Each gets the warmup
runs (the traced one as many more as its profiling executor profiles before it specialises: one) and up to
N timed runs; the better median is reported. --serve: the lock-step protocol of bench/run.py, with one line
"run VARIANT" per run. Peak RSS is VmHWM measured from the moment the weights are in the module (the
high-water mark is reset then), because the loader's numpy copies of the file are the harness's, not torch's;
the peak of the load is reported apart.
"""
import argparse
import json
import sys
import time

import torch

import stats
import torch_model


def parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("module")
    p.add_argument("weights")
    p.add_argument("--model", required=True)
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--max-seconds", type=float, default=1e9)
    p.add_argument("--variants", default="plain,optimized")
    p.add_argument("--serve", action="store_true", help="lock-step runs asked for on stdin (bench/run.py)")
    return p.parse_args()


def optimized(model, x):
    """The traced, frozen and optimised module, and the ms that took."""
    start = time.perf_counter()
    traced = torch.jit.trace(model, (x,), check_trace=False)
    module = torch.jit.optimize_for_inference(traced)
    return module, (time.perf_counter() - start) * 1000


def prepare(model, x, args):
    """{variant: run()} of the variants that could be made, warmed up, and {variant: {error or optimize_ms}}."""
    runners, notes = {}, {}
    for name in args.variants.split(","):
        try:
            module, warmup = model, args.warmup
            if name == "optimized":
                module, optimize_ms = optimized(model, x)
                # The profiling executor profiles the first calls and specialises the graph on the next.
                notes[name], warmup = {"optimize_ms": optimize_ms}, warmup + torch._C._jit_get_num_profiled_runs()
            run = lambda module=module: module(x)  # noqa: E731
            stats.timed_runs(run, warmup, 0, 0)  # the warmup runs alone
            runners[name] = run
        except Exception as e:  # a variant that fails is reported, the other one still counts
            notes[name] = {"error": f"{type(e).__name__}: {e}".splitlines()[0]}
    return runners, notes


def serve(runners, times):
    """The lock-step protocol of bench/run.py: {"ready": true, "variants": [...]}, then a timed run of VARIANT
    for each line "run VARIANT" on stdin, answered with {"ms": T}, until "end"."""
    print(json.dumps({"ready": True, "variants": list(runners)}), flush=True)
    for line in iter(sys.stdin.readline, ""):
        words = line.split()
        if words == ["end"]:
            return
        if len(words) != 2 or words[0] != "run" or words[1] not in runners:
            raise ValueError(f"expected 'run {'|'.join(runners)}' or 'end' on stdin, found {line.strip()!r}")
        times[words[1]] += stats.timed_runs(runners[words[1]], 0, 1, 0)
        print(json.dumps({"ms": times[words[1]][-1]}), flush=True)


def time_variants(model, args):
    """{variant: {times_ms, median_ms, ...} or {error}}, timed on their own or as bench/run.py asks (--serve)."""
    torch.manual_seed(1)
    x = torch.rand(args.batch, *model.input_shape)
    with torch.no_grad():
        runners, variants = prepare(model, x, args)
        times = {name: [] for name in runners}
        if args.serve and runners:
            serve(runners, times)
        else:
            for name, run in runners.items():
                times[name] = stats.timed_runs(run, 0, args.runs, args.max_seconds)
    for name, t in times.items():
        if t:
            variants[name] = {**variants.get(name, {}), "times_ms": t, **stats.summary(t)}
    return variants


def main():
    args = parse()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    blas_kind, blas_path = torch_model.blas_in_use()
    if blas_kind == "reference":
        print(f"torch_bench: warning: torch runs on the reference BLAS ({blas_path}), which is slow: "
              "apt-get install libopenblas0-openmp", file=sys.stderr)
    start = time.perf_counter()
    model = torch_model.load_model(args.module, args.weights)
    load_ms = (time.perf_counter() - start) * 1000
    load_peak = stats.proc_status_bytes("VmHWM")
    rss_reset = stats.reset_peak_rss()

    variants = time_variants(model, args)
    timed = {name: v for name, v in variants.items() if "times_ms" in v}
    if not timed:
        print(f"torch_bench: error: no variant was timed: {variants}", file=sys.stderr)
        return 1
    best = min(timed, key=lambda name: timed[name]["median_ms"])
    median = timed[best]["median_ms"]
    print(json.dumps({
        "engine": "pytorch", "model": args.model, "batch": args.batch, "threads": args.threads,
        "warmup": args.warmup, "variant": best, "times_ms": timed[best]["times_ms"],
        **stats.summary(timed[best]["times_ms"]), "images_per_s": args.batch * 1000 / median,
        "variants": variants, "load_ms": load_ms, "peak_rss_bytes": stats.proc_status_bytes("VmHWM"),
        "rss_method": "VmHWM after load" if rss_reset else "VmHWM", "load_peak_rss_bytes": load_peak,
        "version": torch.__version__, "blas": blas_kind, "blas_path": blas_path,
        "blas_info": torch_model.blas_config(),
        "mkldnn": torch.backends.mkldnn.is_available()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
