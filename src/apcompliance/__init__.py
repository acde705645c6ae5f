"""apcompliance: a Trust's Alternative Provision policy as executable, cited rules.

from apcompliance import Case, SchoolCalendar, evaluate
result = evaluate(case, as_of=date(2026, 1, 20), calendar=SchoolCalendar.from_yaml(path))
for f in result.violations:
    print(f.clause, f.due, f.says)
"""

from apcompliance.assessment import Assessment
from apcompliance.calendar import SchoolCalendar
from apcompliance.cohort import CaseResult, CohortSummary, evaluate_many
from apcompliance.errors import (
    ApComplianceError,
    CalendarError,
    CaseError,
    EngineError,
    EngineUnavailableError,
    MissingExtraError,
    PolicyIndexError,
    RuleFileError,
    UnknownRuleError,
)
from apcompliance.evaluate import Evaluator, evaluate
from apcompliance.facts import Case
from apcompliance.findings import Citation, Explanation, Finding
from apcompliance.settings import PolicySettings

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
    "EngineError",
    "EngineUnavailableError",
    "Evaluator",
    "Explanation",
    "Finding",
    "MissingExtraError",
    "PolicyIndexError",
    "PolicySettings",
    "RuleFileError",
    "SchoolCalendar",
    "UnknownRuleError",
    "evaluate",
    "evaluate_many",
]
