"""The plain-data codec: what crosses, exactly, and what is refused."""

import msgpack
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.worker.wire import FrameReader, Handle, Tensor, TensorValue, WireError, packb, unpackb

dtypes = st.sampled_from([np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_, np.complex128])


@given(hnp.arrays(dtypes, hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)))
def test_arrays_round_trip_exactly(a):
    b = unpackb(packb(a))
    assert type(b) is np.ndarray and b.dtype == a.dtype and b.shape == a.shape
    np.testing.assert_array_equal(b, a)


def test_containers_and_scalars_keep_their_types():
    value = {"t": (1, 2.5, "s", b"b", None, True), "l": [np.float64(1.5), np.int32(3)], 7: Handle(3, "Net"),
             "x": Tensor(np.ones(2), True, "float32"), "v": TensorValue(np.zeros(1), False, "float32")}
    back = unpackb(packb(value))
    assert type(back["t"]) is tuple and back["t"] == value["t"]
    assert type(back["l"][0]) is np.float64 and type(back["l"][1]) is np.int32
    assert back[7] == Handle(3, "Net")
    assert back["x"].requires_grad and back["x"].dtype == "float32"
    assert isinstance(back["v"], TensorValue)


@pytest.mark.parametrize("value", [object(), np.array([object()]), lambda: 0, {"a": {1, 2}}])
def test_non_plain_values_are_refused(value):
    with pytest.raises((WireError, TypeError)):
        packb(value)


def test_forged_records_are_refused():
    object_array = msgpack.ExtType(1, msgpack.packb(["|O", [1], b"\0" * 8]))
    with pytest.raises(WireError):
        unpackb(msgpack.packb(object_array))
    short = msgpack.ExtType(1, msgpack.packb(["<f8", [4], b"\0" * 8]))
    with pytest.raises(WireError):
        unpackb(msgpack.packb(short))
    with pytest.raises(WireError):
        unpackb(msgpack.packb(msgpack.ExtType(99, b"")))
    with pytest.raises(WireError):
        unpackb(b"\xc1garbage")


def test_frame_reader_reassembles_and_caps_frames():
    payload = packb({"ok": True, "value": np.arange(5.0)})
    frame = len(payload).to_bytes(4, "big") + payload
    reader = FrameReader()
    for i in range(len(frame)):
        reader.feed(frame[i:i + 1])
    done, value = reader.take()
    assert done and np.array_equal(value["value"], np.arange(5.0))
    with pytest.raises(WireError):
        FrameReader(max_frame=10).feed((11).to_bytes(4, "big"))
