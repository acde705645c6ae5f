"""Cases from school-system exports: CSV files whose columns are the DfE school census's data
items (pupils, exclusions, AP placements, the attendance register), with one simple CSV per
event kind the census has no item for (docs/importing.md).

`read_export(paths, key=...)` gives one valid `Case` per pupil and a summary of what every row
became; `write_templates(folder)` writes every file's header with one example row.
"""

from typing import TYPE_CHECKING

from apcompliance.lazyexports import lazy_exports

if TYPE_CHECKING:
    from apcompliance.importing.reader import ImportResult, ImportSummary, read_export
    from apcompliance.importing.templates import write_templates

__all__ = ["ImportResult", "ImportSummary", "read_export", "write_templates"]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "ImportResult": "apcompliance.importing.reader",
        "ImportSummary": "apcompliance.importing.reader",
        "read_export": "apcompliance.importing.reader",
        "write_templates": "apcompliance.importing.templates",
    },
)
