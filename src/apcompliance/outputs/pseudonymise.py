"""Pseudonymised output, for sharing an assessment outside the school (a Trust's data team, a
local authority): the case id is replaced by a keyed pseudonym that only the holder of the key
can link back. Assessments never hold names or dates of birth in the first place.
"""

from __future__ import annotations

from apcompliance.importing.pseudonym import PREFIX, pseudonym
from apcompliance.results.assessment import Assessment

__all__ = ["PREFIX", "pseudonym", "pseudonymise"]


def pseudonymise(assessment: Assessment, key: bytes) -> Assessment:
    """The assessment with its case id replaced by its pseudonym, and without its trace (the
    derived facts kept for `why_not`: not for sharing)."""
    return assessment.model_copy(
        update={"case_id": pseudonym(assessment.case_id, key), "trace": None}
    )
