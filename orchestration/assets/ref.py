"""ref.*: the reviewed reference tables in seeds/*.csv, loaded when their content changes."""

import hashlib

import dagster as dg
import polars as pl

from orchestration.meta import table_metadata
from orchestration.warehouse import WarehouseResource, utcnow
from transforms.lexicon import SEEDS_DIR

SEED_TABLES = {
    "entity_aliases": ("entity_aliases.csv", "Alias → canonical entity name and label; also the entity ruler's patterns."),
    "measure_vocabulary": ("measure_vocabulary.csv", "Words that decide a figure's measure (killed, injured, ...)."),
    "source_aliases": ("source_aliases.csv", "Attribution as written → canonical source (exact or regex)."),
    "subject_nouns": ("subject_nouns.csv", "Nouns counted by figures: people groups and things."),
    "nationalities": ("nationalities.csv", "Nationality adjective → plural subject (Israeli → Israelis)."),
}
REF_KEYS = [dg.AssetKey(["ref", name]) for name in SEED_TABLES]


@dg.multi_asset(
    specs=[dg.AssetSpec(dg.AssetKey(["ref", name]), description=f"{desc} Loaded from seeds/{file}.",
                        group_name="ref", kinds={"duckdb", "csv"})
           for name, (file, desc) in SEED_TABLES.items()],
    pool="duckdb_writer",
)
def ref_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Reload a ref table only when its CSV changed; a change also changes the extractor version,
    which rebuilds the articles it affects."""
    now = utcnow()
    for name, (file, _) in SEED_TABLES.items():
        path = SEEDS_DIR / file
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        frame = pl.read_csv(path, infer_schema=False)
        with warehouse.transaction() as conn:
            known = conn.execute("SELECT sha256 FROM ref.seed_files WHERE file_name = ?", [file]).fetchone()
            changed = known is None or known[0] != sha
            if changed:
                conn.execute(f"DELETE FROM ref.{name}")  # table names are code constants
                conn.register("seed", frame)
                conn.execute(f"INSERT INTO ref.{name} BY NAME SELECT * FROM seed")
                conn.execute("INSERT OR REPLACE INTO ref.seed_files VALUES (?, ?, ?, ?)", [file, sha, frame.height, now])
                warehouse.add_run_counts(conn, changes=frame.height)
        with warehouse.get_connection() as conn:
            yield dg.MaterializeResult(asset_key=dg.AssetKey(["ref", name]), metadata=table_metadata(
                conn, f"ref.{name}", f"SELECT * FROM ref.{name} LIMIT 10", frame.height if changed else 0,
                seed_file=f"seeds/{file}", sha256=sha, reloaded=changed))
