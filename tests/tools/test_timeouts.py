"""Checks that every ctest test of a build has a TIMEOUT (cmake/TestTimeouts.cmake gives the default).

Usage: test_timeouts.py CTEST BUILD_DIR
Reads `ctest --show-only=json-v1` of the build; exit 1 naming each test without a TIMEOUT, 0 when all have one.
"""
import json
import subprocess
import sys


def main(argv):
    if len(argv) != 3:
        print("usage: test_timeouts.py CTEST BUILD_DIR", file=sys.stderr)
        return 2
    listing = subprocess.run([argv[1], "--test-dir", argv[2], "--show-only=json-v1"], check=True,
                             capture_output=True, text=True).stdout
    tests = json.loads(listing)["tests"]
    missing = [t["name"] for t in tests
               if not any(p["name"] == "TIMEOUT" and float(p["value"]) > 0 for p in t.get("properties", []))]
    for name in missing:
        print(f"test '{name}' has no TIMEOUT: call netc_default_test_timeouts() in the CMakeLists.txt that adds it")
    print(f"{len(tests)} tests, {len(missing)} without a TIMEOUT")
    return 1 if missing or not tests else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
