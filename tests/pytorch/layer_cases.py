"""Checks that every model of layers.net is an equivalence case and has an independent reference.

Usage: layer_cases.py LAYERS.net CASE...   (the cases tests/pytorch/CMakeLists.txt lists)
Each `model NAME(` of LAYERS.net must be one of the CASEs (else no test runs it) and have
references/NAME.py beside this script (equivalence.py checks the C++ output against it); every CASE must be a
model of LAYERS.net. Exit status 0 when all hold, 1 otherwise, naming each case that lacks something.
"""
import os
import re
import sys


def models(path):
    """(name, line) of every model defined in the .net file."""
    with open(path, encoding="utf-8") as f:
        return [(m.group(1), n) for n, line in enumerate(f, 1) for m in [re.match(r"\s*model\s+(\w+)\s*\(", line)] if m]


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    layers, cases = argv[1], set(argv[2:])
    references = os.path.join(os.path.dirname(os.path.abspath(__file__)), "references")
    defined = models(layers)
    problems = []
    for name, line in defined:
        if name not in cases:
            problems.append(f"{layers}:{line}: model '{name}' is not in tests/pytorch/CMakeLists.txt's layer_cases, "
                            "so no equivalence test runs it")
        if not os.path.exists(os.path.join(references, name + ".py")):
            problems.append(f"{layers}:{line}: model '{name}' has no independent reference "
                            f"{os.path.join(references, name + '.py')} (forward(x, w) with torch.nn.functional)")
    for name in sorted(cases - {name for name, _ in defined}):
        problems.append(f"layer_cases names '{name}', which {layers} does not define")
    for problem in problems:
        print(problem)
    print(f"{len(defined)} models in {layers}, {len(cases)} cases, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
