"""apcompliance: a Trust's Alternative Provision policy as executable, cited rules.

from apcompliance import Case, SchoolCalendar, evaluate
result = evaluate(case, as_of=date(2026, 1, 20), calendar=SchoolCalendar.from_yaml(path))
for f in result.violations:
    print(f.clause, f.due, f.says)
"""

from apcompliance.calendar.school_calendar import SchoolCalendar
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
from apcompliance.evaluation.cohort import CaseResult, CohortSummary, evaluate_many
from apcompliance.evaluation.evaluator import Evaluator, evaluate
from apcompliance.facts import Case
from apcompliance.outputs.drift import DriftRecord, DriftReport, policy_drift
from apcompliance.policy.settings import PolicySettings
from apcompliance.results.assessment import Assessment
from apcompliance.results.findings import Citation, Explanation, Finding

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
