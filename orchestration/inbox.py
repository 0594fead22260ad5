"""Scanning the inbox: every article file (.txt, and batch files .jsonl/.ndjson/.csv/.parquet, any case)
below it, without following links out of it."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".txt", ".jsonl", ".ndjson", ".csv", ".parquet")


@dataclass(frozen=True)
class FileStat:
    rel_path: str        # relative to the inbox, '/'-separated
    abs_path: str
    n_bytes: int
    mtime_ns: int
    outside: bool        # a symlink whose target lies outside the inbox
    broken: bool         # a symlink to nothing, or a path that vanished while scanning

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.rel_path, self.n_bytes, self.mtime_ns)

    @property
    def kind(self) -> str:
        """txt, jsonl, csv or parquet (.ndjson is JSON lines too)."""
        suffix = Path(self.rel_path).suffix.lower().lstrip(".")
        return "jsonl" if suffix == "ndjson" else suffix


def scan_inbox(inbox: str | Path) -> list[FileStat]:
    root = Path(inbox).resolve()
    if not root.is_dir():
        return []
    out: list[FileStat] = []
    # Directory symlinks are not followed: they could lead outside the inbox or loop.
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.lower().endswith(SUFFIXES):
                continue
            path = Path(dirpath) / name
            rel = _text_name(path.relative_to(root).as_posix())
            try:
                lst = path.lstat()
            except FileNotFoundError:
                continue
            outside = broken = False
            n_bytes, mtime_ns = lst.st_size, lst.st_mtime_ns
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                    st = target.stat()
                    n_bytes, mtime_ns = st.st_size, st.st_mtime_ns
                    outside = not target.is_relative_to(root)
                except (FileNotFoundError, RuntimeError, OSError):
                    broken = True
            elif not path.is_file():
                continue
            out.append(FileStat(rel, str(path), n_bytes, mtime_ns, outside, broken))
    return out


def _text_name(rel: str) -> str:
    """A name that is not valid UTF-8 (os.walk gives its bad bytes as surrogates, which neither
    DuckDB nor polars store) is recorded with those bytes escaped: 'caf\\xe9.txt'."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return os.fsencode(rel).decode("utf-8", "backslashreplace")


def fingerprint(files: list[FileStat]) -> str:
    """Identifies the inbox state by path, size and mtime of every file (not by the newest mtime,
    which would miss files copied in with old modification times)."""
    h = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.rel_path):
        h.update(f"{f.rel_path}\0{f.n_bytes}\0{f.mtime_ns}\n".encode())
    return h.hexdigest()
