"""Everything Dagster loads: `dagster dev` (workspace.yaml) and `make run` use these definitions.

Settings are checked here only where Dagster reads them when the definitions load (the schedule's
cron, the sensor's interval); everything else is a dg.EnvVar on the resource, checked at run start.
"""
from __future__ import annotations

import dagster as dg

from orchestration import settings as st
from orchestration.assets.analytics import analytics_views, published
from orchestration.assets.core import articles, figures, nlp_extract
from orchestration.assets.raw import raw_ingest, raw_rejected
from orchestration.assets.ref import ref_tables
from orchestration.assets.report import report
from orchestration.automation import build_inbox_sensor, build_schedule, record_run_failures, warehouse_job
from orchestration.checks import CHECKS
from orchestration.warehouse import resource_from_env

st.apply_defaults()


def build_definitions(**resource_overrides) -> dg.Definitions:
    return dg.Definitions(
        assets=[ref_tables, raw_ingest, raw_rejected, articles, nlp_extract, figures, analytics_views, published,
                report],
        asset_checks=CHECKS,
        jobs=[warehouse_job],
        schedules=[build_schedule()],
        sensors=[build_inbox_sensor(), record_run_failures],
        resources={"warehouse": resource_from_env(**resource_overrides)},
    )


defs = build_definitions()
