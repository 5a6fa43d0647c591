"""One engine's driver process, run in lock step with the others: bench/run.py starts one per engine for a
configuration, then asks each in turn for a single timed forward pass, so that the machine's noise falls on
all engines alike however it comes and goes.

The protocol (netc_bench, ort_bench.js and torch_bench.py with --serve): the driver loads the model and runs
its warmup, then prints {"ready": true, ...}; each line "run" (torch: "run VARIANT") on its stdin is answered
with {"ms": T}; "end" with its final JSON line, after which it exits.
"""
import json
import os
import select
import subprocess
import tempfile


class DriverError(Exception):
    """A driver that failed, timed out or broke the protocol; the message ends with its last error line."""


class Driver:
    def __init__(self, command, timeout):
        self.timeout = timeout
        self.errors = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: a chatty driver cannot block on it
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors)
        self.buffer = b""
        self.ready = self._answer()
        if not self.ready.get("ready"):
            self._fail(f"expected {{\"ready\": true}}, found {self.ready}")

    def run(self, variant=None):
        """One timed forward pass; its time in ms."""
        return self._ask("run" if variant is None else f"run {variant}")["ms"]

    def end(self):
        """The driver's final JSON (times, load, memory); the process has exited."""
        result = self._ask("end")
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:  # its answer is all that was needed
            self.process.kill()
            self.process.wait()
        self.errors.close()
        return result

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.errors.close()

    def _ask(self, line):
        try:
            self.process.stdin.write(line.encode() + b"\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            self._fail("it exited")
        return self._answer()

    def _answer(self):
        """The next line of the driver's standard output, parsed as JSON."""
        fd = self.process.stdout.fileno()
        while b"\n" not in self.buffer:
            if not select.select([fd], [], [], self.timeout)[0]:
                self.process.kill()
                self._fail(f"no answer within {self.timeout} s")
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                self.process.wait()
                self._fail(f"it exited with status {self.process.returncode}")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            self._fail(f"expected a JSON line, found {line[:200]!r}")

    def _fail(self, what):
        self.errors.seek(0)
        lines = [line.strip() for line in self.errors.read().splitlines() if line.strip()]
        self.kill()
        raise DriverError(what + (f": {lines[-1]}" if lines else ""))
