"""A small, self-contained safetensors writer and reader (numpy only).

File layout: an 8-byte little-endian u64 N, then N bytes of UTF-8 JSON
  {name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
   "__metadata__": {str: str}}   (metadata optional)
then the raw little-endian tensor data; offsets count from the first byte after the header.
The writer puts "__metadata__" first and the tensors sorted by name, lays the data out in
that order, and pads the JSON with spaces so the data starts on an 8-byte boundary.
"""

import json
import struct

import numpy as np

# dtype name -> (numpy storage dtype, bytes per element). BF16 is stored as raw uint16 bits.
DTYPES = {
    "F64": (np.dtype("<f8"), 8),
    "F32": (np.dtype("<f4"), 4),
    "F16": (np.dtype("<f2"), 2),
    "BF16": (np.dtype("<u2"), 2),
    "I64": (np.dtype("<i8"), 8),
    "I32": (np.dtype("<i4"), 4),
}

MAX_HEADER_BYTES = 100 * 1024 * 1024


def float32_to_bf16_bits(a):
    """Round float32 values to bfloat16 (round to nearest, ties to even); returns uint16 bits."""
    bits = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32).astype(np.uint64)
    is_nan = np.isnan(np.asarray(a, dtype=np.float32))
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    out = rounded.astype(np.uint16)
    out[is_nan] = ((bits[is_nan] >> 16) | 0x0040).astype(np.uint16)  # keep NaN a (quiet) NaN
    return out


def bf16_bits_to_float32(bits):
    return (np.asarray(bits, dtype=np.uint32) << 16).view(np.float32)


def _as_stored(array, dtype):
    """numpy array -> the contiguous little-endian array of the stored dtype."""
    if dtype == "BF16":
        return float32_to_bf16_bits(np.asarray(array, dtype=np.float32))
    return np.ascontiguousarray(array, dtype=DTYPES[dtype][0])


def save(path, tensors, metadata=None):
    """tensors: {name: (numpy array, dtype name)} or {name: numpy array} (float -> F32, int -> I64)."""
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in sorted(metadata.items())}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        value = tensors[name]
        if isinstance(value, tuple):
            array, dtype = value
        else:
            array = np.asarray(value)
            dtype = "I64" if np.issubdtype(array.dtype, np.integer) else "F32"
        if dtype not in DTYPES:
            raise ValueError(f"{name}: unsupported dtype {dtype}")
        stored = _as_stored(array, dtype)
        data = stored.tobytes()
        header[name] = {"dtype": dtype, "shape": [int(s) for s in np.shape(array)],
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def load(path):
    """Returns ({name: numpy array}, {name: dtype name}, metadata). F16/BF16 come back as float32."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError(f"{path}: expected at least 8 bytes, found {len(raw)}")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > MAX_HEADER_BYTES or n > len(raw) - 8:
        raise ValueError(f"{path}: header length {n} does not fit a {len(raw)}-byte file")
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    metadata = header.pop("__metadata__", {})
    arrays, dtypes = {}, {}
    for name, info in header.items():
        dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        storage, size = DTYPES[dtype]
        count = int(np.prod(shape, dtype=np.int64))
        if end - begin != count * size or end > len(data):
            raise ValueError(f"{path}: tensor {name} offsets {begin}..{end} do not match shape {shape} {dtype}")
        a = np.frombuffer(data[begin:end], dtype=storage).reshape(shape)
        if dtype == "BF16":
            a = bf16_bits_to_float32(a).reshape(shape)
        elif dtype == "F16":
            a = a.astype(np.float32)
        arrays[name], dtypes[name] = a, dtype
    return arrays, dtypes, metadata
