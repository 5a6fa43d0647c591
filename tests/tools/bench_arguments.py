"""The benchmark scripts' argument errors: bench/profile.py's and bench/run.py's --compare (and what goes with
it) rejected before anything is built or run, with a message naming the argument and the reason.

Usage: bench_arguments.py SOURCE_DIR
Exit 1 naming each case whose exit status or message differs, 0 when all match.
"""
import os
import subprocess
import sys
import tempfile


def check(script, args, status, message):
    """'' when `script args` exits with `status` and its standard error's last line is `message`, else why not."""
    done = subprocess.run([sys.executable, script] + args, capture_output=True, text=True, timeout=60)
    last = (done.stderr.strip().splitlines() or [""])[-1]
    if done.returncode == status and last == message:
        return ""
    return f"{os.path.basename(script)} {' '.join(args)}: expected status {status} and '{message}', " \
           f"found status {done.returncode} and '{last}'"


def main(argv):
    if len(argv) != 2:
        print("usage: bench_arguments.py SOURCE_DIR", file=sys.stderr)
        return 2
    profile, run = (os.path.join(argv[1], "bench", name) for name in ("profile.py", "run.py"))
    with tempfile.TemporaryDirectory() as empty, tempfile.TemporaryDirectory() as built:
        os.makedirs(os.path.join(built, "bench"))
        open(os.path.join(built, "bench", "netc_bench"), "w").close()
        missing = os.path.join(empty, "bench", "netc_bench")
        cases = [
            (profile, ["--no-build", "--compare", "x"], 2,
             "profile.py: error: --compare expects NAME=BUILD_DIR, found 'x'"),
            (profile, ["--no-build", "--compare", "=" + built], 2,
             f"profile.py: error: --compare expects NAME=BUILD_DIR, found '={built}'"),
            (profile, ["--no-build", "--compare", "old=" + empty], 2,
             f"profile.py: error: --compare old={empty}: no {missing} (build it first)"),
            (profile, ["--no-build", "--compare", "old=" + built, "--json"], 2,
             "profile.py: error: --json prints one build's steps: not with --compare"),
            (profile, ["--no-build", "--compare", "old=" + built, "--rounds", "0"], 2,
             "profile.py: error: --rounds must be at least 1, found 0"),
            (run, ["--no-build", "--compare", "y"], 1, "run.py: error: --compare expects NAME=BUILD_DIR, found 'y'"),
        ]
        failures = [why for why in (check(*case) for case in cases) if why]
    for why in failures:
        print(why)
    print(f"{len(cases)} cases, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
