"""The encoder's precision per kind of CPU: flags parsed from /proc/cpuinfo text, ``auto`` chosen
from them, the setting parsed and checked."""

from __future__ import annotations

import pytest

from models.precision import HostCpu, choose_dtype, parse_cpuinfo, resolve_dtype
from models.types import ModelLoadError
from service.config import SettingsError, load_settings

_EPYC = "fpu sse2 avx avx2 fma bmi2 sha_ni"
_ICELAKE = "fpu sse2 avx avx2 avx512f avx512bw avx512_vnni"
_COOPER = "fpu avx2 avx512f avx512_vnni avx512_bf16"
_SAPPHIRE = "fpu avx2 avx512f avx512_bf16 amx_bf16 amx_int8 amx_tile"


def _cpuinfo(model: str, flags: str, processors: int = 2) -> str:
    block = f"processor\t: {{n}}\nvendor_id\t: X\nmodel name\t: {model}\nflags\t\t: {flags}\n\n"
    return "".join(block.format(n=n) for n in range(processors))


@pytest.mark.parametrize(
    ("flags", "kind", "native"),
    [
        (_EPYC, "avx2", False),
        (_ICELAKE, "avx512", False),
        (_COOPER, "avx512-bf16", True),
        (_SAPPHIRE, "amx", True),
        ("fpu sse2", "other", False),
    ],
)
def test_kind_and_native_bf16_follow_the_flags(flags: str, kind: str, native: bool) -> None:
    """The host's row of the targets and whether bf16 is native come from the flags alone."""
    cpu = parse_cpuinfo(_cpuinfo("Some CPU @ 2.0GHz", flags))
    assert cpu.model == "Some CPU @ 2.0GHz"
    assert cpu.kind == kind
    assert cpu.native_bf16 is native


def test_extensions_list_only_matrix_relevant_flags_in_a_fixed_order() -> None:
    """Reports name the matrix extensions, not every flag."""
    cpu = HostCpu("x", frozenset(_SAPPHIRE.split()))
    assert cpu.extensions == ["avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_int8"]
    assert HostCpu("x", frozenset(_EPYC.split())).extensions == ["avx2"]


def test_parse_cpuinfo_without_flags_is_unknown_and_plain() -> None:
    """A cpuinfo without the usual lines (another architecture) gives an 'other' host."""
    cpu = parse_cpuinfo("processor : 0\nBogoMIPS : 50.00\n")
    assert cpu.model == "unknown"
    assert cpu.kind == "other"
    assert not cpu.native_bf16


@pytest.mark.parametrize(
    ("flags", "expected"),
    [(_EPYC, "int8"), (_ICELAKE, "int8"), (_COOPER, "bfloat16"), (_SAPPHIRE, "bfloat16")],
)
def test_auto_is_bf16_where_native_else_int8(flags: str, expected: str) -> None:
    """``auto`` resolves per CPU kind; an explicit choice is kept whatever the CPU."""
    assert resolve_dtype("auto", flags.split()) == expected
    for forced in ("float32", "bfloat16", "int8"):
        assert resolve_dtype(forced, flags.split()) == forced


def test_unknown_dtype_is_a_load_error() -> None:
    """A misspelt precision fails loading with the allowed values named."""
    with pytest.raises(ModelLoadError, match="auto, float32, bfloat16, int8"):
        choose_dtype("fp16", native_bf16=True)


def test_setting_accepts_int8_and_rejects_others() -> None:
    """ANALYZER_ENCODER_DTYPE takes int8 (any case) and refuses what the encoder cannot run."""
    assert load_settings({"ANALYZER_ENCODER_DTYPE": "INT8"}).encoder_dtype == "int8"
    assert load_settings({}).encoder_dtype == "auto"
    with pytest.raises(SettingsError, match="ENCODER_DTYPE"):
        load_settings({"ANALYZER_ENCODER_DTYPE": "int4"})


@pytest.mark.parametrize(
    ("flags", "torch_says", "expected"),
    [
        ("avx2 avx512f avx512bw avx512_vnni", True, "int8"),  # emulated bf16: torch says yes, flags no
        ("avx2 avx512f avx512_bf16", False, "bfloat16"),
        ("", True, "bfloat16"),  # no /proc/cpuinfo: torch's own check decides
        ("", False, "int8"),
    ],
)
def test_auto_on_this_host_reads_the_kernel_flags_before_torch(
    monkeypatch: pytest.MonkeyPatch, flags: str, torch_says: bool, expected: str
) -> None:
    """``auto`` without explicit flags follows /proc/cpuinfo (an AVX-512 CPU without AVX512_BF16
    gets int8 even though oneDNN reports bf16 support); torch's check only where no flags are read."""
    import models.precision as precision

    monkeypatch.setattr(precision, "host_cpu", lambda: HostCpu(model="x", flags=frozenset(flags.split())))
    monkeypatch.setattr(precision, "torch_native_bf16", lambda: torch_says)
    assert resolve_dtype("auto") == expected
