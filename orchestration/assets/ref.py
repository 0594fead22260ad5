"""ref.*: the reviewed reference tables in seeds/*.csv and the official series in seeds/reference/*.csv.

A table is reloaded only when its file changed. The figure and clean stages read the seeds from
the files themselves (their versions hash them); these tables are the same data for SQL users,
and ref.series feeds analytics.figure_vs_reference.
"""

import csv
import datetime as dt
import hashlib
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl

from orchestration.meta import table_metadata
from orchestration.versions import code_version
from orchestration.warehouse import WarehouseResource, insert_rows, transaction, utcnow
from transforms.lexicon import SEEDS_DIR

SEED_TABLES = {
    "entity_aliases": ("entity_aliases.csv",
                       "Alias → canonical entity name and label; also the entity ruler's patterns."),
    "measure_vocabulary": ("measure_vocabulary.csv", "Words that decide a figure's measure (killed, injured, ...)."),
    "source_aliases": ("source_aliases.csv", "Attribution as written → canonical source (exact or regex)."),
    "subject_nouns": ("subject_nouns.csv", "Nouns counted by figures: people groups and things."),
    "nationalities": ("nationalities.csv", "Nationality adjective → plural subject (Israeli → Israelis)."),
    "outlet_aliases": ("outlet_aliases.csv", "Publication as written (or its web domain) → canonical outlet."),
    "places": ("places.csv", "Place as written → canonical place and its region (Rafah → Gaza)."),
    "population_groups": ("population_groups.csv", "Subject noun → population group (children, journalists, ...)."),
    "populations": ("populations.csv", "Group, region, nationality and measure → population; the first matching "
                                       "row wins."),
}
REFERENCE_DIR = SEEDS_DIR / "reference"
REF_SERIES = dg.AssetKey(["ref", "series"])
REF_KEYS = [dg.AssetKey(["ref", name]) for name in SEED_TABLES] + [REF_SERIES]
SERIES_SCHEMA = {"series": pl.String, "date": pl.Date, "measure": pl.String, "population": pl.String,
                 "value": pl.Float64, "source": pl.String, "url": pl.String, "file_name": pl.String}


class ReferenceError(ValueError):
    pass


def _sha(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def _files() -> dict[str, tuple[str, list[Path]]]:
    """ref table → (name recorded in ref.seed_files, the files it loads)."""
    out = {name: (file, [SEEDS_DIR / file]) for name, (file, _) in SEED_TABLES.items()}
    out["series"] = ("reference/*.csv", sorted(REFERENCE_DIR.glob("*.csv")))
    return out


def seeds_changed(conn: duckdb.DuckDBPyConnection) -> int:
    """How many ref tables are not loaded from their files' current content."""
    known = dict(conn.execute("SELECT file_name, sha256 FROM ref.seed_files").fetchall())
    return sum(1 for file, paths in _files().values() if known.get(file) != _sha(paths))


def read_series(paths: list[Path], measures: set[str], populations: set[str]) -> list[tuple]:
    """Rows of the reference files, or a ReferenceError naming the file, line and problem."""
    rows = []
    need = ("series", "date", "measure", "population", "value", "source")
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in need if c not in (reader.fieldnames or [])]
            if missing:
                raise ReferenceError(f"seeds/reference/{path.name} lacks the column(s) {', '.join(missing)}.")
            for n, r in enumerate(reader, start=2):
                where = f"seeds/reference/{path.name}, line {n}"
                try:
                    day = dt.date.fromisoformat(r["date"].strip())
                    value = float(r["value"])
                except ValueError:
                    raise ReferenceError(f"{where}: date {r['date']!r} or value {r['value']!r} is not "
                                         "YYYY-MM-DD or a number.") from None
                if r["measure"] not in measures:
                    raise ReferenceError(f"{where}: measure {r['measure']!r} is not in seeds/measure_vocabulary.csv.")
                if r["population"] not in populations:
                    raise ReferenceError(f"{where}: population {r['population']!r} is not in seeds/populations.csv.")
                rows.append((r["series"], day, r["measure"], r["population"], value, r["source"],
                             r.get("url") or None, path.name))
    return rows


@dg.multi_asset(
    specs=[dg.AssetSpec(dg.AssetKey(["ref", name]), description=f"{desc} Loaded from seeds/{file}.",
                        group_name="ref", kinds={"duckdb", "csv"}, skippable=True, code_version=code_version("ref"))
           for name, (file, desc) in SEED_TABLES.items()]
    + [dg.AssetSpec(REF_SERIES, group_name="ref", kinds={"duckdb", "csv"}, skippable=True,
                    code_version=code_version("ref"),
                    description="Official reference series (seeds/reference/*.csv; by default UN OCHA's flash "
                                "updates for 7-22 October 2023): one value per series, date, measure and "
                                "population. Add your own file in the same format (seeds/reference/README.md).")],
    pool="duckdb_writer",
)
def ref_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    now = utcnow()
    with warehouse.get_connection() as conn:
        known = dict(conn.execute("SELECT file_name, sha256 FROM ref.seed_files").fetchall())
        for name, (file, paths) in _files().items():
            sha = _sha(paths)
            changed = known.get(file) != sha
            with transaction(conn):
                if changed:
                    conn.execute(f"DELETE FROM ref.{name}")  # noqa: S608 -- table names are code constants
                    if name == "series":
                        measures = {r[0] for r in
                                    conn.execute("SELECT DISTINCT measure FROM ref.measure_vocabulary").fetchall()}
                        pops = {r[0] for r in
                                conn.execute("SELECT DISTINCT population FROM ref.populations").fetchall()}
                        rows = read_series(paths, measures | {"other"}, pops)
                        insert_rows(conn, "ref.series", rows, SERIES_SCHEMA)
                        n_rows = len(rows)
                    else:
                        frame = pl.read_csv(paths[0], infer_schema=False)
                        conn.register("seed", frame)
                        conn.execute(f"INSERT INTO ref.{name} BY NAME SELECT * FROM seed")  # noqa: S608
                        conn.unregister("seed")
                        n_rows = frame.height
                    conn.execute("INSERT OR REPLACE INTO ref.seed_files VALUES (?, ?, ?, ?)", [file, sha, n_rows, now])
                    warehouse.add_run_counts(conn, changes=n_rows)
            # ref/series feeds the views: it passes its materialization on whenever the run has work
            if changed or (name == "series" and warehouse.should_materialize(conn, "ref")):
                n = conn.execute(f"SELECT count(*) FROM ref.{name}").fetchone()[0]  # noqa: S608
                yield dg.MaterializeResult(asset_key=dg.AssetKey(["ref", name]), metadata=table_metadata(
                    conn, f"ref.{name}", f"SELECT * FROM ref.{name} LIMIT 10", n if changed else 0,  # noqa: S608
                    seed_file=f"seeds/{file}", sha256=sha, reloaded=changed))
