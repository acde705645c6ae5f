"""A cohort assessed on Spark: one row per finding, with `mapInPandas` (docs/scale.md).

    spark-submit examples/spark_findings.py cohort.jsonl calendar.yaml 2026-06-15 findings/

Each partition of the JSON Lines file is assessed by `evaluate_many` in a Python worker of
Spark, which builds its own evaluator (once per worker process) and returns the findings as
rows: the columns of `Assessment.rows()` (`FRAME_COLUMNS`, as the CSV export writes them) and
the line of the case, plus one row for each line that could not be assessed, with its
`error`. The rows are written as Parquet. Every Spark worker needs apcompliance, pandas and
pyarrow, and the calendar file at the same path (or pass its text instead).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pandas as pd

from apcompliance import SchoolCalendar
from apcompliance.evaluation.cohort import evaluate_many
from apcompliance.results.assessment import FRAME_COLUMNS

COLUMNS = ("line", *FRAME_COLUMNS, "error")
"""The columns of the finding rows: the line of the case, the CSV export's, and the error."""
SCHEMA = ", ".join(
    f"{c} {'long' if c == 'line' else 'boolean' if c == 'is_violation' else 'string'}"
    for c in COLUMNS
)


def _value(value: object) -> Any:
    """A row's value as the schema's: a date or date-time as ISO 8601 text, the rest as is
    (text, a boolean, or None)."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def finding_rows(cases: pd.DataFrame, *, as_of: date, calendar: SchoolCalendar) -> pd.DataFrame:
    """The findings of the cases (columns `line` and `value`, the JSON text) as rows."""
    rows: list[dict[str, Any]] = []
    pairs = zip(cases["line"].tolist(), cases["value"].tolist(), strict=True)
    for result in evaluate_many(pairs, as_of=as_of, calendar=calendar):
        if result.assessment is None:
            rows.append({"line": result.line, "case_id": result.case_id, "error": result.error})
            continue
        for row in result.assessment.rows():
            rows.append({"line": result.line, **{c: _value(v) for c, v in row.items()}})
    # plain Python objects: Spark converts them by its schema (pandas 3's own string columns
    # are not what Spark's Arrow conversion takes)
    return pd.DataFrame(rows, columns=list(COLUMNS), dtype=object)


def main(cohort: str, calendar_file: str, as_of: str, out: str) -> None:
    from pyspark.sql import SparkSession

    day = date.fromisoformat(as_of)
    spark = SparkSession.builder.appName("apcompliance").getOrCreate()
    lines = (
        spark.sparkContext.textFile(cohort)
        .zipWithIndex()  # the line numbers, from 1, for the errors
        .map(lambda pair: (pair[1] + 1, pair[0]))
        .filter(lambda pair: pair[1].strip() != "")
    )
    cases = spark.createDataFrame(lines, "line long, value string")

    def assess(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        calendar = SchoolCalendar.from_file(calendar_file)  # once per partition
        for batch in batches:
            yield finding_rows(batch, as_of=day, calendar=calendar)

    findings = cases.mapInPandas(assess, schema=SCHEMA)
    findings.write.mode("overwrite").parquet(out)
    violations = findings.filter("is_violation").groupBy("section").count().orderBy("section")
    violations.show()
    spark.stop()


if __name__ == "__main__":
    main(*sys.argv[1:5])
