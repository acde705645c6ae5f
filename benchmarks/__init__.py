"""Benchmarks of apcompliance: a seeded cohort generator (`benchmarks.cohort`) and a runner
(`benchmarks.run`). Not part of the installed package; run from the repository root."""
