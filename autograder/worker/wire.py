"""Plain-data codec shared by the harness and the worker: msgpack, never pickle.

Only None, bool, int, float, str, bytes, numpy arrays and scalars of numeric or bool dtype, lists,
tuples and dicts (str or int keys) cross. Three tagged records complete it: a ``Handle`` (an object
that stays in the worker), a ``Tensor`` request (harness -> worker: build a torch tensor) and a
``TensorValue`` (worker -> harness: what a torch tensor held). Decoding is strict: an unknown tag,
an object dtype or a size mismatch is a ``WireError``.

Decoding is bounded too, since the harness decodes what the submission's process wrote: a frame of
n bytes yields at most ``EXPANSION`` * n bytes of nested records and ``MAX_CONTAINERS`` lists and
dicts, and the names inside records (a ``Handle``'s type, a tensor's dtype) are short plain text.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from typing import Any, BinaryIO

import msgpack
import numpy as np

# What the worker accepts from the harness; the harness reads replies under its own limit (Limits.reply_mb).
MAX_FRAME = 512 * 1024 * 1024
# Records nest (a tuple of tensors of arrays): each level copies its payload once while it decodes.
EXPANSION = 8
# An empty list or dict is one byte on the wire and about 64 in memory: their number is what bounds that.
MAX_CONTAINERS = 1 << 18
NAME_CHARS = 100  # a Handle's type name, a tensor's dtype
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ALLOWED_KINDS = frozenset("biufc")
_HEADER = struct.Struct(">I")

_ARRAY, _TUPLE, _HANDLE, _SCALAR, _TENSOR, _TENSOR_VALUE = range(1, 7)


class WireError(ValueError):
    """Data that is not plain, or a frame that does not decode."""


class FrameTooLarge(WireError):
    def __init__(self, size: int, limit: int) -> None:
        self.size, self.limit = size, limit
        super().__init__(f"a frame of {size} bytes is over the limit of {limit} bytes")


@dataclass(frozen=True)
class Handle:
    """An object that stays in the worker; only its id and type name cross."""

    id: int
    type_name: str


@dataclass(frozen=True)
class Tensor:
    """Ask the worker to pass a torch tensor built from ``array``."""

    array: np.ndarray
    requires_grad: bool = False
    dtype: str | None = None


@dataclass(frozen=True)
class TensorValue:
    """What a torch tensor returned by a submission held, as data."""

    array: np.ndarray
    requires_grad: bool
    dtype: str

    @property
    def shape(self) -> tuple[int, ...]:
        return self.array.shape


def clip_text(text: str, limit: int) -> str:
    """``text`` without control characters (terminal escapes; newlines and tabs stay), at most ``limit`` characters
    of it followed by how many more there were."""
    kept = _CONTROL.sub("", text[:limit])
    more = len(text) - limit
    return kept + f"[... {more} more characters not shown]" if more > 0 else kept


def _name(value: Any) -> str:
    if type(value) is not str:
        raise WireError("a record's name is not text")
    return clip_text(value, NAME_CHARS)


def _pack_array(a: np.ndarray) -> bytes:
    if a.dtype.kind not in _ALLOWED_KINDS:
        raise WireError(f"arrays of dtype {a.dtype} cannot cross (numeric and bool only)")
    return msgpack.packb([a.dtype.str, list(a.shape), np.ascontiguousarray(a).tobytes()])


def _unpack_array(payload: bytes) -> np.ndarray:
    dtype_str, shape, raw = msgpack.unpackb(payload)
    dtype = np.dtype(dtype_str)
    if dtype.kind not in _ALLOWED_KINDS or dtype.hasobject:
        raise WireError(f"refused array dtype {dtype_str!r}")
    shape = tuple(int(s) for s in shape)
    if int(np.prod(shape, dtype=np.int64)) * dtype.itemsize != len(raw):
        raise WireError("array payload does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def _default(obj: Any) -> msgpack.ExtType:
    if isinstance(obj, np.ndarray):
        return msgpack.ExtType(_ARRAY, _pack_array(obj))
    if isinstance(obj, np.generic):
        return msgpack.ExtType(_SCALAR, _pack_array(np.asarray(obj)))
    if isinstance(obj, tuple) and not hasattr(obj, "_fields"):
        return msgpack.ExtType(_TUPLE, packb(list(obj)))
    if isinstance(obj, Handle):
        return msgpack.ExtType(_HANDLE, msgpack.packb([obj.id, obj.type_name]))
    if isinstance(obj, Tensor):
        return msgpack.ExtType(_TENSOR, packb([obj.array, obj.requires_grad, obj.dtype]))
    if isinstance(obj, TensorValue):
        return msgpack.ExtType(_TENSOR_VALUE, packb([obj.array, obj.requires_grad, obj.dtype]))
    raise WireError(f"a {type(obj).__name__} cannot cross the process boundary")


class _Decoder:
    """One frame's decoding, with what it may still allocate."""

    def __init__(self, size: int) -> None:
        self.record_bytes = EXPANSION * size
        self.containers = MAX_CONTAINERS

    def unpack(self, data: bytes) -> Any:
        return msgpack.unpackb(data, ext_hook=self.ext_hook, list_hook=self.container,
                               object_hook=self.container, raw=False, strict_map_key=False)

    def container(self, value: Any) -> Any:
        self.containers -= 1
        if self.containers < 0:
            raise WireError(f"more than {MAX_CONTAINERS} lists and dicts in one frame")
        return value

    def ext_hook(self, code: int, data: bytes) -> Any:
        self.record_bytes -= len(data)
        if self.record_bytes < 0:
            raise WireError("records nested too deeply for the frame's size")
        if code == _ARRAY:
            return _unpack_array(data)
        if code == _SCALAR:
            return _unpack_array(data)[()]
        if code == _TUPLE:
            return tuple(self.unpack(data))
        if code == _HANDLE:
            ident, type_name = msgpack.unpackb(data)
            return Handle(int(ident), _name(type_name))
        if code == _TENSOR:
            array, requires_grad, dtype = self.unpack(data)
            return Tensor(_expect_ndarray(array), bool(requires_grad), dtype if dtype is None else _name(dtype))
        if code == _TENSOR_VALUE:
            array, requires_grad, dtype = self.unpack(data)
            return TensorValue(_expect_ndarray(array), bool(requires_grad), _name(dtype))
        raise WireError(f"unknown record tag {code}")


