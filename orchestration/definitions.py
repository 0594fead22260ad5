"""Everything Dagster loads: `dagster dev` (workspace.yaml) and `make run` use these definitions."""
from __future__ import annotations

import dagster as dg

from orchestration.assets.analytics import analytics_views, published
from orchestration.assets.core import articles, nlp_extract
from orchestration.assets.raw import raw_ingest
from orchestration.assets.ref import ref_tables
from orchestration.assets.report import report
from orchestration.automation import hourly_schedule, inbox_sensor, record_run_failures, warehouse_job
from orchestration.checks import CHECKS
from orchestration.warehouse import resource_from_env


def build_definitions(**resource_overrides) -> dg.Definitions:
    return dg.Definitions(
        assets=[ref_tables, raw_ingest, articles, nlp_extract, analytics_views, published, report],
        asset_checks=CHECKS,
        jobs=[warehouse_job],
        schedules=[hourly_schedule],
        sensors=[inbox_sensor, record_run_failures],
        resources={"warehouse": resource_from_env(**resource_overrides)},
    )


defs = build_definitions()
