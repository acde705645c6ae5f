"""A cohort assessed on a cluster: `check-many --dask SCHEDULER` (docs/scale.md).

    with dask_executor("tcp://scheduler:8786") as (executor, in_flight):
        for result in evaluate_many(cases, ..., executor=executor, in_flight=in_flight):
            ...

Each Dask worker builds its own evaluator from the rule book the first time a batch reaches
it (`evaluate_many(..., executor=...)`) and keeps it for the next; the workers need the same
version of apcompliance as the caller. Needs the optional extra `apcompliance[dask]`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager

from apcompliance.errors import ApComplianceError, MissingExtraError

__all__ = ["DASK_CONNECT_TIMEOUT", "dask_executor"]

DASK_CONNECT_TIMEOUT = 10.0
"""Seconds to wait for the Dask scheduler before giving up."""


@contextmanager
def dask_executor(address: str) -> Iterator[tuple[Executor, int]]:
    """An executor on the Dask cluster whose scheduler is at `address`, and the batches to
    keep in flight (twice the cluster's worker threads); the connection is closed at the end.
    `MissingExtraError` where Dask's `distributed` is not installed; `ApComplianceError`
    naming the address where the scheduler cannot be reached."""
    try:
        distributed = importlib.import_module("distributed")
    except ImportError:
        raise MissingExtraError(
            "--dask needs apcompliance[dask] (Dask's distributed, an optional extra): "
            "pip install 'apcompliance[dask]'"
        ) from None
    try:
        client = distributed.Client(address, timeout=DASK_CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:  # OSError, TimeoutError, ValueError (an address it cannot read)
        raise ApComplianceError(
            f"cannot connect to the Dask scheduler at {address} ({type(exc).__name__}: {exc})"
        ) from None
    try:
        threads = sum(client.nthreads().values())
        yield client.get_executor(pure=False), 2 * max(threads, 1)
    finally:
        client.close()
