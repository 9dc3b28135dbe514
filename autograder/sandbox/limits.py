"""Resource limits, parsed once from lab.toml and applied in the worker before it runs anything."""

from __future__ import annotations

import resource
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    test_timeout: float = 20.0
    import_timeout: float = 30.0
    total_timeout: float = 1800.0
    memory_mb: int = 4096
    cpu_seconds: int = 3600
    file_size_mb: int = 64
    open_files: int = 256
    processes: int = 64
    output_bytes: int = 16384

    def apply(self) -> None:
        """Runs in the child between fork and exec: only async-signal-safe work."""
        mib = 1024 * 1024
        for which, value in (
            (resource.RLIMIT_AS, self.memory_mb * mib),
            (resource.RLIMIT_CPU, self.cpu_seconds),
            (resource.RLIMIT_FSIZE, self.file_size_mb * mib),
            (resource.RLIMIT_NOFILE, self.open_files),
            (resource.RLIMIT_CORE, 0),
        ):
            resource.setrlimit(which, (value, value))
