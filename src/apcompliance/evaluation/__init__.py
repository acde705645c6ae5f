"""Evaluation: a case's facts derived for the rules (`derive`), deadlines and recurring windows
on the calendar (`deadlines`, `cadence`), the judge that dates and grades what the rules found
(`judge`), the `Evaluator` that runs the steps, and cohorts (`cohort`)."""
