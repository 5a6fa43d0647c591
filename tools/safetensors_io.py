"""Read and write safetensors files, netc's weights format, with numpy only (no safetensors package).

A file is an 8-byte little-endian header length N, N bytes of JSON that map each tensor name to
{"dtype", "shape", "data_offsets": [begin, end]} (plus an optional "__metadata__" of strings), then the
row-major little-endian data. save() writes float32 exactly as netc's C++ write_safetensors does (the same
bytes for the same input): keys and data in the given order, "__metadata__" first with sorted keys, the
header padded with spaces so that the data starts at a multiple of 8 bytes. load() returns numpy arrays and
rejects malformed files with a ValueError that names the file.

    import safetensors_io
    safetensors_io.save("resnet50.safetensors", model.state_dict(), {"netc.input": "3x224x224"})
    weights = safetensors_io.load("resnet50.safetensors")   # {name: numpy array}
"""
import json
import struct

import numpy as np

_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "BF16": "<u2", "I64": "<i8", "I32": "<i4", "I16": "<i2",
           "I8": "i1", "U64": "<u8", "U32": "<u4", "U16": "<u2", "U8": "u1", "BOOL": "?"}
_MAX_HEADER_BYTES = 100_000_000


def _as_float32(value):
    """A C-contiguous little-endian float32 array of a torch tensor, numpy array or nested list."""
    if hasattr(value, "detach"):  # a torch tensor, of any dtype and device
        value = value.detach().cpu().float().contiguous().numpy()
    return np.asarray(value, dtype="<f4", order="C")  # keeps 0-d arrays 0-d, unlike ascontiguousarray


def save(path, tensors, metadata=None):
    """Writes {name: tensor or array} as F32 in the dict's order; metadata is {str: str}."""
    header = {}
    if metadata:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise ValueError(f"{path}: metadata must map strings to strings")
        header["__metadata__"] = dict(sorted(metadata.items()))
    arrays, offset = [], 0
    for name, value in tensors.items():
        if name == "__metadata__":
            raise ValueError(f"{path}: a tensor cannot be called '__metadata__', the header's metadata key")
        array = _as_float32(value)
        header[name] = {"dtype": "F32", "shape": [int(d) for d in array.shape],
                        "data_offsets": [offset, offset + array.nbytes]}
        arrays.append(array)
        offset += array.nbytes
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for array in arrays:
            out.write(array.tobytes())


def _unique_keys(pairs):
    seen = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"header has the key '{key}' twice, expected unique keys")
        seen.add(key)
    return dict(pairs)


def _read_header(path, blob):
    """The header as a dict, and the data section's offset in blob."""
    if len(blob) < 8:
        raise ValueError(f"{path}: file is {len(blob)} bytes, expected at least 8 (the header length)")
    (length,) = struct.unpack("<Q", blob[:8])
    if length > _MAX_HEADER_BYTES or length > len(blob) - 8:
        raise ValueError(f"{path}: header length is {length} bytes, but {len(blob) - 8} bytes follow the length")
    try:
        header = json.loads(blob[8:8 + length].decode("utf-8"), object_pairs_hook=_unique_keys)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"{path}: header is not valid JSON: {e}") from None
    except ValueError as e:  # a duplicate key
        raise ValueError(f"{path}: {e}") from None
    if not isinstance(header, dict):
        raise ValueError(f"{path}: header is {type(header).__name__}, expected a JSON object")
    return header, 8 + length


def _check_entry(path, name, entry, data_size):
    """Returns (dtype, shape, begin, end) of a tensor entry after checking it."""
    try:
        dtype, shape, (begin, end) = entry["dtype"], entry["shape"], entry["data_offsets"]
    except (TypeError, KeyError, ValueError):
        raise ValueError(f"{path}: tensor '{name}': entry {entry!r}, expected dtype, shape, data_offsets") from None
    if dtype not in _DTYPES:
        raise ValueError(f"{path}: tensor '{name}': unknown dtype {dtype!r}, expected one of {', '.join(_DTYPES)}")
    numbers = [*shape, begin, end] if isinstance(shape, list) else [shape]
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in numbers):
        raise ValueError(f"{path}: tensor '{name}': shape {shape} or data_offsets {[begin, end]} are not "
                         "non-negative integers")
    expected = int(np.prod(shape, dtype=object)) * np.dtype(_DTYPES[dtype]).itemsize
    if not begin <= end <= data_size or end - begin != expected:
        raise ValueError(f"{path}: tensor '{name}': data_offsets [{begin}, {end}], expected {expected} bytes "
                         f"inside the {data_size}-byte data section")
    return dtype, shape, begin, end


def _read(path):
    with open(path, "rb") as f:
        blob = f.read()
    header, start = _read_header(path, blob)
    metadata = header.pop("__metadata__", {})
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise ValueError(f"{path}: \"__metadata__\" is {metadata!r}, expected an object of strings")
    data_size = len(blob) - start
    entries = {name: _check_entry(path, name, entry, data_size) for name, entry in header.items()}
    covered = 0
    for name, (_, _, begin, end) in sorted(entries.items(), key=lambda item: (item[1][2], item[1][3], item[0])):
        if begin != covered:
            raise ValueError(f"{path}: tensor '{name}' starts at {begin}, expected {covered} (overlap or gap)")
        covered = end
    if covered != data_size:
        raise ValueError(f"{path}: data section is {data_size} bytes, expected {covered}")
    return blob, start, entries, metadata


def load(path):
    """{name: numpy array} of every tensor in the file, in the header's order (BF16 widened to float32)."""
    blob, start, entries, _ = _read(path)
    tensors = {}
    for name, (dtype, shape, begin, end) in entries.items():
        element = np.dtype(_DTYPES[dtype])
        count = (end - begin) // element.itemsize
        array = np.frombuffer(blob, dtype=element, count=count, offset=start + begin).copy()
        if dtype == "BF16":  # the upper half of a float32
            array = (array.astype(np.uint32) << np.uint32(16)).view(np.float32)
        tensors[name] = array.reshape(shape)
    return tensors


def load_metadata(path):
    """The file's "__metadata__" strings ({} when absent)."""
    return dict(_read(path)[3])
