"""The benchmark's report: the forward-pass, memory and load tables, notes on the peers, and the targets with
PASS or MISS and the measured value. Rows are run.py's: {model, batch, threads, netc: {...}, onnxruntime:
{...}, pytorch: {...}}, an engine's entry holding {"error": ...} when it did not run."""

from prepare import ORT_HINT, TORCH_HINT

MIB = 1 << 20
PEERS = (("onnxruntime", "ORT"), ("pytorch", "PyTorch"))
VARIANT_NAMES = {"plain": "eager", "optimized": "jit"}


def ms(value):
    if value is None:
        return "n/a"
    return f"{value:.0f}" if value >= 1000 else f"{value:.1f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def times(x, digits=2):
    return "n/a" if x is None else f"{x:.{digits}f}"


def table(headers, rows):
    """Text table: the first column left-aligned, the others right-aligned."""
    widths = [max(len(str(r[i])) for r in [headers] + rows) for i in range(len(headers))]
    line = lambda r: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)  # noqa: E731
                               for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(headers)] + [line(r) for r in rows])


def peak_line(peak):
    values = peak["gflops"]
    one = values.get("1")
    parts = [f"{t} thread{'s' if t != '1' else ''} {g:.1f}"
             + (f" ({g / one:.2f}x 1 thread)" if t != "1" and one else "") for t, g in values.items()]
    return f"peak FMA alone ({peak['isa']}, {peak['chains']} chains of {peak['vector_floats']} floats): " + \
        ", ".join(parts) + " GFLOP/s"


def peak_cell(peak):
    """A configuration's peak GFLOP/s, sampled in lock step with the engines."""
    return "n/a" if "gflops" not in peak else f"{peak['gflops']:.1f}"


def median(row, engine):
    return row[engine].get("median_ms")


def speed_table(rows):
    out = []
    for r in rows:
        n = r["netc"]
        if "error" in n:
            out.append([r["model"], r["batch"], r["threads"], "error"] + [""] * 8)
            continue
        peers = []
        for engine, _ in PEERS:
            cell = ms(median(r, engine))
            if engine == "pytorch" and "variant" in r[engine]:
                cell += f" ({VARIANT_NAMES[r[engine]['variant']]})"
            peers.append(cell)
        pct = n.get("peak_fraction")
        out.append([r["model"], r["batch"], r["threads"], f"{ms(n['median_ms'])} [{ms(n['p10_ms'])}-{ms(n['p90_ms'])}]",
                    f"{n['images_per_s']:.2f}", f"{n['gflops']:.1f}", peak_cell(r["peak"]),
                    "n/a" if pct is None else f"{100 * pct:.0f}%",
                    *peers, *(times(ratio(n["median_ms"], median(r, e))) for e, _ in PEERS)])
    return table(["model", "batch", "threads", "netc ms [p10-p90]", "images/s", "GFLOP/s", "peak", "% peak", "ORT ms",
                  "PyTorch ms", "netc/ORT", "netc/PyTorch"], out)


def compare_table(rows, compared):
    """netc against the builds of --compare, in the same lock step: median ms, instruction set, ratio."""
    out = []
    for r in rows:
        n = r["netc"]
        cells = [r["model"], r["batch"], r["threads"], f"{ms(n.get('median_ms'))} ({n.get('isa', '?')})"]
        for engine in compared:
            c = r[engine]
            cells += [f"{ms(c.get('median_ms'))} ({c.get('isa', 'before the isa field')})",
                      times(ratio(n.get("median_ms"), c.get("median_ms")), 3)]
        out.append(cells)
    headers = ["model", "batch", "threads", "netc ms (isa)"]
    for engine in compared:
        headers += [f"{engine} ms (isa)", f"netc/{engine}"]
    return table(headers, out)


def compare_targets(rows, compared):
    """With a build called native (-DNETC_NATIVE=ON): the run-time choice costs at most 2% (worst row)."""
    if "netc:native" not in compared:
        return []
    ratios = [(ratio(median(r, "netc"), median(r, "netc:native")), r) for r in rows
              if "error" not in r["netc"] and "error" not in r["netc:native"]]
    value, worst = max(ratios, key=lambda x: x[0], default=(None, None))
    return [target("run-time dispatch: netc time <= 1.02 x the -march=native build's (worst row)", value, 1.02, True,
                   worst and f"{worst['model']} b{worst['batch']} t{worst['threads']}" or "")]


