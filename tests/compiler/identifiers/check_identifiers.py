"""Every layer and model name the grammar accepts yields C++ and Python that compile (a property test).

Names: C++ and Python keywords, macros of the C and C++ libraries and of the compilers, names C++ reserves
(leading underscores, double underscores), names ending in '_', names that equal the identifiers netc derives
from other names (conv1_, conv1_out, conv1_logits, _xconv1), every identifier of the generated code itself
(taken from a file netc generates, so the test follows the templates as they change), and random identifiers.

For layer names, three models use every name: as convolutions (members of the C++ class, tensor views,
modules), as dense layers ending in softmax (logits), and as dropouts (views). For model names, one model
per name: its class and file names. The generated C++ must pass g++ -fsyntax-only with -Wall -Wextra -Wshadow
and no warning from a generated file; the Python must pass py_compile; with PyTorch installed, each module is
also built, run, switched with eval() and train(), and its state_dict() keys must be the layer names.

A name may be refused only for a documented reason: it is a keyword of the .net language (a syntax error), it
is 'input' (the model's input layer has that name), or, for the PyTorch target, it is an attribute that
torch.nn.Module keeps on each instance (the list is checked against the installed torch).

Usage: check_identifiers.py --netc NETC --cxx CXX --include DIR[:DIR...] --work DIR
"""
import argparse
import concurrent.futures
import keyword
import os
import py_compile
import random
import re
import shutil
import subprocess
import sys

NET_KEYWORDS = {"import", "model", "block", "boxes", "stage", "residual", "shortcut", "then", "repeat", "as", "x",
                "concat", "branch"}
CPP_KEYWORDS = """alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t
char32_t class compl concept const consteval constexpr constinit const_cast continue co_await co_return co_yield
decltype default delete do double dynamic_cast else enum explicit export extern false final float for friend goto
if import inline int long module mutable namespace new noexcept not not_eq nullptr operator or or_eq override
private protected public register reinterpret_cast requires return short signed sizeof static static_assert
static_cast struct switch template this thread_local throw true try typedef typeid typename union unsigned using
virtual void volatile wchar_t while xor xor_eq""".split()
MACROS = """NULL NAN INFINITY EOF EDOM ERANGE EILSEQ EINVAL ENOMEM SIGINT SIGSEGV BUFSIZ CHAR_BIT INT_MAX SIZE_MAX
FLT_MAX HUGE_VAL EXIT_SUCCESS EXIT_FAILURE RAND_MAX CLOCKS_PER_SEC MB_LEN_MAX FP_NAN FP_ZERO M_PI assert errno
stdin stdout stderr offsetof setjmp va_arg va_start major minor unix linux i386 I _Complex _Pragma _GNU_SOURCE
_GLIBCXX_RELEASE _LP64 __GNUC__ __GNUC_MINOR__ __cplusplus __FILE__ __LINE__ __DATE__ __func__ __attribute__
__attribute_ __has_include __x86_64__ __linux__ __STDC__ __VA_ARGS__ __COUNTER__ __int128 __restrict
EIGEN_WORLD_VERSION EIGEN_DEFAULT_DENSE_INDEX_TYPE Eigen eigen std netc rt""".split()
PYTHON_NAMES = keyword.kwlist + ["match", "case", "type", "_", "self", "super", "float", "int", "print", "len",
                                 "__class__", "__init__", "__name__", "__dict__", "__builtins__"]
TORCH_INSTANCE = {"training", "_parameters", "_buffers", "_non_persistent_buffers_set", "_backward_pre_hooks",
                  "_backward_hooks", "_is_full_backward_hook", "_forward_hooks", "_forward_hooks_with_kwargs",
                  "_forward_hooks_always_called", "_forward_pre_hooks", "_forward_pre_hooks_with_kwargs",
                  "_state_dict_hooks", "_state_dict_pre_hooks", "_load_state_dict_pre_hooks",
                  "_load_state_dict_post_hooks", "_modules", "_compiled_call_impl"}
IDENTIFIER = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag in ("--netc", "--cxx", "--include", "--work"):
        p.add_argument(flag, required=True)
    return p.parse_args()


def netc(args, *command, cwd):
    return subprocess.run([args.netc, *command], cwd=cwd, capture_output=True, text=True, errors="replace")


def template_identifiers(args, work):
    """Every identifier in the files netc generates for a small model: the templates' own names."""
    os.makedirs(work)
    with open(os.path.join(work, "probe.net"), "w") as f:
        f.write("model probe(input = 6x6x2, classes = 3) {\n  zeropad 1\n  conv 2 3x3 relu\n  batchnorm\n"
                "  residual {\n    conv 2 1x1\n  }\n  maxpool 2 same\n  avgpool 2 same\n  flatten\n  dropout 0.5\n"
                "  dense classes softmax\n}\n")
    found = set()
    for target in ("cpp", "pytorch"):
        r = netc(args, "emit", "probe.net", "--target", target, "-o", "out", cwd=work)
        assert r.returncode == 0, r.stderr
    for name in os.listdir(os.path.join(work, "out")):
        with open(os.path.join(work, "out", name)) as f:
            found |= set(IDENTIFIER.findall(f.read()))
    return found


