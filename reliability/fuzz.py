"""Schema-driven fuzzing with schemathesis against the service's own OpenAPI document.

Each operation gets ``per_operation`` generated cases (valid and invalid bodies); each response must
not be a 5xx and must conform to the documented schema, status codes and content types. Cases are
counted here rather than trusted from a summary, so the figure in the report is what really ran.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

#: The checks that define "no 5xx and no response that violates the schema".
CHECK_NAMES = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)


@dataclass
class FuzzReport:
    """Cases run and failures found, per operation."""

    cases: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    #: "METHOD path → status: failure title" → how many cases showed it.
    failures: Counter[str] = field(default_factory=Counter)
    #: One curl-style reproduction per failure key (schemathesis's own text, trimmed).
    examples: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Cases run over all operations."""
        return sum(self.cases.values())

    @property
    def server_errors(self) -> int:
        """Responses with a 5xx status."""
        return sum(n for s, n in self.statuses.items() if s >= 500)


def _checks() -> list[Any]:
    import schemathesis.checks as c

    return [getattr(c, name) for name in CHECK_NAMES]


def run(
    schema: Any, per_operation: int, seed: int = 1, call_kwargs: dict[str, Any] | None = None
) -> FuzzReport:
    """Fuzz every operation of ``schema`` (a loaded schemathesis schema)."""
    report = FuzzReport()
    checks = _checks()
    kwargs = call_kwargs or {}
    for result in schema.get_all_operations():
        operation = result.ok()
        _fuzz_operation(
            operation,
            f"{operation.method.upper()} {operation.path}",
            per_operation,
            seed,
            checks,
            kwargs=kwargs,
            report=report,
        )
    return report


def _fuzz_operation(
    operation: Any,
    label: str,
    per_operation: int,
    seed: int,
    checks: list[Any],
    *,
    kwargs: dict[str, Any],
    report: FuzzReport,
) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed
    from schemathesis.core.failures import FailureGroup

    @hseed(seed)
    @settings(
        max_examples=per_operation,
        deadline=None,
        database=None,
        derandomize=False,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def test(case: Any) -> None:
        report.cases[label] += 1
        response = case.call(**kwargs)
        report.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=checks)
        except (AssertionError, FailureGroup) as exc:  # one failure, or a group of them
            inner = exc.exceptions if isinstance(exc, FailureGroup) else [exc]
            for failure in inner:
                key = f"{label} → {response.status_code}: {getattr(failure, 'title', type(failure).__name__)}"
                report.failures[key] += 1
                report.examples.setdefault(key, _first_line(exc))

    test()


def _first_line(exc: BaseException) -> str:
    """The failure's headline (e.g. "Undocumented status code: Received: 422 Documented: 200, 400")."""
    text = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    return text[:600]