def budget(n):
    return 1.1 * (n["weights_bytes"] + n["arena_bytes"])


def mib(row, engine):
    value = row[engine].get("peak_rss_bytes")
    return "n/a" if value is None else f"{value / MIB:.0f}"


def start_mib(n):
    value = n.get("start_rss_bytes")
    return "n/a" if value is None else f"{value / MIB:.1f}"


def held_before(n):
    """", X MiB held before loading" where the bench gave the process's RSS at its start."""
    return "" if n.get("start_rss_bytes") is None else f", {start_mib(n)} MiB held before loading"


def memory_table(rows):
    out = [[r["model"], r["batch"], r["threads"], mib(r, "netc"), start_mib(r["netc"]),
            f"{r['netc']['weights_bytes'] / MIB:.0f}",
            f"{r['netc']['arena_bytes'] / MIB:.0f}", f"{budget(r['netc']) / MIB:.0f}",
            times(r["netc"]["peak_rss_bytes"] / budget(r["netc"])), mib(r, "onnxruntime"), mib(r, "pytorch")]
           for r in rows if "error" not in r["netc"]]
    return table(["model", "batch", "threads", "netc peak RSS", "at start", "weights", "arena", "budget", "netc/budget",
                  "ORT peak RSS", "PyTorch peak RSS"], out)


def load_table(rows):
    out = [[r["model"], r["batch"], r["threads"], ms(r["netc"]["load_ms"]), ms(r["netc"]["read_ms"]),
            times(r["netc"]["load_ms"] / r["netc"]["read_ms"]), ms(r["onnxruntime"].get("load_ms")),
            ms(r["pytorch"].get("load_ms"))]
           for r in rows if "error" not in r["netc"]]
    return table(["model", "batch", "threads", "netc load", "read", "load/read", "ORT session", "PyTorch load"], out)


def find(rows, model, batch, threads):
    return next((r for r in rows if (r["model"], r["batch"], r["threads"]) == (model, batch, threads)
                 and "error" not in r["netc"]), None)


def target(text, value, limit, at_most, detail=""):
    status = "n/a" if value is None else ("PASS" if (value <= limit if at_most else value >= limit) else "MISS")
    return {"target": text, "status": status, "measured": value, "limit": limit, "detail": detail}


def targets(rows):
    """The speed issue's targets, each with its measured value (None when what it needs was not measured)."""
    out = []
    for model, name, limit, thread_counts in (("resnet50", "ResNet50", 0.8, (1, 2)), ("vgg16", "VGG16", 0.65, (1, 2)),
                                              ("mobilenet_v2", "MobileNetV2", 0.9, (2,)),
                                              ("densenet121", "DenseNet121", 0.9, (2,))):
        for threads in thread_counts:
            r = find(rows, model, 1, threads)
            value = r and ratio(median(r, "netc"), median(r, "onnxruntime"))
            detail = r and f"netc {ms(median(r, 'netc'))} ms, ORT {ms(median(r, 'onnxruntime'))} ms"
            out.append(target(f"{name} batch 1, {threads} thread{'s' if threads > 1 else ''}: netc time <= {limit} x "
                              "ORT's", value, limit, True, detail or ""))
    one, two = find(rows, "resnet50", 1, 1), find(rows, "resnet50", 1, 2)
    value = one and two and ratio(median(one, "netc"), median(two, "netc"))
    out.append(target("ResNet50 batch 1: 2 threads >= 1.85 x as fast as 1 thread", value, 1.85, False,
                      value and f"{ms(median(one, 'netc'))} / {ms(median(two, 'netc'))} ms" or ""))
    for threads in sorted({r["threads"] for r in rows}):
        one, eight = find(rows, "resnet50", 1, threads), find(rows, "resnet50", 8, threads)
        value = one and eight and eight["netc"]["images_per_s"] / one["netc"]["images_per_s"]
        detail = value and f"{eight['netc']['images_per_s']:.2f} vs {one['netc']['images_per_s']:.2f} images/s"
        out.append(target(f"ResNet50 {threads} thread{'s' if threads > 1 else ''}: batch 8 images/s >= 1.2 x "
                          "batch 1's", value, 1.2, False, detail or ""))
    for model in sorted({r["model"] for r in rows}):
        mine = [r for r in rows if r["model"] == model and "error" not in r["netc"]]
        worst = max(mine, key=lambda r: r["netc"]["peak_rss_bytes"] / budget(r["netc"]), default=None)
        out.append(target(f"{model}: peak RSS <= (weights + arena) x 1.1 (worst row)",
                          worst and worst["netc"]["peak_rss_bytes"] / budget(worst["netc"]), 1.0, True,
                          worst and f"b{worst['batch']} t{worst['threads']}: {mib(worst, 'netc')} of "
                          f"{budget(worst['netc']) / MIB:.0f} MiB{held_before(worst['netc'])}" or ""))
        worst = max(mine, key=lambda r: r["netc"]["load_ms"] / r["netc"]["read_ms"], default=None)
        out.append(target(f"{model}: load time <= 1.5 x read time (worst row)",
                          worst and worst["netc"]["load_ms"] / worst["netc"]["read_ms"], 1.5, True,
                          worst and f"b{worst['batch']} t{worst['threads']}: {ms(worst['netc']['load_ms'])} vs "
                          f"{ms(worst['netc']['read_ms'])} ms" or ""))
    return out


