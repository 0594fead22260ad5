"""report.html beside the warehouse file."""

import dagster as dg

from orchestration.assets.analytics import PUBLISHED
from orchestration.warehouse import WarehouseResource

REPORT = dg.AssetKey(["report", "html"])


@dg.asset(key=REPORT, deps=[PUBLISHED], group_name="publish", kinds={"html"},
          description="placeholder")
def report(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"path": warehouse.report_path})
