#!/usr/bin/python3
"""Checks that a binary runs no AVX code unless the runtime chose the AVX kernels: every function that holds
a VEX- or EVEX-encoded instruction (ymm, zmm or mask registers, a v-prefixed or k-prefixed mnemonic, BMI) must
be in the namespace netc::rt::avx2 or netc::rt::avx512 (its demangled name, template arguments included, says
so). Anything else with such code (an inline function or template instantiation that an AVX object emitted
and the linker kept for everyone, a static initialiser) would crash with SIGILL on an older CPU. A BINARY may
be an executable or a static library: in the library each object is disassembled on its own, so a weak
symbol that an AVX object emits is reported even when an executable happened to keep another object's copy.

usage: isa_isolation.py [--require-kernels] BINARY...
       isa_isolation.py --expect-violation NAME BINARY   (the check itself: passes when it reports NAME)
--require-kernels: each binary must also hold AVX code inside the namespaces (the kernels are linked in), so
that the check is not vacuous. Exit status 0 when every binary passes, 1 otherwise, 2 for bad usage.
"""
import re
import subprocess
import sys

ISA_NAMESPACES = ("netc::rt::avx2::", "netc::rt::avx512::")
# VMX and segment-verification instructions also start with v but are not VEX-encoded.
NOT_VEX = {"verr", "verw", "vmcall", "vmlaunch", "vmresume", "vmxoff", "vmxon", "vmread", "vmwrite", "vmptrld",
           "vmptrst", "vmclear", "vmfunc"}
BMI = {"andn", "bextr", "blsi", "blsmsk", "blsr", "bzhi", "mulx", "pdep", "pext", "rorx", "sarx", "shlx", "shrx"}
PREFIXES = {"lock", "rep", "repz", "repnz", "repe", "repne", "bnd", "notrack", "data16", "addr32", "cs", "ds"}
AVX_REGISTER = re.compile(r"%(?:[yz]mm\d+|k[0-7])\b")
FUNCTION = re.compile(r"^[0-9a-f]+ <(.*)>:$")
INSTRUCTION = re.compile(r"^\s*[0-9a-f]+:\s+(.*)$")


def is_avx(text):
    """Whether one disassembled instruction (mnemonic and operands) needs AVX or its successors."""
    words = text.split()
    while words and words[0] in PREFIXES:
        words = words[1:]
    if not words:
        return False
    mnemonic = words[0]
    if (mnemonic.startswith("v") and mnemonic not in NOT_VEX) or mnemonic.startswith("k") or mnemonic in BMI:
        return True
    return bool(AVX_REGISTER.search(text))


def avx_functions(binary):
    """{function name: its first AVX instruction} for every function of the binary that has one."""
    done = subprocess.run(["objdump", "-d", "-C", "--no-show-raw-insn", binary], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"objdump -d {binary} failed: {done.stderr.strip()}")
    listing = done.stdout
    found, function = {}, None
    for line in listing.splitlines():
        m = FUNCTION.match(line)
        if m:
            function = m.group(1)
            continue
        m = INSTRUCTION.match(line)
        if m and function is not None and function not in found and is_avx(m.group(1)):
            found[function] = m.group(1).strip()
    return found


def check(binary, require_kernels):
    """Prints the binary's verdict; returns the names of its offending functions (or a reason it fails)."""
    try:
        found = avx_functions(binary)
    except (OSError, RuntimeError) as e:
        print(f"{binary}: cannot disassemble: {e}")
        return ["(not disassembled)"]
    inside = [f for f in found if any(ns in f for ns in ISA_NAMESPACES)]
    outside = {f: i for f, i in found.items() if f not in inside}
    for function, instruction in sorted(outside.items()):
        print(f"{binary}: AVX code outside the instruction-set namespaces: {function}: {instruction}")
    print(f"{binary}: {len(inside)} functions with AVX code inside netc::rt::avx2/avx512, {len(outside)} outside")
    problems = list(outside)
    if require_kernels and not inside:
        print(f"{binary}: no AVX code inside the namespaces: the kernels are not linked in, the check proves nothing")
        problems.append("(no kernels)")
    return problems


def main(argv):
    args = argv[1:]
    require = "--require-kernels" in args
    args = [a for a in args if a != "--require-kernels"]
    if len(args) == 3 and args[0] == "--expect-violation":
        name, binary = args[1], args[2]
        problems = check(binary, False)
        if any(name in p for p in problems):
            print(f"reported {name}, as it should")
            return 0
        print(f"did not report {name}: the check is broken")
        return 1
    if not args or any(a.startswith("-") for a in args):
        print(__doc__, file=sys.stderr)
        return 2
    failed = [b for b in args if check(b, require)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
