#!/usr/bin/env python3
"""Where netc's time goes: runs bench/netc_bench --profile on a shipped model and prints the time per layer
kind and the ten slowest steps, each with its share of the pass and its GFLOP/s, so that the next person sees
what to speed up without perf.

A step is one statement of the generated forward(): a layer with what lowering folded into it (a convolution
with its batch norm and activation, an add with its relu). netc_bench times it through the model's
LayerObserver, from the previous step's end to its own (the median over the runs); `netc summary --format json`
gives each layer's kind and MACs, and a step takes the layers from the one after the previous step's last layer
to its own last layer (a flatten, a view with no code, goes with the step after it). The step's kind is that
of its first layer that computes (MACs > 0), else its first layer. The observer costs a little time per step:
the profile's total is a little above bench/run.py's median, which is the figure to quote for speed.

With --compare NAME=BUILD_DIR (repeatable), the builds' netc_bench take turns, --rounds times, and each
layer kind's time, the total and the steps that differ most are printed side by side: per build the least,
over the rounds, of its summed step medians. On a shared machine whose speed drifts by 10% or more from one
minute to the next, a whole pass's time cannot tell two builds apart by 1 or 2%; the least of each layer kind
over alternating rounds usually can (run it twice: an effect that does not repeat is noise).

Usage: bench/profile.py [--model resnet50|vgg16|mobilenet_v2|densenet121] [--batch B] [--threads T] [--runs N]
       [--build-dir DIR] [--no-build] [--json] [--compare NAME=BUILD_DIR [--rounds R]]
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prepare  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="resnet50", choices=["resnet50", "vgg16", "mobilenet_v2", "densenet121"])
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--build-dir", default=os.path.join(prepare.ROOT, "build"))
    p.add_argument("--no-build", action="store_true", help="use the build dir as it is")
    p.add_argument("--json", action="store_true", help="print the per-step figures as JSON instead of tables")
    p.add_argument("--compare", action="append", default=[], metavar="NAME=BUILD_DIR",
                   help="also profile another build's netc_bench, in turns with this one (repeatable)")
    p.add_argument("--rounds", type=int, default=4, help="turns of each build with --compare (4)")
    args = p.parse_args()
    builds = []
    for spec in args.compare:
        try:
            builds.append(prepare.build_spec(spec))
        except ValueError as e:
            p.error(str(e))
        bench = os.path.join(builds[-1][1], "bench", "netc_bench")
        if not os.path.isfile(bench):
            p.error(f"--compare {spec}: no {bench} (build it first)")
    if args.compare and args.json:
        p.error("--json prints one build's steps: not with --compare")
    if args.rounds < 1:
        p.error(f"--rounds must be at least 1, found {args.rounds}")
    args.compare = builds
    return args


def layers_of(files):
    """[(name, kind, macs)] of the model's layers in order, from netc summary --format json."""
    out = prepare.run([files.netc, "summary", files.source, "--input", prepare.INPUT, "--classes", prepare.CLASSES,
                       "--format", "json"], "netc summary")
    return [(layer["name"], layer["kind"], int(layer["macs"])) for layer in json.loads(out)["layers"]]


def attribute(steps, layers):
    """Each step with the layers it covers: [{name, ms, kind, macs}]."""
    position = {name: i for i, (name, _, _) in enumerate(layers)}
    out, first = [], 1  # layers[0] is the input
    for step in steps:
        name = step["name"].split("/")[0]  # NAME/logits: the step itself, before the model's final softmax
        if out and out[-1]["name"] == name + "/logits":  # NAME after NAME/logits: that softmax alone
            out.append({"name": name + " (softmax)", "ms": step["ms"], "kind": "softmax", "macs": 0})
            continue
        last = position[name]
        covered = layers[first:last + 1] or [layers[last]]
        computing = [layer for layer in covered if layer[2] > 0]
        kind = computing[0][1] if computing else covered[-1][1]  # pad + pool: the pool
        out.append({"name": step["name"], "ms": step["ms"], "kind": kind, "macs": sum(layer[2] for layer in covered)})
        first = last + 1
    return out


