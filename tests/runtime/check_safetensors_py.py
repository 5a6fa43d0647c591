"""Checks tools/safetensors_io.py: round trips, malformed files, and agreement with the C++ writer.

data/golden_f32.safetensors is what netc's C++ write_safetensors writes for GOLDEN (test_safetensors.cpp
checks that byte for byte); here save() must write the very same bytes and load() must read them back, so
files pass both ways between the Python tools and the C++ runtime. Run: python3 check_safetensors_py.py
(exit status 0 when every check passes, 77 without numpy; the PyTorch check is skipped without torch).
"""
import json
import os
import struct
import sys
import tempfile

try:
    import numpy as np
except ImportError:
    print("skipped: numpy is not installed")
    sys.exit(77)  # ctest's SKIP_RETURN_CODE for this test

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import safetensors_io  # noqa: E402

GOLDEN_FILE = os.path.join(HERE, "data", "golden_f32.safetensors")
GOLDEN = {
    "conv.weight": np.array([-1.5, 0.25, 3, 0, -0.0, 1024], dtype=np.float32).reshape(2, 1, 1, 3),
    "conv.bias": np.array([0.5, -2], dtype=np.float32),
    "scale": np.array(7.75, dtype=np.float32),
    "empty": np.zeros((0, 4), dtype=np.float32),
}
GOLDEN_METADATA = {"source": "netc golden", "format": "pt"}


def check_same(got, want, what):
    assert list(got) == list(want), f"{what}: names {list(got)}, expected {list(want)}"
    for name in want:
        g, w = got[name], np.asarray(want[name])
        assert g.shape == w.shape, f"{what}: '{name}' has shape {g.shape}, expected {w.shape}"
        assert g.tobytes() == w.astype(g.dtype).tobytes(), f"{what}: '{name}' holds {g}, expected {w}"


def check_golden(tmp):
    path = os.path.join(tmp, "golden.safetensors")
    safetensors_io.save(path, GOLDEN, GOLDEN_METADATA)
    with open(path, "rb") as a, open(GOLDEN_FILE, "rb") as b:
        assert a.read() == b.read(), "save() wrote other bytes than the C++ writer's golden file"
    check_same(safetensors_io.load(GOLDEN_FILE), GOLDEN, "golden file")
    assert safetensors_io.load_metadata(GOLDEN_FILE) == GOLDEN_METADATA


def check_round_trip(tmp):
    rng = np.random.default_rng(7)
    tensors = {"b": rng.standard_normal((3, 5, 2)), "a": rng.standard_normal(7).astype(np.float32),
               "scalar": np.float64(2.5), "list": [[1, 2], [3, 4]], "caf\u00e9": np.zeros((2, 0))}
    path = os.path.join(tmp, "round.safetensors")
    safetensors_io.save(path, tensors)
    want = {k: np.asarray(v, dtype=np.float32) for k, v in tensors.items()}
    check_same(safetensors_io.load(path), want, "round trip")
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
    assert (8 + length) % 8 == 0, f"data starts at {8 + length}, expected a multiple of 8"


def check_torch(tmp):
    try:
        import torch
    except ImportError:
        print("skipped: the PyTorch state_dict check (no torch)")
        return
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.Linear(2, 2))
    path = os.path.join(tmp, "torch.safetensors")
    safetensors_io.save(path, model.state_dict())
    want = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    check_same(safetensors_io.load(path), want, "torch state_dict")


def raw_file(header, data=b""):
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + data


def check_dtypes_and_errors(tmp):
    path = os.path.join(tmp, "raw.safetensors")
    data = struct.pack("<2q", -3, 1 << 40) + bytes([0x80, 0x3F]) + np.float16(0.5).tobytes()
    header = {"i": {"dtype": "I64", "shape": [2], "data_offsets": [0, 16]},
              "bf": {"dtype": "BF16", "shape": [], "data_offsets": [16, 18]},
              "h": {"dtype": "F16", "shape": [1], "data_offsets": [18, 20]}}
    with open(path, "wb") as f:
        f.write(raw_file(header, data))
    loaded = safetensors_io.load(path)
    assert loaded["i"].tolist() == [-3, 1 << 40] and loaded["bf"] == 1.0 and loaded["h"].tolist() == [0.5], loaded
    bad = {
        "truncated": raw_file(header, data)[:-1],
        "gap": raw_file({"a": {"dtype": "U8", "shape": [1], "data_offsets": [1, 2]}}, b"xx"),
        "overlap": raw_file({"a": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]},
                             "b": {"dtype": "U8", "shape": [1], "data_offsets": [1, 2]}}, b"xx"),
        "duplicate": struct.pack("<Q", 15) + b'{"a":{},"a":{}}',
        "not json": struct.pack("<Q", 3) + b"{x}",
        "short": b"\x01\x00",
    }
    for what, blob in bad.items():
        with open(path, "wb") as f:
            f.write(blob)
        try:
            safetensors_io.load(path)
        except ValueError as e:
            assert str(e).startswith(path + ": "), f"{what}: message {e} does not start with the path"
        else:
            raise AssertionError(f"{what}: load() accepted a malformed file")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for check in (check_golden, check_round_trip, check_torch, check_dtypes_and_errors):
            check(tmp)
            print(f"ok: {check.__name__}")


if __name__ == "__main__":
    main()
