"""Pseudonymised output, for sharing an assessment outside the school (a Trust's data team, a
local authority): the case id is replaced by a keyed pseudonym that only the holder of the key
can link back. Assessments never hold names or dates of birth in the first place.
"""

from __future__ import annotations

import dataclasses

from apcompliance.evaluation.cohort import CaseResult
from apcompliance.importing.pseudonym import PREFIX, pseudonym
from apcompliance.results.assessment import Assessment

__all__ = ["PREFIX", "pseudonym", "pseudonymise", "pseudonymise_result"]


def pseudonymise(assessment: Assessment, key: bytes) -> Assessment:
    """The assessment with its case id replaced by its pseudonym, and without its trace (the
    derived facts kept for `why_not`: not for sharing)."""
    return assessment.model_copy(
        update={"case_id": pseudonym(assessment.case_id, key), "trace": None}
    )


def pseudonymise_result(result: CaseResult, key: bytes) -> CaseResult:
    """A cohort's result with the case id replaced by its pseudonym everywhere: its
    `case_id`, its assessment, and its error message (where every occurrence of the case id
    is replaced, the `case ... (line n)` label included). `rendered` is left as it is: render
    the pseudonymised assessment (`outputs.exports`)."""
    real = result.case_id
    if real is None:
        return result
    alias = pseudonym(real, key)
    error = result.error
    if error is not None and error.startswith(result.label):
        rest = error.removeprefix(result.label).replace(real, alias)
        error = CaseResult(result.line, alias).label + rest
    elif error is not None:
        error = error.replace(real, alias)
    assessment = result.assessment
    return dataclasses.replace(
        result,
        case_id=alias,
        assessment=pseudonymise(assessment, key) if assessment is not None else None,
        error=error,
    )
