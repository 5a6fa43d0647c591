#!/usr/bin/python3
"""Checks that the GEMM microkernels keep their accumulators in registers: in every function whose demangled
name matches NAME (by default the kernels' micro_tile_rows, every row count, plain and segmented), the k loop
(the innermost backward jump around the multiply-adds) must not touch the stack with a vector register. GCC
keeps an array of accumulators in memory when a loop that indexes it is left rolled, and then stores every
accumulator on every k step: the AVX2 kernel ran at half its FMA rate that way on a core with one store a
cycle, and no result changed, so only the code shows it.

usage: microkernel_registers.py [--name REGEX] BINARY...
       microkernel_registers.py --expect-violation --name REGEX BINARY   (the check itself: passes when it
                                                                          reports a spill in a matching function)
Exit status 0 when the check passes, 1 otherwise, 2 for bad usage.
"""
import re
import subprocess
import sys

DEFAULT_NAME = r"^void netc::rt::(avx2|avx512)::micro_tile_rows<"
FUNCTION = re.compile(r"^[0-9a-f]+ <(.*)>:$")
INSTRUCTION = re.compile(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$")
JUMP_TARGET = re.compile(r"^([0-9a-f]+)\b")
STACK_VECTOR = re.compile(r"%[xyz]mm\d+.*\(%r[sb]p\)|\(%r[sb]p\).*%[xyz]mm\d+")


def functions(binary):
    """{demangled name: [(address, mnemonic, operands)]} of every function in the binary (objects of an archive
    each on their own: a name seen twice keeps its first body)."""
    text = subprocess.run(["objdump", "-d", "-C", "--no-show-raw-insn", binary], check=True, capture_output=True,
                          text=True).stdout
    found, current = {}, None
    for line in text.splitlines():
        m = FUNCTION.match(line)
        if m:
            current = None if m.group(1) in found else m.group(1)
            if current:
                found[current] = []
            continue
        m = INSTRUCTION.match(line)
        if m and current:
            found[current].append((int(m.group(1), 16), m.group(2), m.group(3)))
    return found


def k_loop_spills(body):
    """The stack accesses with a vector register inside the innermost backward jump that encloses a fused
    multiply-add, and whether such a loop was found at all."""
    loops = []
    for i, (address, mnemonic, operands) in enumerate(body):
        if not mnemonic.startswith("j"):
            continue
        m = JUMP_TARGET.match(operands)
        if not m or int(m.group(1), 16) > address:
            continue
        target = int(m.group(1), 16)
        inside = [ins for ins in body[: i + 1] if ins[0] >= target]
        if any(ins[1].startswith("vfmadd") for ins in inside):
            loops.append(inside)
    if not loops:
        return [], False
    innermost = min(loops, key=len)
    return [f"{a:x}: {m} {o}" for a, m, o in innermost if STACK_VECTOR.search(o)], True


def main(argv):
    expect_violation = "--expect-violation" in argv
    argv = [a for a in argv if a != "--expect-violation"]
    name = DEFAULT_NAME
    if "--name" in argv:
        i = argv.index("--name")
        if i + 1 >= len(argv):
            print(__doc__, file=sys.stderr)
            return 2
        name = argv[i + 1]
        del argv[i : i + 2]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    pattern = re.compile(name)
    checked, failures = 0, []
    for binary in argv:
        for function, body in functions(binary).items():
            if not pattern.search(function):
                continue
            spills, has_loop = k_loop_spills(body)
            if not has_loop:
                continue
            checked += 1
            if spills:
                failures.append(f"{binary}: {function}: the k loop touches the stack with vector registers:\n    " +
                                "\n    ".join(spills[:6]))
    if checked == 0:
        print(f"no function matching {name!r} with a multiply-add loop in {' '.join(argv)}: nothing checked",
              file=sys.stderr)
        return 1
    if expect_violation:
        if failures:
            print(f"the check reports the spilling probe, as it must ({checked} function(s) checked)")
            return 0
        print("the check did not report the probe's spilled accumulators", file=sys.stderr)
        return 1
    for f in failures:
        print(f, file=sys.stderr)
    if failures:
        return 1
    print(f"{checked} microkernel(s) keep their accumulators in registers")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
