"""Pseudonymised output, for sharing an assessment outside the school (a Trust's data team, a
local authority): the case id is replaced by a keyed pseudonym that only the holder of the key
can link back. Assessments never hold names or dates of birth in the first place.
"""

from __future__ import annotations

import hashlib
import hmac

from apcompliance.results.assessment import Assessment

PREFIX = "p-"


def pseudonym(case_id: str, key: bytes) -> str:
    """A stable pseudonym for a case id under a secret key (HMAC-SHA256, 16 hex digits)."""
    if len(key) < 16:
        raise ValueError("a pseudonymisation key needs at least 16 bytes")
    digest = hmac.new(key, case_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return PREFIX + digest[:16]


def pseudonymise(assessment: Assessment, key: bytes) -> Assessment:
    """The assessment with its case id replaced by its pseudonym, and without its trace (the
    derived facts kept for `why_not`: not for sharing)."""
    return assessment.model_copy(
        update={"case_id": pseudonym(assessment.case_id, key), "trace": None}
    )
