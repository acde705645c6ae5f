"""apcompliance: a Trust's Alternative Provision policy as executable, cited rules.

from apcompliance import Case, SchoolCalendar, evaluate
result = evaluate(case, as_of=date(2026, 1, 20), calendar=SchoolCalendar.from_yaml(path))
for f in result.violations:
    print(f.clause, f.due, f.says)
"""

from typing import TYPE_CHECKING

from apcompliance.errors import (
    ApComplianceError,
    CalendarError,
    CaseError,
    EngineError,
    EngineUnavailableError,
    MissingExtraError,
    NotUtf8Error,
    PolicyIndexError,
    RuleFileError,
    UnknownRuleError,
)
from apcompliance.lazyexports import lazy_exports

if TYPE_CHECKING:
    from apcompliance.calendar.school_calendar import SchoolCalendar
    from apcompliance.evaluation.cohort import CaseResult, CohortSummary, evaluate_many
    from apcompliance.evaluation.evaluator import Evaluator, evaluate
    from apcompliance.facts import Case
    from apcompliance.outputs.drift import DriftRecord, DriftReport, policy_drift
    from apcompliance.policy.settings import PolicySettings
    from apcompliance.results.assessment import Assessment
    from apcompliance.results.findings import Citation, Explanation, Finding

_LAZY = {
    "SchoolCalendar": "apcompliance.calendar.school_calendar",
    "CaseResult": "apcompliance.evaluation.cohort",
    "CohortSummary": "apcompliance.evaluation.cohort",
    "evaluate_many": "apcompliance.evaluation.cohort",
    "Evaluator": "apcompliance.evaluation.evaluator",
    "evaluate": "apcompliance.evaluation.evaluator",
    "Case": "apcompliance.facts",
    "DriftRecord": "apcompliance.outputs.drift",
    "DriftReport": "apcompliance.outputs.drift",
    "policy_drift": "apcompliance.outputs.drift",
    "PolicySettings": "apcompliance.policy.settings",
    "Assessment": "apcompliance.results.assessment",
    "Citation": "apcompliance.results.findings",
    "Explanation": "apcompliance.results.findings",
    "Finding": "apcompliance.results.findings",
}
"""Where each name of the API is defined: imported on first use, so that a command (or
`import apcompliance.errors`) loads only the modules it needs."""


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)

__version__ = "0.1.0"

__all__ = [
    "ApComplianceError",
    "Assessment",
    "CalendarError",
    "Case",
    "CaseError",
    "CaseResult",
    "Citation",
    "CohortSummary",
    "DriftRecord",
    "DriftReport",
    "EngineError",
    "EngineUnavailableError",
    "Evaluator",
    "Explanation",
    "Finding",
    "MissingExtraError",
    "NotUtf8Error",
    "PolicyIndexError",
    "PolicySettings",
    "RuleFileError",
    "SchoolCalendar",
    "UnknownRuleError",
    "evaluate",
    "evaluate_many",
    "policy_drift",
]
