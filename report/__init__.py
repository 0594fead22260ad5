"""report.html from query results: Jinja2 template, CSS and Altair chart builders. No Dagster, no database.

`report.render.render_report(ReportData(...))` builds the page; `report.stamp` identifies a rendered
page without importing Altair or polars (the asset checks whether the report is current with it).
"""
