"""The machine a figure was measured on, as every benchmark prints it."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_name() -> str:
    """CPU model, core count and whether it has native bf16 (AVX512-BF16 or AMX): the
    embedding backends' speed depends on the last, so every figure names it."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    name = next(
        (ln.split(":", 1)[1].strip() for ln in info.splitlines() if ln.startswith("model name")),
        "unknown CPU",
    )
    bf16 = "avx512_bf16" in info or "amx_bf16" in info
    return f"{name}, {os.cpu_count()} cores, {'with' if bf16 else 'no'} native bf16"
