"""Peak memory of reading a 100,000-row batch file with transforms.records (not a test: run by hand).

  .venv/bin/python tests/measure_records_memory.py /tmp/recmem parquet|csv|jsonl [rows] [row_group_size]

Writes the file once (random words, 300-700 per record, ~350 MB of text for 100,000 rows), then
reads every record in a fresh process and prints the peak RSS above the imports.
"""
from __future__ import annotations

import random
import resource
import string
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def write(path: Path, kind: str, rows: int, row_group_size: int) -> None:
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    rnd = random.Random(2)
    vocab = ["".join(rnd.choices(string.ascii_lowercase, k=rnd.randint(2, 10))) for _ in range(50000)]
    chunk = 10_000
    writer = None
    with open(path, "w", encoding="utf-8", newline="") as fh:
        if kind == "csv":
            fh.write("id,title,text,date\n")
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            body = [" ".join(rnd.choices(vocab, k=rnd.randint(300, 700))) for _ in range(n)]
            if kind == "parquet":
                t = pa.table({"id": list(range(start, start + n)), "title": [f"T{i}" for i in range(start, start + n)],
                              "text": body, "date": ["2023-12-06"] * n})
                writer = writer or pq.ParquetWriter(str(path), t.schema)
                writer.write_table(t, row_group_size=row_group_size)
            elif kind == "csv":
                fh.writelines(f"{start + i},T{start + i},\"{b}\",2023-12-06\n" for i, b in enumerate(body))
            else:
                fh.writelines(json.dumps({"id": start + i, "title": f"T{start + i}", "text": b, "date": "2023-12-06"})
                              + "\n" for i, b in enumerate(body))
    if writer:
        writer.close()


def read(path: str) -> None:
    from transforms.records import iter_records

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    n = bad = 0
    for rec in iter_records(path, {}, 5 * 1024 * 1024):
        n += 1
        bad += rec.reason is not None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{Path(path).name}: {n:,} records ({bad} rejected) in {time.perf_counter() - t:.1f} s; "
          f"peak RSS {peak:.0f} MB ({peak - base:.0f} MB above the {base:.0f} MB before reading)")


if __name__ == "__main__":
    # Writer and reader each run in a fresh process: Linux keeps a process's peak RSS across exec.
    if sys.argv[1] == "--read":
        import pyarrow.parquet  # noqa: F401  (counted in the baseline, as in a pipeline worker)
        read(sys.argv[2])
    elif sys.argv[1] == "--write":
        write(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        folder, kind = Path(sys.argv[1]), sys.argv[2]
        rows = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
        rg = int(sys.argv[4]) if len(sys.argv) > 4 else rows
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"records_{rows}_{rg}.{kind}"
        if not path.exists():
            subprocess.run([sys.executable, __file__, "--write", str(path), kind, str(rows), str(rg)], check=True)
        print(f"{path.name}: {path.stat().st_size / 1e6:.0f} MB on disk")
        subprocess.run([sys.executable, __file__, "--read", str(path)], check=True)
