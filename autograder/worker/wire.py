"""Plain-data codec shared by the harness and the worker: msgpack, never pickle.

Only None, bool, int, float, str, bytes, numpy arrays and scalars of numeric or bool dtype, lists,
tuples and dicts (str or int keys) cross. Three tagged records complete it: a ``Handle`` (an object
that stays in the worker), a ``Tensor`` request (harness -> worker: build a torch tensor) and a
``TensorValue`` (worker -> harness: what a torch tensor held). Decoding is strict: an unknown tag,
an object dtype or a size mismatch is a ``WireError``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any, BinaryIO

import msgpack
import numpy as np

MAX_FRAME = 512 * 1024 * 1024
_ALLOWED_KINDS = frozenset("biufc")
_HEADER = struct.Struct(">I")

_ARRAY, _TUPLE, _HANDLE, _SCALAR, _TENSOR, _TENSOR_VALUE = range(1, 7)


class WireError(ValueError):
    """Data that is not plain, or a frame that does not decode."""


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


def _ext_hook(code: int, data: bytes) -> Any:
    if code == _ARRAY:
        return _unpack_array(data)
    if code == _SCALAR:
        return _unpack_array(data)[()]
    if code == _TUPLE:
        return tuple(unpackb(data))
    if code == _HANDLE:
        ident, type_name = msgpack.unpackb(data)
        return Handle(int(ident), str(type_name))
    if code == _TENSOR:
        array, requires_grad, dtype = unpackb(data)
        return Tensor(_expect_ndarray(array), bool(requires_grad), dtype if dtype is None else str(dtype))
    if code == _TENSOR_VALUE:
        array, requires_grad, dtype = unpackb(data)
        return TensorValue(_expect_ndarray(array), bool(requires_grad), str(dtype))
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
        return msgpack.unpackb(
            data, ext_hook=_ext_hook, raw=False, strict_map_key=False
        )
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
                raise WireError(f"the worker sent a frame of {size} bytes (limit {self._max})")

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
