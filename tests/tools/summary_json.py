"""netc summary --format json for every shipped model: the output validates against docs/summary.schema.json,
its totals and memory figures equal the text summary's, and its layers agree with the table row by row.
A document broken on purpose must fail the validation (the schema is not vacuous). Exit 77 (skipped) without
Python's jsonschema (Debian: python3-jsonschema).

    summary_json.py NETC SOURCE_DIR
"""
import copy
import glob
import json
import os
import re
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("Python's jsonschema is not installed (Debian: python3-jsonschema); skipped")
    sys.exit(77)

NETC, ROOT = sys.argv[1:3]


def netc(*args):
    return subprocess.run([NETC, *args], cwd=ROOT, check=True, capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k != "COLUMNS"}).stdout


def number(text):
    return int(text.replace(",", ""))


def text_figures(summary):
    """The totals and memory lines of the text summary, and its rows as (name, params, macs)."""
    figures = {}
    for key, label in [("params", "Total params"), ("trainable_params", "Trainable params"),
                       ("non_trainable_params", "Non-trainable params"), ("macs", "Total MACs"),
                       ("peak", "Peak activation memory"), ("arena", r"Activation arena \(generated code\)")]:
        figures[key] = number(re.search(r"^%s: ([0-9,]+)" % label, summary, re.M).group(1))
    flops = re.search(r"FLOPs = 2 x MACs = ([0-9,]+)", summary)
    figures["flops"] = number(flops.group(1)) if flops else None
    rows = re.findall(r"^ (\S+) \([A-Za-z0-9]+\)\s+\(None[^)]*\)\s+([0-9,]+)\s+([0-9,]+)", summary, re.M)
    return figures, [(name, number(p), number(m)) for name, p, m in rows]


def check_model(path, validator):
    doc = json.loads(netc("summary", path, "--format", "json"))
    errors = sorted(validator.iter_errors(doc), key=str)
    assert not errors, f"{path}: {errors[0]}"
    figures, rows = text_figures(netc("summary", path))
    totals, memory = doc["totals"], doc["memory"]
    for key in ["params", "trainable_params", "non_trainable_params", "macs", "flops"]:
        assert totals[key] == figures[key], f"{path}: totals.{key} {totals[key]} != text {figures[key]}"
    assert memory["peak_activation_bytes_per_image"] == figures["peak"], path
    assert memory["arena_bytes_per_image"] == figures["arena"], path
    layers = doc["layers"]
    assert [(l["name"], l["params"]["total"], l["macs"]) for l in layers] == rows, f"{path}: layers differ from the table"
    assert sum(l["params"]["trainable"] for l in layers) == totals["trainable_params"], path
    assert sum(l["params"]["non_trainable"] for l in layers) == totals["non_trainable_params"], path
    assert sum(l["macs"] for l in layers) == totals["macs"], path
    seen = set()
    for l in layers:
        assert all(i in seen for i in l["inputs"]), f"{path}: {l['name']} reads a later layer"
        seen.add(l["name"])
    assert doc["output_shape"] == layers[-1]["output_shape"], path
    return doc


def check_schema_rejects(doc, validator):
    broken = []
    b = copy.deepcopy(doc); del b["layers"][1]["macs"]; broken.append(("a layer without macs", b))
    b = copy.deepcopy(doc); b["totals"]["params"] = -1; broken.append(("negative params", b))
    b = copy.deepcopy(doc); b["input"] = [224, 224]; broken.append(("a two-dimensional input", b))
    b = copy.deepcopy(doc); b["layers"][1]["extra"] = 1; broken.append(("an unknown field", b))
    b = copy.deepcopy(doc); b["layers"][1]["location"] = {"file": "x.net", "line": 0, "column": 1}; broken.append(("line 0", b))
    for what, b in broken:
        assert not validator.is_valid(b), f"the schema accepts {what}"


def main():
    with open(os.path.join(ROOT, "docs", "summary.schema.json")) as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    models = sorted(glob.glob("models/*.net", root_dir=ROOT) + glob.glob("models/course/*.net", root_dir=ROOT) +
                    glob.glob("models/pretrained/*.net", root_dir=ROOT) +
                    glob.glob("examples/digits/*.net", root_dir=ROOT) + glob.glob("examples/unet/*.net", root_dir=ROOT) +
                    glob.glob("docs/*.net", root_dir=ROOT))
    assert len(models) >= 8, models
    docs = {path: check_model(path, validator) for path in models}
    resnet = docs["models/resnet50.net"]
    assert resnet["totals"]["params"] == 25636712 and resnet["classes"] == 1000
    assert resnet["layers"][8]["block_uses"][0]["label"] == "2a (conv_block)", resnet["layers"][8]
    check_schema_rejects(resnet, validator)
    print(f"{len(models)} models: valid, and equal to the text summary")


if __name__ == "__main__":
    main()
