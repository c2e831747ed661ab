"""Article-like text strategies, hypothesis profiles and a doubling check for the engine fuzz tests.

The texts are built from pieces an engine really reads: prose words in several scripts, runs of
every quote mark and apostrophe (balanced, nested, unbalanced, empty or very long quotes), cue
verbs and names, furniture lines, case changes, lost or doubled line breaks and control characters.

Profiles: ``fuzz`` (the default, bounded and derandomised, for ``make test``) and ``fuzz-long``
(many more random examples, for ``make reliability``), selected by ``ANALYZER_FUZZ_PROFILE``.
"""

from __future__ import annotations

import gc
import math
import os
import time
from collections.abc import Callable

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "fuzz",
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz-long",
    max_examples=800,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = os.environ.get("ANALYZER_FUZZ_PROFILE", "fuzz")
FUZZ = settings.get_profile(PROFILE)


def fuzz_settings(share: float = 1.0) -> settings:
    """The active profile with ``share`` of its examples (for the costlier engines)."""
    return settings(FUZZ, max_examples=max(5, int(FUZZ.max_examples * share)))


#: Every quotation mark and apostrophe an article may use, plus the PTB pairs.
MARKS = ['"', "“", "”", "„", "«", "»", "‘", "’", "'", "‹", "›", "``", "''", "‚"]
_PROSE = (
    "the council said it would vote on tuesday and the plan costs money but critics warned "
    "that nobody asked them first while officials told reporters on friday they expect more"
)
_WORDS = _PROSE.split()
_FOREIGN = [
    "Łukasz",
    "Zoë",
    "Müller",
    "Ærø",
    "Πρωθυπουργός",
    "Москва",
    "сказал",
    "北京",
    "东京",
    "مرحبا",
    "שלום",
    "नमस्ते",
    "İstanbul",
    "ﬁnance",
    "e\u0301te\u0301",
]
_NAMES = ["Jane Porter", "Mr. Smith", "Dr. Ann Lee", "O’Neill", "the mayor", "she", "he", "they", "U.S."]
_CUES = ["said", "says", "told reporters", "added", "according to", "asked", "wrote", "warned"]
_FURNITURE = [
    "Advertisement",
    "Share this article",
    "[ Related story Opens in new window ]",
    "By Ellen Fraser, Health Correspondent",
    "Photograph: Getty Images",
    "Share this withEmailFacebookCopy this link",
    "Media playback is not supported on this device",
    "(CNN) -",
]
_PUNCT = [".", ",", "!", "?", "…", "...", ":", ";", " — ", "(", ")", "-", "%", "3.5", "Jan.", "No."]
_CONTROL = [
    "\x00",
    "\x0b",
    "\x0c",
    "\r",
    "\r\n",
    "\x1c",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "\t",
]

_word = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from(_WORDS).map(str.capitalize),
    st.sampled_from(_FOREIGN),
    st.text(min_size=1, max_size=6),
)
_quote_body = st.lists(st.one_of(_word, st.sampled_from(_PUNCT)), max_size=12).map(" ".join)


@st.composite
def _quote(draw: st.DrawFn) -> str:
    """A quote: a pair of marks (any two, so also unbalanced) around an empty, short, nested or
    very long body."""
    open_mark, close_mark = draw(st.sampled_from(MARKS)), draw(st.sampled_from(MARKS))
    body = draw(
        st.one_of(
            st.just(""),
            st.sampled_from(MARKS),
            _quote_body,
            st.builds(
                lambda a, m, b, n: f"{a} {m}{b}{n}",
                _quote_body,
                st.sampled_from(MARKS),
                _quote_body,
                st.sampled_from(MARKS),
            ),
            st.builds(lambda w, n: (w + " ") * n, _word, st.integers(50, 400)),
        )
    )
    return f"{open_mark}{body}{close_mark}"


_mark_run = st.lists(st.sampled_from([*MARKS, " "]), min_size=1, max_size=12).map("".join)
_piece = st.one_of(
    _word,
    _word,
    _word,
    _quote(),
    _mark_run,
    st.sampled_from(_NAMES),
    st.sampled_from(_CUES),
    st.sampled_from(_PUNCT),
    st.sampled_from(_CONTROL),
)


@st.composite
def _line(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(_FURNITURE))
    return " ".join(draw(st.lists(_piece, min_size=0, max_size=30)))


_CASE: list[Callable[[str], str]] = [lambda s: s, str.lower, str.upper, str.swapcase, str.title]
_BREAKS = ["\n", "\n\n", "\n\n\n", " ", "", "\r\n", "\n \n"]


@st.composite
def articles(draw: st.DrawFn, max_lines: int = 12) -> str:
    """An article-like text: lines of prose, quotes and furniture joined by single, doubled or lost
    line breaks, then maybe case-changed as a whole."""
    lines = draw(st.lists(_line(), min_size=0, max_size=max_lines))
    out = ""
    for line in lines:
        out += line + draw(st.sampled_from(_BREAKS))
    return draw(st.sampled_from(_CASE))(out)


Clock = Callable[[], float]


def _cpu(run: Callable[[str], object], text: str, calls: int, clock: Clock = time.process_time) -> float:
    t = clock()
    for _ in range(calls):
        run(text)
    return clock() - t


def _pair_ratio(
    run: Callable[[str], object], small: str, large: str, repeats: int, calls: int, clock: Clock
) -> float:
    """Best CPU time on ``large`` over best on ``small``, the runs interleaved so that both sizes
    see the same load from other processes."""
    best_small = best_large = float("inf")
    for _ in range(repeats):
        best_small = min(best_small, _cpu(run, small, calls, clock))
        best_large = min(best_large, _cpu(run, large, calls, clock))
    return best_large / max(best_small, 1e-4)


def doubling_ratio(
    make: Callable[[int], str],
    run: Callable[[str], object],
    n: int,
    repeats: int = 5,
    bound: float = 3.0,
    clock: Clock = time.process_time,
) -> float:
    """CPU time on the input of size 2n over the time on size n, each the best of ``repeats``.

    Linear work gives about 2, quadratic about 4. CPU time of this process (torch computes on
    several threads), the best of interleaved runs, and up to three tries while the ratio exceeds
    ``bound`` keep other processes on the host out of the figure: noise does not repeat, a
    quadratic loop does. No wall-clock limit anywhere. Pure-Python engines pass
    ``clock=time.thread_time``, so that threads other tests left running in this process are not
    counted.
    """
    small, large = make(n), make(2 * n)
    run(small)  # warm caches and lazy imports
    # The cyclic collector is off while timing, as timeit does: late in a long test run the heap is
    # large, and a full collection that the bigger input happens to trigger would be counted as
    # the engine's work.
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        # Enough calls per sample that the small one takes 50 ms: short samples are mostly jitter.
        calls = max(1, min(20, math.ceil(0.05 / max(_cpu(run, small, 1, clock), 1e-4))))
        ratio = float("inf")
        for _ in range(3):
            ratio = min(ratio, _pair_ratio(run, small, large, repeats, calls, clock))
            if ratio < bound:
                break
    finally:
        if enabled:
            gc.enable()
    return ratio