def all_names(args, work):
    """(layer names, model names). Model names become class and file names, in which CamelCase removes the
    underscores: the identifiers netc derives from layer names and most random ones add nothing there."""
    rng = random.Random(14)
    first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
    rest = first + "0123456789"
    words = set(CPP_KEYWORDS) | set(MACROS) | set(PYTHON_NAMES) | template_identifiers(args, work)
    forms = {"_", "__", "___", "_1x", "_1", "__1", "_X", "_x", "_x_u", "x_", "x__", "a__b", "A", "Z9"}
    derived = set()
    for base in ("conv1", "a", "layers", "relu1", "fc", "Model"):
        derived |= {base + "_", base + "_out", base + "_logits", base + "_result", "_x" + base, "_x_u" + base,
                    "_" + base, "__" + base, base + "__", "__" + base + "__", base + "__x"}
    randoms = [rng.choice(first) + "".join(rng.choice(rest) for _ in range(rng.randint(0, 7))) for _ in range(150)]

    def valid(names):
        # zz0, zz1...: the test's own layers (layer_models)
        names = {n for n in names if IDENTIFIER.fullmatch(n) and not re.fullmatch(r"zz\d+", n)}
        return sorted(names - NET_KEYWORDS - {"input"})

    return valid(words | forms | derived | TORCH_INSTANCE | set(randoms)), valid(words | forms | set(randoms[:20]))


def layer_models(names):
    """Three models that use every name: as convolutions, as dense layers ending in softmax, as dropouts."""
    flat, last = (f"zz{i}" for i in range(2))  # no generated name has this form
    convs = "".join(f"  conv 2 1x1 as {n}\n" for n in names)
    denses = "".join(f"  dense 3 softmax as {n}\n" for n in names)
    dropouts = "".join(f"  dropout 0.5 as {n}\n" for n in names)
    return {"convs": f"model convs(input = 3x3x2) {{\n{convs}}}\n",
            "denses": f"model denses(input = 1x1x4) {{\n  flatten as {flat}\n{denses}}}\n",
            "dropouts": f"model dropouts(input = 2x2x2) {{\n  flatten as {flat}\n{dropouts}  dense 2 as {last}\n}}\n"}


def model_text(name):
    return f"model {name}(input = 4x4x2, classes = 2) {{\n  conv 2 3x3 same relu\n  flatten\n  dense classes softmax\n}}\n"


def parallel(function, items):
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        return list(pool.map(function, items))


def compile_cpp(args, work, sources):
    """One translation unit per batch of generated .cpp files whose classes differ; the errors, and the
    warnings about generated files."""
    batches = []
    for source, cls in sources:
        for batch in batches:
            if cls not in batch and len(batch) < 100:
                batch[cls] = source
                break
        else:
            batches.append({cls: source})
    flags = ["-std=c++17", "-fsyntax-only", "-Wall", "-Wextra", "-Wshadow"]
    for d in args.include.split(":"):
        flags += ["-isystem", d]

    def compile_batch(numbered):
        i, batch = numbered
        unit = os.path.join(work, f"unit{i}.cpp")
        with open(unit, "w") as f:
            f.writelines(f'#include "{s}"\n' for s in batch.values())
        r = subprocess.run([args.cxx, *flags, unit], capture_output=True, text=True, errors="replace")
        return r.stderr[:3000] if r.returncode != 0 or "warning:" in r.stderr else None

    return [f for f in parallel(compile_batch, enumerate(batches)) if f]


def class_of(header):
    with open(header) as f:
        return re.search(r"^class (\w+) \{", f.read(), re.M).group(1)


def check_layer_names(args, work, names):
    failures, cpp = [], []
    for model, text in layer_models(names).items():
        d = os.path.join(work, model)
        os.makedirs(d)
        with open(os.path.join(d, model + ".net"), "w") as f:
            f.write(text)
        r = netc(args, "emit", model + ".net", "--target", "cpp", "-o", ".", cwd=d)
        if r.returncode != 0:
            failures.append(f"{model}: netc emit --target cpp failed:\n{r.stderr[:3000]}")
            continue
        cpp.append((os.path.join(d, model + ".cpp"), class_of(os.path.join(d, model + ".hpp"))))
        check_pytorch_layers(args, d, model, names, failures)
    return failures + compile_cpp(args, work, cpp)


