"""Paths and arguments written into generated files cannot become code.

A model in a directory whose name holds a line break, a line of C++ and a trailing backslash, in a file whose
name holds CR LF, a Python statement, an escape sequence, a right-to-left override and an invalid byte, and
importing its block from a file beside it, is emitted in both targets; and a plain model is emitted with an
argument (--depfile) that holds the same (a depfile cannot name the hostile model's paths: netc refuses that,
which is checked too). The files must compile (g++ -fsyntax-only -Wall -Wextra, py_compile), no line of C++ may end in a
backslash (it would continue a comment onto the next line), and every line that holds the injected text must
be a comment.

Usage: check_paths.py --netc NETC --cxx CXX --include DIR[:DIR...] --work DIR
"""
import os
import py_compile
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_identifiers  # noqa: E402  (its command line and compile_cpp)

CPP_PAYLOAD = "#error injected"
PY_PAYLOAD = "raise SystemExit('injected')"
DIRECTORY = b"dir\n" + CPP_PAYLOAD.encode() + b" from a directory\\"
FILE = b"model\r\n" + PY_PAYLOAD.encode() + b"\x1b[31m\xe2\x80\xae\xff.net"
ARGUMENT = b"deps\n" + CPP_PAYLOAD.encode() + b" from an argument\n" + PY_PAYLOAD.encode() + b"\\"


def main():
    args = check_identifiers.parse_args()
    netc = os.path.abspath(args.netc)
    shutil.rmtree(args.work, ignore_errors=True)
    source = os.path.join(os.fsencode(args.work), DIRECTORY)
    os.makedirs(source)
    with open(os.path.join(source, b"blocks.net"), "w") as f:
        f.write("block unit(f) {\n  conv f 3x3 same relu\n}\n")
    with open(os.path.join(source, FILE), "w") as f:
        f.write('import "blocks.net"\nmodel tiny(input = 8x8x3, classes = 2) {\n  unit(4)\n  maxpool 2\n'
                '  flatten\n  dense classes softmax\n}\n')
    plain = os.path.join(os.fsencode(args.work), b"plain")
    os.makedirs(plain)
    shutil.copy(os.path.join(source, b"blocks.net"), plain)
    shutil.copy(os.path.join(source, FILE), os.path.join(plain, b"tiny.net"))
    depfile = ["--depfile", os.path.join(os.fsencode(args.work), ARGUMENT)]
    failures = []
    r = subprocess.run([netc, "emit", os.path.join(source, FILE), "--target", "cpp", "-o",
                        os.path.join(args.work, "refused")] + depfile, capture_output=True)
    if r.returncode != 1 or b"holds a line break, which a depfile cannot express" not in r.stderr:
        failures.append(f"a depfile naming a path with a line break: exit {r.returncode}, expected 1 and a message")
    for model, extra, out in ((os.path.join(source, FILE), [], "out"), (os.path.join(plain, b"tiny.net"), depfile, "out_arg")):
        out = os.path.join(args.work, out)
        for target in ("cpp", "pytorch"):
            r = subprocess.run([netc, "emit", model, "--target", target, "-o", out] + extra, capture_output=True)
            if r.returncode != 0:
                failures.append(f"netc emit --target {target}: exit {r.returncode}\n{r.stderr.decode(errors='replace')}")
        failures += check_outputs(args, out)
    return check_identifiers.report("a model with hostile paths and arguments, in both targets", failures)


def check_outputs(args, out):
    """The hostile text in the files of one output directory is inert, and the files compile."""
    failures = []
    for name in sorted(os.listdir(out)) if os.path.isdir(out) else []:
        with open(os.path.join(out, name), "rb") as f:
            lines = f.read().split(b"\n")
        for number, line in enumerate(lines, 1):
            code = line.lstrip()
            if b"injected" in line and not code.startswith(b"//" if name.endswith("pp") else b"#"):
                failures.append(f"{name}:{number}: injected text outside a comment: {line!r}")
            if name.endswith("pp") and line.endswith(b"\\"):
                failures.append(f"{name}:{number}: a line ends in a backslash: {line!r}")
            if b"\r" in line:
                failures.append(f"{name}:{number}: a carriage return: {line!r}")
    try:
        py_compile.compile(os.path.join(out, "tiny.py"), doraise=True)
    except (py_compile.PyCompileError, FileNotFoundError) as e:
        failures.append(f"tiny.py does not compile: {e}")
    if os.path.exists(os.path.join(out, "tiny.cpp")):
        failures += check_identifiers.compile_cpp(args, args.work, [(os.path.join(out, "tiny.cpp"), "Tiny")])
    else:
        failures.append("no tiny.cpp")
    return failures


if __name__ == "__main__":
    sys.exit(main())
