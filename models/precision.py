"""Which numeric precision the sentence encoder runs in on this CPU, and the int8 conversion.

``auto`` picks by what the CPU's matrix units do natively (measured in docs/performance.md):

- ``bfloat16`` where the CPU has native bf16 matrix work (AMX, AVX-512 BF16): about 2.7x the
  float32 speed there, same summaries;
- ``int8`` elsewhere (AVX2-only CPUs, e.g. most AMD EPYC node pools): dynamic quantisation of every
  Linear layer (weights int8 per tensor, activations quantised per batch) costs about a third less
  summary CPU than float32 there, with 96 % of FRANK validation's summaries identical and ROUGE no
  lower (docs/performance.md).
  bf16 is emulated on such CPUs and slower than float32.

The choice is a pure function of the CPU's flags (:func:`choose_dtype`), so it is testable for
every kind of host on any host.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from models.types import ModelLoadError

#: What ``ANALYZER_ENCODER_DTYPE`` accepts.
DTYPES = ("auto", "float32", "bfloat16", "int8")

#: /proc/cpuinfo flags that mean native bf16 matrix work.
_BF16_FLAGS = frozenset({"amx_bf16", "avx512_bf16"})


@dataclass(frozen=True)
class HostCpu:
    """The CPU's model name and the matrix extensions the precision choice depends on."""

    model: str
    flags: frozenset[str]

    @property
    def extensions(self) -> list[str]:
        """The matrix-relevant extensions present, in a fixed order (for reports)."""
        names = ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_bf16", "amx_int8")
        return [n for n in names if n in self.flags]

    @property
    def kind(self) -> str:
        """``amx``, ``avx512-bf16``, ``avx512``, ``avx2`` or ``other``: the row of the targets."""
        if "amx_bf16" in self.flags:
            return "amx"
        if "avx512_bf16" in self.flags:
            return "avx512-bf16"
        if "avx512f" in self.flags:
            return "avx512"
        return "avx2" if "avx2" in self.flags else "other"

    @property
    def native_bf16(self) -> bool:
        """True when bf16 matrix work runs natively (not emulated)."""
        return bool(self.flags & _BF16_FLAGS)


def parse_cpuinfo(text: str) -> HostCpu:
    """The first processor's model name and flags from the text of /proc/cpuinfo."""
    model, flags = "unknown", ""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "model name" and model == "unknown":
            model = value.strip()
        elif key == "flags" and not flags:
            flags = value
        if model != "unknown" and flags:
            break
    return HostCpu(model=model, flags=frozenset(flags.split()))


def host_cpu() -> HostCpu:
    """This machine's CPU (empty flags where /proc/cpuinfo cannot be read)."""
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf8") as fh:
        return parse_cpuinfo(fh.read())
    return HostCpu(model="unknown", flags=frozenset())


def choose_dtype(name: str, native_bf16: bool) -> str:
    """The concrete precision for setting ``name``: ``auto`` is bf16 with native bf16, else int8."""
    if name not in DTYPES:
        raise ModelLoadError(f"unknown encoder dtype {name!r}; use {', '.join(DTYPES)}")
    if name == "auto":
        return "bfloat16" if native_bf16 else "int8"
    return name


def torch_native_bf16() -> bool:
    """Whether torch's oneDNN build runs bf16 natively on this CPU (its own check of the flags)."""
    import torch

    try:
        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())  # type: ignore[no-untyped-call]
    except (AttributeError, RuntimeError):
        return False


def resolve_dtype(name: str, flags: Iterable[str] | None = None) -> str:
    """``name`` made concrete for this host, or for a host with the CPU ``flags`` given."""
    if flags is None:
        # The kernel's flags first: torch's own check also says yes on AVX-512 CPUs without
        # AVX512_BF16, where oneDNN emulates bf16 (about 4x the CPU of int8 on such a host).
        cpu = host_cpu()
        native = cpu.native_bf16 if cpu.flags else torch_native_bf16()
    else:
        native = bool(frozenset(flags) & _BF16_FLAGS)
    return choose_dtype(name, native)


def quantize_int8(model: Any) -> Any:
    """``model`` with every Linear layer dynamically quantised to int8 (torch's x86 kernels).

    Embeddings, layer norms and attention stay float32. torch.ao's eager quantisation is
    deprecated in favour of torchao, which is not a dependency here; its warnings are silenced.
    """
    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from torch.ao.quantization import quantize_dynamic

        return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)  # type: ignore[no-untyped-call]


def apply_dtype(model: Any, dtype: str) -> Any:
    """``model`` converted to the concrete ``dtype`` (``float32`` leaves it as loaded)."""
    import torch

    if dtype == "bfloat16":
        return model.to(torch.bfloat16)
    if dtype == "int8":
        return quantize_int8(model)
    return model
