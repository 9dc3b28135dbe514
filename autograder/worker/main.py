"""Worker process: import the submission, then serve requests until the harness hangs up.

Every request is answered with ``{"ok": True, "value": ...}`` or ``{"ok": False, "error": {...}}``.
Values the wire cannot carry (a cache object, an instance, a module) stay here in a table and cross
as ``Handle``s. This process is the submission's: the harness trusts none of what it says and
judges every value itself.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import random
import sys
import traceback
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

import numpy as np

from autograder.worker.substitute import replaced, substitutes
from autograder.worker.wire import Handle, Tensor, TensorValue, read_frame, write_frame

PLAIN_LEAVES = (type(None), bool, int, float, str, bytes)


class ContractError(Exception):
    """The submission returned something the requested operation cannot work with."""


class ForbiddenImportError(ImportError):
    pass


class ForbiddenImports(importlib.abc.MetaPathFinder):
    """Refuses the lab's forbidden top-level packages, however they are reached."""

    def __init__(self, names: list[str]) -> None:
        self.names = frozenset(names)

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if fullname.partition(".")[0] in self.names:
            raise ForbiddenImportError(
                f"import of '{fullname}' is not allowed in this lab (numpy and the standard library only)"
            )
        return None


class Worker:
    def __init__(self) -> None:
        self.module: Any = None
        self.probes: Any = None
        self.path = ""
        self.objects: dict[int, Any] = {}
        self.next_id = 1

    # -- encoding -------------------------------------------------------------------------------
    def to_wire(self, value: Any) -> Any:
        if isinstance(value, PLAIN_LEAVES) and type(value) in PLAIN_LEAVES:
            return value
        if type(value) is np.ndarray and value.dtype.kind in "biufc":
            return value
        if isinstance(value, np.generic) and value.dtype.kind in "biufc":
            return value
        if type(value) is tuple:
            return tuple(self.to_wire(v) for v in value)
        if type(value) is list:
            return [self.to_wire(v) for v in value]
        if type(value) is dict and all(type(k) in (str, int) for k in value):
            return {k: self.to_wire(v) for k, v in value.items()}
        torch = sys.modules.get("torch")
        if torch is not None and isinstance(value, torch.Tensor):
            t = value.detach().cpu()
            array = t.numpy().copy() if t.dtype != torch.bfloat16 else t.float().numpy()
            return TensorValue(array, bool(value.requires_grad), str(value.dtype).removeprefix("torch."))
        return self.keep(value)

    def keep(self, value: Any) -> Handle:
        ident = self.next_id
        self.next_id += 1
        self.objects[ident] = value
        return Handle(ident, type(value).__name__)

    def from_wire(self, value: Any) -> Any:
        if isinstance(value, Handle):
            if value.id not in self.objects:
                raise ContractError(f"stale handle to a {value.type_name}")
            return self.objects[value.id]
        if isinstance(value, Tensor):
            import torch

            if value.dtype:
                dtype = getattr(torch, value.dtype)
            elif value.array.dtype.kind == "f":
                dtype = torch.get_default_dtype()
            else:  # labels and masks keep their integer or bool type
                dtype = None
            return torch.tensor(value.array, dtype=dtype, requires_grad=value.requires_grad)
        if type(value) is tuple:
            return tuple(self.from_wire(v) for v in value)
        if type(value) is list:
            return [self.from_wire(v) for v in value]
        if type(value) is dict:
            return {k: self.from_wire(v) for k, v in value.items()}
        return value

    # -- targets --------------------------------------------------------------------------------
    def resolve(self, target: Any, name: str) -> Any:
        owner = self.module if target is None else self.from_wire(target)
        try:
            return getattr(owner, name)
        except AttributeError:
            where = f"{os.path.basename(self.path)}" if target is None else f"this {type(owner).__name__}"
            raise LookupError(f"{where} has no attribute '{name}'") from None

    # -- operations -----------------------------------------------------------------------------
    def op_load(self, req: dict) -> Any:
        if req.get("forbidden"):
            sys.meta_path.insert(0, ForbiddenImports(req["forbidden"]))
        self.path = req["path"]
        self.module = _import_file(req["module"], self.path)
        if req.get("probes"):
            self.probes = _import_file("_dlgrade_probes", req["probes"])
        return None

    def op_has(self, req: dict) -> bool:
        return hasattr(self.module, req["name"])

    def op_call(self, req: dict) -> Any:
        """Every call of a submission's callable, alone or in a batch, takes this one path: a call
        made for a gradient check runs from the same frames as any other (see docs/sandbox.md)."""
        fn = self.resolve(req.get("target"), req["name"])
        pick, echo, strict = req.get("pick"), req.get("echo"), req.get("strict")
        out = []
        for wire_args, wire_kwargs in req["calls"]:
            args, kwargs = self.from_wire(wire_args), self.from_wire(wire_kwargs)
            # Warnings raised as errors only ever cost the submission; the harness judges the values itself.
            with np.errstate(over="raise", invalid="raise", divide="raise") if strict else nullcontext():
                result = fn(*args, **kwargs)
            value = self.to_wire(result if pick is None else result[pick])
            out.append((value, self.to_wire(tuple(args)), self.to_wire(kwargs)) if echo else value)
        return out

    def op_get(self, req: dict) -> Any:
        return self.to_wire(self.resolve(req.get("target"), req["name"]))

    def op_set(self, req: dict) -> None:
        setattr(self.from_wire(req["target"]), req["name"], self.from_wire(req["value"]))

    def op_update(self, req: dict) -> None:
        mapping = self.resolve(req["target"], req["name"])
        for key, value in self.from_wire(req["items"]).items():
            mapping[key] = value

    def op_probe(self, req: dict) -> Any:
        if self.probes is None:
            raise ContractError("this lab has no probes")
        probe = getattr(self.probes, req["name"])
        swap = req.get("substitute")
        with replaced(self.module, substitutes(swap["source"], swap["names"])) if swap else nullcontext():
            return self.to_wire(probe(self.module, *self.from_wire(req["args"]), **self.from_wire(req["kwargs"])))

    def op_grad(self, req: dict) -> Any:
        import torch

        fn = self.resolve(req.get("target"), req["name"])
        args, kwargs = self.from_wire(req["args"]), self.from_wire(req["kwargs"])
        leaves = [a for a in (*args, *kwargs.values()) if isinstance(a, torch.Tensor) and a.requires_grad]
        result = fn(*args, **kwargs)
        pick = req.get("pick")
        out = result if pick is None else result[pick]
        if not isinstance(out, torch.Tensor):
            raise ContractError(f"{req['name']} returned a {type(out).__name__}, not a torch.Tensor")
        if not out.requires_grad:
            raise ContractError(f"the tensor {req['name']} returned carries no gradient (was it detached?)")
        upstream = req.get("upstream")
        grad_out = torch.ones_like(out) if upstream is None else torch.as_tensor(upstream, dtype=out.dtype)
        grads = torch.autograd.grad(out, leaves, grad_out, allow_unused=True) if leaves else []
        return (self.to_wire(result), [None if g is None else g.detach().numpy().copy() for g in grads])