def check_pytorch_layers(args, d, model, names, failures):
    r = netc(args, "emit", model + ".net", "--target", "pytorch", "-o", ".", cwd=d)
    refused = sorted(n for n in names if n in TORCH_INSTANCE)
    if refused:  # the module must be refused for exactly those names, each at its layer
        errors = [line for line in r.stderr.splitlines() if " error: " in line]
        got = sorted(re.findall(rf"^{model}\.net:\d+:3: error: layer name '(\w+)' cannot be used in the PyTorch "
                                r"module: torch.nn.Module keeps an attribute of that name on each instance", r.stderr,
                                re.M))
        if r.returncode != 1 or got != refused or len(errors) != len(refused):
            failures.append(f"{model}: expected refusals of {refused}, got:\n{r.stderr[:3000]}")
        kept = [n for n in names if n not in TORCH_INSTANCE]
        with open(os.path.join(d, model + ".net")) as f:
            text = f.read()
        for n in refused:
            text = re.sub(rf"\bas {n}\n", f"as renamed{len(n)}{abs(hash(n)) % 1000}\n", text)
        with open(os.path.join(d, model + "_kept.net"), "w") as f:
            f.write(text.replace(f"model {model}(", f"model {model}_kept("))
        r = netc(args, "emit", model + "_kept.net", "--target", "pytorch", "-o", ".", cwd=d)
        model += "_kept"
        names = kept
    if r.returncode != 0:
        failures.append(f"{model}: netc emit --target pytorch failed:\n{r.stderr[:3000]}")
        return
    py = os.path.join(d, model + ".py")
    try:
        py_compile.compile(py, doraise=True)
    except py_compile.PyCompileError as e:
        failures.append(f"{model}.py does not compile: {e}")
        return
    run_pytorch(d, model, names, failures)


def run_pytorch(d, model, names, failures):
    try:
        import torch
    except ImportError:
        return
    sys.path.insert(0, d)
    module = __import__(model)
    cls = [v for k, v in vars(module).items() if isinstance(v, type) and issubclass(v, torch.nn.Module)][0]
    net = cls()
    keys = {k.rsplit(".", 1)[0] for k in net.state_dict()}
    if model.startswith("convs") and not set(names) <= keys:
        failures.append(f"{model}: state_dict() lacks {sorted(set(names) - keys)[:10]}")
    net.eval()
    net.train()
    net.eval()
    trace = {}
    shape = (2, *cls.input_shape)
    out = net(torch.randn(*shape), trace=trace)
    if not torch.isfinite(out).all() or not set(names) <= set(trace):
        failures.append(f"{model}: forward() gave no finite output or no trace for every layer")
    # Every attribute the installed torch keeps on a module must be one netc refuses (older versions keep fewer:
    # refusing those too is harmless).
    extra = set(vars(torch.nn.Module())) - TORCH_INSTANCE
    if extra:
        failures.append(f"torch.nn.Module keeps attributes netc does not refuse: {sorted(extra)}")


def check_model_names(args, work, names):
    """Each name as a model of its own, in a file of its own, emitted in both targets."""
    d = os.path.join(work, "models")
    os.makedirs(d)

    def emit(name):
        with open(os.path.join(d, name + ".net"), "w") as f:
            f.write(model_text(name))
        failures = []
        for target in ("cpp", "pytorch"):
            r = netc(args, "emit", name + ".net", "--target", target, "-o", "out", cwd=d)
            if r.returncode != 0:
                failures.append(f"model {name}: netc emit --target {target} failed:\n{r.stderr[:2000]}")
        try:
            py_compile.compile(os.path.join(d, "out", name + ".py"), doraise=True)
        except (py_compile.PyCompileError, FileNotFoundError) as e:
            failures.append(f"model {name}: {name}.py does not compile: {e}")
        return failures

    failures = [f for fs in parallel(emit, names) for f in fs]
    cpp = [(os.path.join(d, "out", n + ".cpp"), class_of(os.path.join(d, "out", n + ".hpp")))
           for n in names if os.path.exists(os.path.join(d, "out", n + ".hpp"))]
    return failures + compile_cpp(args, d, cpp)


def report(summary, failures):
    """Prints what was checked and every failure; the exit status."""
    print(summary)
    for f in failures:
        print("FAILED:", f)
    return 1 if failures else 0


def main():
    args = parse_args()
    args.netc = os.path.abspath(args.netc)
    shutil.rmtree(args.work, ignore_errors=True)
    names, model_names = all_names(args, os.path.join(args.work, "probe"))
    failures = check_layer_names(args, args.work, names) + check_model_names(args, args.work, model_names)
    try:
        import torch  # noqa: F401
        ran = "built, run and checked with PyTorch"
    except ImportError:
        ran = "not run: PyTorch is not installed"
    return report(f"{len(names)} names as layers of three models, {len(model_names)} as models; the modules {ran}",
                  failures)


if __name__ == "__main__":
    sys.exit(main())
