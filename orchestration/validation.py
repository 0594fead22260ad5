"""Great Expectations 1.x validation in a pre-warmed worker process.

Importing great_expectations costs about five seconds of CPU. The run starts one worker process
when it begins (WarehouseResource.yield_for_execution); it imports GX on the other core while the
run ingests, cleans and runs NLP, so the GX checks find it ready. Suites are plain data
(expectation class name + kwargs) so they cross the process boundary.
"""
from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

Suite = list[tuple[str, dict[str, Any]]]


def _import_gx() -> None:
    import great_expectations  # noqa: F401  (the point is the import)
    import pandas  # noqa: F401


def _warm() -> bool:
    return True


def validate_frame(name: str, table, suite: Suite) -> dict:
    """Validate an Arrow table (as a pandas frame) with an ephemeral GX context; returns GX's result
    as plain data. The conversion happens here so the run process never imports pandas for it."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas(f"{name}_source")
    batch_def = source.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe(f"{name}_batch")
    gx_suite = context.suites.add(gx.ExpectationSuite(
        name=name, expectations=[getattr(gx.expectations, cls)(**kwargs) for cls, kwargs in suite]))
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{name}_validation", data=batch_def, suite=gx_suite))
    frame = table.to_pandas() if hasattr(table, "to_pandas") else table
    result = validation.run(batch_parameters={"dataframe": frame})
    return {
        "success": bool(result.success),
        "statistics": {k: (float(v) if v is not None else None) for k, v in result.statistics.items()},
        "results": [{
            "expectation": r.expectation_config.type,
            "column": r.expectation_config.kwargs.get("column", r.expectation_config.kwargs.get("column_A", "")),
            "success": bool(r.success),
            "unexpected_count": r.result.get("unexpected_count"),
            "partial_unexpected_list": [str(v) for v in (r.result.get("partial_unexpected_list") or [])[:5]],
        } for r in result.results],
    }


_PREWARMED: "GXWorker | None" = None


def prewarm() -> "GXWorker":
    """Start the process-wide worker now (the CLI calls this before importing Dagster)."""
    global _PREWARMED
    if _PREWARMED is None:
        _PREWARMED = GXWorker()
        _PREWARMED.start()
    return _PREWARMED


def take_prewarmed() -> "GXWorker | None":
    global _PREWARMED
    worker, _PREWARMED = _PREWARMED, None
    return worker


class GXWorker:
    """One spawned process that imports GX at start and validates frames on request."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._ready: Future | None = None

    def start(self) -> None:
        if self._pool is None:
            # spawn, not fork: the run process holds DuckDB connections and threads
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn"),
                                             initializer=_import_gx)
            self._ready = self._pool.submit(_warm)

    def validate(self, name: str, frame, suite: Suite) -> dict:
        if self._pool is None:
            return validate_frame(name, frame, suite)  # no warm worker (e.g. a check run on its own)
        return self._pool.submit(validate_frame, name, frame, suite).result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