def peer_notes(rows, problems):
    notes = []
    for engine, hint in (("onnxruntime", ORT_HINT), ("pytorch", TORCH_HINT)):
        if problems.get(engine):
            notes.append(f"{engine}: n/a ({problems[engine]}); to get it: {hint}")
            continue
        ok = [r[engine] for r in rows if "error" not in r[engine]]
        notes += [f"{engine} {r['model']} b{r['batch']} t{r['threads']}: error: {r[engine]['error']}"
                  for r in rows if "error" in r[engine]]
        if ok and engine == "onnxruntime":
            notes.append(f"onnxruntime {ok[0]['version']} (onnxruntime-node): peak RSS is the node process's "
                         f"{ok[0]['rss_method']}; load = session creation (graph optimisation included)")
        if ok and engine == "pytorch":
            timed = sorted({VARIANT_NAMES[v] for r in ok for v in r["variants"]})
            notes.append(f"pytorch {ok[0]['version']}, BLAS {ok[0]['blas']} ({ok[0]['blas_path']}; torch.__config__: "
                         f"BLAS_INFO={ok[0].get('blas_info')}), oneDNN "
                         f"{'on' if ok[0]['mkldnn'] else 'off'}; timed {' and '.join(timed)} (jit = trace + "
                         "optimize_for_inference)" + (", the faster counts" if len(timed) > 1 else "")
                         + "; peak RSS is VmHWM once the weights are loaded")
            if ok[0]["blas"] == "reference":
                notes.append("warning: PyTorch runs on the reference BLAS, which is slow: apt-get install "
                             "libopenblas0-openmp")
    return notes


def render(results, problems):
    rows = results["rows"]
    parts = [
        "Forward pass: median ms of the timed runs [10th-90th percentile]; netc/peer = netc's time / the peer's "
        "(below 1: netc is faster)",
        speed_table(rows), "",
        "Memory, MiB: peak RSS (VmHWM) of the process; at start = its RSS before reading the weights (code, "
        "libraries); budget = (weights file + arena) x 1.1",
        memory_table(rows), "",
        "Load, ms: netc load = the constructor; read = reading the weights file into memory (page cache warm for both)",
        load_table(rows), "",
        *peer_notes(rows, problems), "",
        *(["Builds compared in the same lock step (--compare): median ms (instruction set); netc/build = netc's "
           "time / the build's", compare_table(rows, results["settings"]["compare"]), ""]
          if results["settings"].get("compare") else []),
        "peak = the median GFLOP/s of bench/peak_fma's bursts on as many threads, run in lock step with the engines "
        f"({results['peak_fma']['isa']}); % peak = GFLOP/s / peak. GFLOP/s counts the model's MACs as a direct "
        "convolution does them: kernels that need fewer multiplications (Winograd) can pass 100%", "",
        "Targets"]
    for t in results["targets"]:
        detail = f"  ({t['detail']})" if t["detail"] else ""
        parts.append(f"{t['status']:<4}  {t['target']}: {times(t['measured'])}{detail}")
    return "\n".join(parts)