def _import_file(name: str, path: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def describe(exc: BaseException, submission: str) -> dict:
    """The error as data, with only the submission's own frames (its line numbers help a student)."""
    frames = [
        [os.path.basename(f.filename), f.lineno, f.name, f.line or ""]
        for f in traceback.extract_tb(exc.__traceback__)
        if submission and os.path.abspath(f.filename) == submission
    ]
    if isinstance(exc, SyntaxError) and exc.filename and os.path.abspath(exc.filename) == submission:
        frames.append([os.path.basename(exc.filename), exc.lineno or 0, "<module>", (exc.text or "").strip()])
    if isinstance(exc, ForbiddenImportError):
        kind = "forbidden"
    elif isinstance(exc, SystemExit):
        kind = "exit"
    elif isinstance(exc, LookupError) and not frames:
        kind = "missing"
    elif isinstance(exc, ContractError):
        kind = "contract"
    else:
        kind = "student"
    return {"type": type(exc).__name__, "message": _safe_str(exc), "kind": kind, "frames": frames[-5:]}


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)[:2000]
    except Exception:  # a submission's exception may even fail to print itself
        return "<unprintable exception>"


def _reseed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)


def serve(requests: Any, responses: Any) -> None:
    worker = Worker()
    handlers: dict[str, Callable[[dict], Any]] = {
        name.removeprefix("op_"): getattr(worker, name) for name in dir(worker) if name.startswith("op_")
    }
    while True:
        try:
            req = read_frame(requests)
        except EOFError:
            return
        if "reseed" in req:
            _reseed(int(req["reseed"]))
        try:
            reply = {"ok": True, "value": handlers[req["op"]](req)}
        except BaseException as exc:  # SystemExit and KeyboardInterrupt too: they are the submission's
            reply = {"ok": False, "error": describe(exc, worker.path)}
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            write_frame(responses, reply)
        except Exception as exc:  # a value that cannot cross is reported, not a dead worker
            write_frame(responses, {"ok": False, "error": describe(exc, worker.path) | {"kind": "contract"}})


def main() -> None:
    read_fd, write_fd = int(sys.argv[1]), int(sys.argv[2])
    with os.fdopen(read_fd, "rb") as requests, os.fdopen(write_fd, "wb") as responses:
        serve(requests, responses)
    # Skip interpreter teardown: a submission's atexit hooks and finalisers have nothing to say.
    os._exit(0)


if __name__ == "__main__":
    main()