def _expect_ndarray(value: Any) -> np.ndarray:
    if type(value) is not np.ndarray:
        raise WireError("malformed tensor record")
    return value


def packb(value: Any) -> bytes:
    # strict_types: subclasses (np.float64 is a float, namedtuples are tuples, bool is an int) go
    # through _default, so they keep their type or are refused instead of silently changing.
    return msgpack.packb(value, default=_default, strict_types=True, use_bin_type=True)


def unpackb(data: bytes) -> Any:
    try:
        return _Decoder(len(data)).unpack(data)
    except WireError:
        raise
    except Exception as exc:  # msgpack raises several unrelated types for corrupt input
        raise WireError(f"corrupt frame: {exc}") from None


def write_frame(stream: BinaryIO, value: Any) -> None:
    payload = packb(value)
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def read_frame(stream: BinaryIO) -> Any:
    """Blocking read of one frame (the worker's side; the harness reads with deadlines)."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("the other side closed the channel")
    (size,) = _HEADER.unpack(header)
    if size > MAX_FRAME:
        raise WireError("frame too large")
    payload = stream.read(size)
    if len(payload) < size:
        raise EOFError("the other side closed the channel mid-frame")
    return unpackb(payload)


class FrameReader:
    """Incremental decoder for the harness: feed bytes as they arrive, take whole frames."""

    def __init__(self, max_frame: int = MAX_FRAME) -> None:
        self._buffer = bytearray()
        self._max = max_frame

    def feed(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self._buffer)
            if size > self._max:
                raise FrameTooLarge(size, self._max)

    def take(self) -> tuple[bool, Any]:
        if len(self._buffer) < _HEADER.size:
            return False, None
        (size,) = _HEADER.unpack_from(self._buffer)
        end = _HEADER.size + size
        if len(self._buffer) < end:
            return False, None
        payload = bytes(self._buffer[_HEADER.size : end])
        del self._buffer[:end]
        return True, unpackb(payload)
