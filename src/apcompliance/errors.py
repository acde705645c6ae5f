"""The errors apcompliance raises. Each names the field, file, rule, clause or date at fault.

Messages never carry pupil data: at most the case's own id.
"""

from __future__ import annotations


class ApComplianceError(Exception):
    """Base class of every error this library raises on purpose."""


class CalendarError(ApComplianceError, ValueError):
    """A calendar is malformed, or a date falls outside the terms it covers."""


class PolicyIndexError(ApComplianceError, LookupError):
    """A clause id does not exist in the policy, or the policy text cannot be indexed."""


class RuleFileError(ApComplianceError, ValueError):
    """A rule file is malformed: names the file and, where known, the rule."""

    def __init__(self, file: str, message: str, rule: str | None = None) -> None:
        self.file = file
        self.rule = rule
        where = f"{file}, rule {rule!r}" if rule else file
        super().__init__(f"{where}: {message}")


class CaseError(ApComplianceError, ValueError):
    """A case's facts are inconsistent in a way the models alone cannot catch."""

    def __init__(self, case_id: str, message: str) -> None:
        self.case_id = case_id
        super().__init__(f"case {case_id}: {message}")


class EngineError(ApComplianceError, RuntimeError):
    """The rule engine failed while evaluating a case (names the case and rule)."""


class EngineUnavailableError(ApComplianceError, ImportError):
    """durable-rules cannot be imported on this interpreter (e.g. CPython 3.13+)."""


class UnknownRuleError(ApComplianceError, LookupError):
    """A rule id is not in the rule book an assessment was made with."""


class MissingExtraError(ApComplianceError, ImportError):
    """An optional dependency is not installed; the message says which extra provides it."""


class ExportFileError(ApComplianceError, ValueError):
    """A school-system export cannot be imported: each problem names the file, the row and
    the column (never the cell's value: an export holds personal data)."""

    def __init__(self, problems: list[str], more: int = 0) -> None:
        self.problems = problems
        tail = [f"... and {more} more problem(s)"] if more else []
        count = len(problems) + more
        super().__init__(
            f"the export cannot be imported ({count} problem(s)):\n  "
            + "\n  ".join([*problems, *tail])
        )


class NotUtf8Error(ApComplianceError, ValueError):
    """A text file holds bytes that are not UTF-8: names the file, the byte offset (from 0) and
    the line of the first such byte, never the bytes (the file may hold a pupil's data).

    `reason` is the message without the file's name, for an error that names it its own way.
    """

    def __init__(self, file: str, offset: int, line: int) -> None:
        self.file = file
        self.offset = offset
        self.line = line
        self.reason = (
            f"not UTF-8 text: the byte at offset {offset} (line {line}) is not UTF-8; "
            "save the file as UTF-8"
        )
        super().__init__(f"{file}: {self.reason}")


class DuplicateKeyError(ApComplianceError, ValueError):
    """A JSON object gives one key twice (JSON parsers keep the last, silently): names the
    key's path (`events.2.first_day`), never a value. `path` is that path."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"{path}: duplicate key (given twice in one object; remove one: which to keep "
            "cannot be guessed)"
        )
