"""The law the statutory rules quote: a small committed extract of the regulations' text.

`data/statutes.yaml` holds the passages (citation, the school type they bind, source address,
how the words were checked, and the text). A statutory rule (`tier: statutory`) quotes a
passage's words for each school type; the rule loader checks them here, as it checks a policy
rule's words against the policy (`document.Policy.quotes`).
"""

from __future__ import annotations

import functools
from importlib.resources import files
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from apcompliance import textfiles
from apcompliance.errors import PolicyIndexError
from apcompliance.policy.document import normalise_space

SchoolType = Literal["academy", "maintained"]
"""Which regulations bind the school: an academy (SI 2012/1033 Part 4) or a maintained school
(Part 2)."""
SCHOOL_TYPES: tuple[SchoolType, ...] = ("academy", "maintained")
_RESOURCE = "data/statutes.yaml"


class Passage(BaseModel):
    """One provision of the law, as the extract holds it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    cite: str
    applies_to: SchoolType
    heading: str
    url: str
    checked: Literal["text", "amended", "unverified"]
    """How the words were checked against the legislation (see the extract's header)."""
    checked_at: str
    text: str

    def quotes(self, says: str) -> bool:
        """Whether `says` is found word for word in the passage (whitespace may differ)."""
        return normalise_space(says) in normalise_space(self.text)


class Statutes(BaseModel):
    """The extract: its title and passages, by citation."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str
    passages: tuple[Passage, ...]

    def passage(self, cite: str) -> Passage | None:
        return next((p for p in self.passages if p.cite == cite), None)


@functools.cache
def load_statutes() -> Statutes:
    """The bundled extract of the law (`data/statutes.yaml`)."""
    text = files("apcompliance").joinpath(_RESOURCE).read_text(encoding="utf-8")
    try:
        statutes = Statutes.model_validate(textfiles.parse_yaml(text))
    except (textfiles.YamlError, ValidationError) as exc:
        raise PolicyIndexError(f"{_RESOURCE}: not a valid extract of the law: {exc}") from None
    cites = [p.cite for p in statutes.passages]
    if len(set(cites)) != len(cites):
        raise PolicyIndexError(f"{_RESOURCE}: a citation is given twice")
    return statutes


__all__ = ["SCHOOL_TYPES", "Passage", "SchoolType", "Statutes", "load_statutes"]
