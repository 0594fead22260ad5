"""A helper process, started when a run begins, for the work that needs slow imports.

Great Expectations (~5 s to import) and then Altair with pandas (~1.5 s) are imported by this
process on the other core while the run process starts Dagster, ingests, cleans and runs spaCy;
the GX checks and the report find them ready. Everything crossing the process boundary is plain
data: Arrow tables, strings, dicts. A run that needs neither stops it at once.

Why it stays (make bench, 2 cores): a fresh BBC build takes 57.4 s with it and 61.7 s without, one new
article 6.3 s against 14.6 s; a quiet run costs the same (2.5 s against 2.7 s).
"""
from __future__ import annotations

import contextlib
import multiprocessing as mp
import traceback
from typing import Any

Suite = list[tuple[str, dict[str, Any]]]


def _serve(conn) -> None:
    """The helper's loop: warm the imports, then run (job name, args) requests until the pipe closes."""
    for module in ("great_expectations", "pandas", "altair"):
        with contextlib.suppress(Exception):  # each job imports (and reports) what it needs again
            __import__(module)
    jobs = {"validate": validate_frame, "render_report": render_report}
    while True:
        try:
            name, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send((True, jobs[name](*args)))
        except BaseException:
            conn.send((False, traceback.format_exc()))


# ------------------------------------------------------------------ the jobs (run in the helper)
def validate_frame(name: str, table, suite: Suite) -> dict:
    """Validate an Arrow table (as a pandas frame) with an ephemeral GX context; GX's result as plain data."""
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
            "observed": str(r.result.get("observed_value", ""))[:80],
            "partial_unexpected_list": [str(v) for v in (r.result.get("partial_unexpected_list") or [])[:5]],
        } for r in result.results],
    }


def render_report(payload: dict, bundle_cache_dir: str | None) -> tuple[str, int, list[str]]:
    from report.render import ReportData
    from report.render import render_report as render

    rendered = render(ReportData(**payload), bundle_cache_dir=bundle_cache_dir)
    return rendered.html, rendered.n_charts, list(rendered.notes)


# ------------------------------------------------------------------ the handle (run process)
class SideWorker:
    """One spawned helper process; jobs run there, or in this process when it was not started."""

    def __init__(self) -> None:
        self._proc = None
        self._conn = None
        self._used = False

    def start(self) -> None:
        if self._proc is None:
            # spawn, not fork: the run process holds DuckDB connections and threads
            ctx = mp.get_context("spawn")
            self._conn, child = ctx.Pipe()
            self._proc = ctx.Process(target=_serve, args=(child,), name="news-warehouse-helper", daemon=True)
            self._proc.start()
            child.close()

    def _call(self, name: str, fn, *args):
        if self._proc is None:
            return fn(*args)
        self._used = True
        try:
            self._conn.send((name, args))
            ok, value = self._conn.recv()
        except (EOFError, OSError) as exc:
            raise RuntimeError(f"the helper process died (exit code {self._proc.exitcode})") from exc
        if not ok:
            raise RuntimeError(f"the helper process failed:\n{value}")
        return value

    def validate(self, name: str, table, suite: Suite) -> dict:
        return self._call("validate", validate_frame, name, table, suite)

    def render_report(self, payload: dict, bundle_cache_dir: str | None) -> tuple[str, int, list[str]]:
        return self._call("render_report", render_report, payload, bundle_cache_dir)

    def close(self) -> None:
        """An idle helper exits when its pipe closes (and cleans up after itself); one that was never
        used is stopped at once, even mid-import, so a run that needed nothing from it does not wait."""
        if self._proc is not None:
            self._conn.close()
            if self._used:
                self._proc.join(timeout=10)
            if self._proc.is_alive():
                self._proc.terminate()
            self._proc.join(timeout=5)
            self._proc = None


_PREWARMED: SideWorker | None = None


def prewarm() -> SideWorker:
    """Start the process-wide helper now (the CLI calls this before importing Dagster)."""
    global _PREWARMED
    if _PREWARMED is None:
        _PREWARMED = SideWorker()
        _PREWARMED.start()
    return _PREWARMED


def take_prewarmed() -> SideWorker | None:
    global _PREWARMED
    worker, _PREWARMED = _PREWARMED, None
    return worker