def report(profile, steps, batch, isa):
    total = sum(s["ms"] for s in steps)
    print(f"{profile['model']}, batch {batch}, {profile['threads']} thread(s), ISA {isa}: {len(steps)} steps, "
          f"{total:.2f} ms in all (median of {len(profile['times_ms'])} runs per step)")
    kinds = {}
    for s in steps:
        k = kinds.setdefault(s["kind"], {"ms": 0.0, "macs": 0, "steps": 0})
        k["ms"] += s["ms"]
        k["macs"] += s["macs"]
        k["steps"] += 1
    print(f"\n{'layer kind':<30} {'steps':>5} {'ms':>9} {'share':>7} {'GFLOP/s':>8}")
    for kind, k in sorted(kinds.items(), key=lambda item: -item[1]["ms"]):
        print(f"{kind:<30} {k['steps']:>5} {k['ms']:>9.3f} {k['ms'] / total:>7.1%} {gflops(k['macs'], batch, k['ms']):>8}")
    print(f"\n{'ten slowest steps':<30} {'kind':<18} {'ms':>9} {'share':>7} {'GFLOP/s':>8}")
    for s in sorted(steps, key=lambda s: -s["ms"])[:10]:
        print(f"{s['name']:<30} {s['kind']:<18} {s['ms']:>9.3f} {s['ms'] / total:>7.1%} "
              f"{gflops(s['macs'], batch, s['ms']):>8}")


def gflops(macs, batch, ms):
    return f"{2.0 * macs * batch / (ms * 1e6):.1f}" if macs and ms > 0 else "-"


def profile_of(build_dir, args, files):
    """One netc_bench --profile run of a build: its final JSON line."""
    bench = os.path.join(build_dir, "bench", "netc_bench")
    out = prepare.run([bench, args.model, files.weights, "--batch", str(args.batch), "--threads", str(args.threads),
                       "--runs", str(args.runs), "--profile"], f"{bench} --profile")
    return json.loads(out.strip().splitlines()[-1])


def least_times(args, files, layers, builds):
    """The builds' profiles in turns, args.rounds times: per build the least over the rounds of the total's, each
    layer kind's and each step's ms ({name: {(what, label): ms}}), each build's ISA, and the step names."""
    least = {name: {} for name, _ in builds}
    isas, names = {}, []
    for _ in range(args.rounds):
        for name, build_dir in builds:
            profile = profile_of(build_dir, args, files)
            isas[name] = profile["isa"]
            try:
                steps = attribute(profile["steps"], layers)
            except KeyError as e:
                raise prepare.Failure(f"build '{name}' ({build_dir}) times a step {e} that this build's model "
                                      f"does not have: its model differs") from None
            sums = {("total", ""): sum(s["ms"] for s in steps)}
            for s in steps:
                if s["name"] not in names:
                    names.append(s["name"])
                sums[("kind", s["kind"])] = sums.get(("kind", s["kind"]), 0.0) + s["ms"]
                sums[("step", s["name"])] = s["ms"]
            for key, ms in sums.items():
                least[name][key] = min(least[name].get(key, ms), ms)
    return least, isas, names


def compare(args, files, layers):
    """Prints the builds' least times side by side: per layer kind, the total, the ten steps that differ most."""
    builds = [("this", args.build_dir)] + args.compare
    least, isas, names = least_times(args, files, layers, builds)
    others = [name for name, _ in args.compare]
    head = "".join(f" {f'{n} ({isas[n]})':>18}" for n, _ in builds) + "".join(f" {'this/' + o:>14}" for o in others)
    print(f"{args.model}, batch {args.batch}, {args.threads} thread(s): the least over {args.rounds} rounds of each "
          f"build's ms (medians of {args.runs} runs per step), the builds in turns")

    def row(label, key):
        cells = "".join(f" {least[n].get(key, float('nan')):>18.3f}" for n, _ in builds)
        ratios = "".join(f" {least['this'][key] / least[o][key]:>14.3f}" if key in least["this"] and least[o].get(key)
                         else f" {'-':>14}" for o in others)
        print(f"{label:<30}{cells}{ratios}")

    print(f"\n{'layer kind':<30}" + head)
    for kind in sorted({k for n, _ in builds for (what, k) in least[n] if what == "kind"},
                       key=lambda k: -least["this"].get(("kind", k), 0.0)):
        row(kind, ("kind", kind))
    row("total", ("total", ""))
    shared = [s for s in names if all(("step", s) in least[n] for n, _ in builds)]
    differ = sorted(shared, key=lambda s: -max(abs(least["this"][("step", s)] - least[o][("step", s)]) for o in others))
    print(f"\n{'ten steps that differ most':<30}" + head)
    for s in differ[:10]:
        row(s, ("step", s))


def main():
    args = parse_args()
    if not args.no_build:
        prepare.build(args.build_dir)
    files = prepare.Artifacts(args.build_dir, args.model)
    files.make_weights()
    if args.compare:
        compare(args, files, layers_of(files))
        return 0
    profile = profile_of(args.build_dir, args, files)
    steps = attribute(profile["steps"], layers_of(files))
    if args.json:
        print(json.dumps({"model": args.model, "batch": args.batch, "threads": args.threads, "isa": profile["isa"],
                          "steps": steps}, indent=1))
    else:
        report(profile, steps, args.batch, profile["isa"])
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except prepare.Failure as e:
        print(f"profile: {e}", file=sys.stderr)
        sys.exit(1)
