"""Cases from school-system exports: CSV files whose columns are the DfE school census's data
items (pupils, exclusions, AP placements, the attendance register), with one simple CSV per
event kind the census has no item for (docs/importing.md).

`read_export(paths, key=...)` gives one valid `Case` per pupil and a summary of what every row
became; `write_templates(folder)` writes every file's header with one example row.
"""

from apcompliance.importing.reader import ImportResult, ImportSummary, read_export
from apcompliance.importing.templates import write_templates

__all__ = ["ImportResult", "ImportSummary", "read_export", "write_templates"]
