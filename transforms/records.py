"""Batch files: one article per record in .jsonl/.ndjson, .csv or .parquet, read in batches.

Every record becomes a `Record`: either an article's text with its own fields (title, date, outlet,
...), or a rejection whose reason names the record number. A file never raises: a file that cannot
be read at all yields rejected Records, and a malformed line or row is rejected by its number while
the rest still goes in.

Memory stays flat: CSV and JSON Lines are read one physical line at a time (each line bounded by
the per-record limit), Parquet one batch of `batch_rows` rows at a time with pyarrow's
`ParquetFile(pre_buffer=False).iter_batches`, row group by row group. Measured peak RSS for a
100,000-row, 353 MB file (tests/measure_records_memory.py): about 100 MB above the imports, the
same for one 100,000-row group, ten 10,000-row groups or 300,000 rows. pyarrow's default
pre-buffering grew with the file (about 450 MB, 1.1 GB for 300,000 rows), and polars'
`scan_parquet().collect_batches()` held a whole row group (about 700 MB for one 100,000-row group).

Record numbers (`part`): JSON Lines count non-blank lines (the reason also gives the line number);
CSV counts data rows after the header, blank lines not counted (a row may span several lines, so
the reason gives its first line); Parquet is the row index + 1.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import decimal
import hashlib
import io
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from transforms.decode import BINARY_REASON, SAMPLE_BYTES, decode_bytes, is_binary, sniff_codec

BATCH_SUFFIXES = {".jsonl", ".ndjson", ".csv", ".parquet"}

# Our field -> the column names it is recognised by (folded: lower case, "_" for spaces and hyphens).
FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "story"),
    "title": ("title", "headline"),
    "date": ("date", "published", "publication_date", "pub_date", "published_at"),
    "outlet": ("outlet", "source", "publication", "journal", "newspaper", "publisher"),
    "url": ("url", "link"),
    "byline": ("byline", "author", "authors"),
    "section": ("section",),
    "credits": ("credits",),
}
FIELDS = tuple(FIELD_COLUMNS)
RECORD_FIELDS = tuple(f for f in FIELDS if f != "text")
LOOKAHEAD = 20  # JSON Lines records read before deciding that a file has no text field at all


@dataclass(frozen=True)
class Record:
    part: int                       # 1-based record number (see the module docstring)
    doc_id: str | None              # sha256 of the record's text and fields (sorted-key JSON); None when unparsed
    text: str | None                # the article text; None when rejected
    fields: dict[str, Any] = field(default_factory=dict)  # title..credits (str | None) and extra: {column: value}
    n_bytes: int = 0                # UTF-8 bytes of the text (of the raw line or row when it did not parse)
    encoding: str | None = None     # codec the record was decoded with
    reason: str | None = None       # set when rejected: a sentence naming the record


def is_batch_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() in BATCH_SUFFIXES


def fold_column(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def parse_column_map(spec: str | None) -> dict[str, str]:
    """NEWS_COLUMN_MAP ("text=story_text,date=pubdate,outlet=paper") -> {our field: the file's column}.

    A bad spec raises ValueError with one sentence naming what is wrong.
    """
    if spec is None or not spec.strip():
        return {}
    out: dict[str, str] = {}
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        name, eq, column = item.partition("=")
        name, column = name.strip().lower(), column.strip()
        if not eq or not name or not column:
            raise ValueError(f"NEWS_COLUMN_MAP entry '{item}' is not of the form field=column "
                             f"(for example text=story_text).")
        if name not in FIELD_COLUMNS:
            raise ValueError(f"NEWS_COLUMN_MAP names an unknown field '{name}'; the fields are "
                             f"{', '.join(FIELDS)}.")
        if name in out:
            raise ValueError(f"NEWS_COLUMN_MAP maps the field '{name}' twice.")
        out[name] = column
    return out


def resolve_columns(columns: list[str], column_map: dict[str, str]) -> dict[str, str]:
    """{our field: the file's column}: the map first, then the usual names, case-insensitively.

    A mapped column the file does not have is skipped (one setting serves every file of the inbox).
    """
    by_fold: dict[str, str] = {}
    for c in columns:
        by_fold.setdefault(fold_column(c), c)
    chosen: dict[str, str] = {}
    used: set[str] = set()
    for name, column in column_map.items():
        actual = by_fold.get(fold_column(column))
        if actual is not None and actual not in used:
            chosen[name] = actual
            used.add(actual)
    for name, usual in FIELD_COLUMNS.items():
        if name in chosen:
            continue
        for u in usual:
            actual = by_fold.get(u)
            if actual is not None and actual not in used:
                chosen[name] = actual
                used.add(actual)
                break
    return chosen


def no_text_column_reason(columns: list[str], column_map: dict[str, str], what: str = "columns") -> str:
    shown = ", ".join(f"'{c}'" for c in columns[:30]) + (", ..." if len(columns) > 30 else "")
    mapped = column_map.get("text")
    hint = (f" NEWS_COLUMN_MAP maps text to '{mapped}', which the file does not have." if mapped else "")
    return (f"The file has no text column: its {what} are {shown or 'none'}, and none is named "
            f"{', '.join(FIELD_COLUMNS['text'])}.{hint} Name the column that holds the article text with "
            f"NEWS_COLUMN_MAP, for example NEWS_COLUMN_MAP=\"text=story_text\".")


def iter_records(path: str, column_map: dict[str, str], max_record_bytes: int,
                 batch_rows: int = 1000) -> Iterator[Record]:
    """The records of a batch file, in order. Never raises."""
    suffix = Path(path).suffix.lower()
    reader = {".jsonl": _iter_jsonl, ".ndjson": _iter_jsonl, ".csv": _iter_csv, ".parquet": _iter_parquet}.get(suffix)
    if reader is None:
        yield Record(1, None, None, reason=f"The file is not a batch file: its suffix '{suffix}' is not one of "
                                           f"{', '.join(sorted(BATCH_SUFFIXES))}.")
        return
    last = 0
    try:
        for rec in reader(path, column_map, max_record_bytes, batch_rows):
            last = rec.part
            yield rec
    except Exception as exc:  # anything unforeseen: the records so far stand, the rest is rejected
        yield Record(last + 1, None, None, reason=(
            f"The file could not be read from record {last + 1} on ({type(exc).__name__}: {str(exc)[:300]})."))


# ---------------------------------------------------------------- one record
def _as_text(value: Any) -> tuple[str | None, str | None, str | None]:
    """(text, codec, problem) for a text cell."""
    if value is None or isinstance(value, str):
        return value, None, None
    if isinstance(value, (bytes, bytearray)):
        d = decode_bytes(bytes(value))
        if d.text is None and d.encoding is None and value:
            return None, None, "holds bytes that are not text in any encoding (binary data)"
        return d.text, d.encoding, None
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return "\n\n".join(value), None, None  # paragraphs given as a list
    kind = {bool: "true/false value", int: "number", float: "number", dict: "object"}.get(type(value),
                                                                                          type(value).__name__)
    return None, None, f"holds a {kind}, not text"


def _as_field(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        items = [_as_field(v) for v in value]
        return "; ".join(i for i in items if i) or None  # ["Jane Doe", "John Roe"] -> "Jane Doe; John Roe"
    if isinstance(value, dict):
        return json.dumps(jsonable(value), ensure_ascii=False, sort_keys=True)
    if isinstance(value, (bytes, bytearray)):
        value = decode_bytes(bytes(value)).text or ""
    text = " ".join(str(value).split())
    return text or None


def jsonable(value: Any) -> Any:
    """A value JSON can hold: dates as ISO strings, decimals and other objects as strings, NaN as null."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return decode_bytes(bytes(value)).text
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    return str(value)


def doc_id_of(text: str | None, fields: dict[str, Any]) -> str:
    canon = json.dumps({"text": text, "fields": fields}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


def make_record(part: int, row: dict[str, Any], cols: dict[str, str], max_record_bytes: int,
                encoding: str | None) -> Record:
    """One parsed row or object -> a Record (the text, or why there is none)."""
    fields: dict[str, Any] = {name: _as_field(row.get(cols[name])) if name in cols else None
                              for name in RECORD_FIELDS}
    taken = set(cols.values())
    fields["extra"] = {str(k): jsonable(v) for k, v in row.items() if k not in taken}
    text_col = cols["text"]
    if text_col not in row:
        return Record(part, doc_id_of(None, fields), None, fields, 0, encoding,
                      f"Record {part} has no text: it has no '{text_col}' field.")
    text, codec, problem = _as_text(row[text_col])
    encoding = codec or encoding
    if problem:
        return Record(part, doc_id_of(None, fields), None, fields, 0, encoding,
                      f"Record {part} has no text: its text column '{text_col}' {problem}.")
    if text is None or not text.strip():
        return Record(part, doc_id_of(None, fields), None, fields, 0, encoding,
                      f"Record {part} has no text: its text column '{text_col}' is empty.")
    n_bytes = len(text.encode("utf-8"))
    doc_id = doc_id_of(text, fields)
    if n_bytes > max_record_bytes:
        return Record(part, doc_id, None, fields, n_bytes, encoding, _too_big(part, n_bytes, max_record_bytes))
    return Record(part, doc_id, text, fields, n_bytes, encoding, None)


def _too_big(part: int, n_bytes: int, limit: int, line: int | None = None, over: bool = False) -> str:
    where = f" (line {line})" if line else ""
    size = f"over {n_bytes:,}" if over else f"{n_bytes:,}"
    return (f"Record {part}{where} is {size} bytes, over the {limit:,}-byte limit per record "
            f"(NEWS_MAX_FILE_BYTES).")


# ---------------------------------------------------------------- text files, line by line
class _Lines:
    """Physical lines of a CSV or JSON Lines file as str, one at a time.

    Each line is decoded as UTF-8 when it is valid UTF-8, else with the codec sniffed from the
    file's first 64 KB, else on its own as decode_bytes would (a UTF-8 file with one cp1252 line).
    A line longer than `cap` bytes is skipped unread and flagged, so memory stays bounded.
    """

    def __init__(self, fh: BinaryIO, codec: str, cap: int):
        self.cap = cap
        self.line_no = 0
        self.used: set[str] = set()     # codecs used since the last take_flags()
        self.overlong: int | None = None  # bytes read of an over-long line since the last take_flags()
        self.undecodable = False
        self.codec = codec
        if codec in ("utf-16", "utf-32"):  # no byte-wise line splitting: decode as a stream
            self._text: io.TextIOWrapper | None = io.TextIOWrapper(fh, encoding=codec, newline="")
            self._fh = None
        else:
            self._text = None
            self._fh = fh
            if codec == "utf-8-sig":
                self.codec = "utf-8"
                if fh.read(3) != codecs.BOM_UTF8:
                    fh.seek(0)

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._text is not None:
            line = self._text.readline(self.cap)
            if not line:
                raise StopIteration
            self.line_no += 1
            self.used.add(self.codec)
            if len(line) >= self.cap and not line.endswith("\n"):
                n = len(line)
                while line and not line.endswith("\n"):
                    line = self._text.readline(1 << 20)
                    n += len(line)
                self.overlong = n
                return "\n"
            return line
        raw = self._fh.readline(self.cap)
        if not raw:
            raise StopIteration
        self.line_no += 1
        if len(raw) >= self.cap and not raw.endswith(b"\n"):
            n = len(raw)
            while raw and not raw.endswith(b"\n"):
                raw = self._fh.readline(1 << 20)
                n += len(raw)
            self.overlong = n
            return "\n"
        if raw.isascii():
            self.used.add(self.codec)
            return raw.decode("ascii")
        # Valid UTF-8 with non-ASCII bytes is practically never a single-byte code page, so a line
        # that decodes as UTF-8 is UTF-8 even in a file sniffed as cp1252 (files get mixed up).
        for codec in ("utf-8", self.codec) if self.codec != "utf-8" else ("utf-8",):
            try:
                line = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            self.used.add(codec)
            return line
        d = decode_bytes(raw)
        if d.text is None:
            self.undecodable = True
            return raw.decode(self.codec, errors="replace")
        self.used.add(d.encoding)
        return d.text

    def take_flags(self) -> tuple[str | None, int | None, bool]:
        """(codec of the lines since the last call, over-long bytes, undecodable) and reset them."""
        fallback = sorted(self.used - {self.codec})
        codec = fallback[0] if fallback else self.codec
        out = (codec, self.overlong, self.undecodable)
        self.used, self.overlong, self.undecodable = set(), None, False
        return out


def _open_text(path: str) -> tuple[BinaryIO, str] | str:
    """The open file and its codec, or why it cannot be read as text."""
    try:
        fh = open(path, "rb")
    except OSError as exc:
        return f"The file could not be opened: {exc.strerror or exc}."
    sample = fh.read(SAMPLE_BYTES)
    if not sample:
        fh.close()
        return "The file is empty (0 bytes)."
    if not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and is_binary(sample):
        fh.close()
        return BINARY_REASON
    fh.seek(0)
    return fh, sniff_codec(sample)


def _line_cap(max_record_bytes: int) -> int:
    # A JSON line escapes non-ASCII text up to three times its UTF-8 size ("\u0410" for "А"), and its
    # fields come beside the text: lines up to 4x the limit are read and the text itself is measured.
    return 4 * max_record_bytes + (1 << 20)


def _iter_jsonl(path: str, column_map: dict[str, str], max_record_bytes: int, batch_rows: int) -> Iterator[Record]:
    opened = _open_text(path)
    if isinstance(opened, str):
        yield Record(1, None, None, reason=opened)
        return
    fh, codec = opened
    cap = _line_cap(max_record_bytes)
    with fh:
        lines = _Lines(fh, codec, cap)
        pending: list[Record | tuple[int, dict[str, Any], str | None]] = []  # until a text field is seen
        text_name = ""
        keys_seen: dict[str, None] = {}
        parsed_any = False
        cols_found = False
        first_error: str | None = None
        part = 0
        for line in lines:
            line_no = lines.line_no
            used, overlong, undecodable = lines.take_flags()
            if overlong is None and not line.strip():
                continue  # blank lines are not records
            part += 1
            if overlong is not None:
                item: Record | tuple = Record(part, None, None, {}, overlong, used,
                                              _too_big(part, cap, max_record_bytes, line_no, over=True))
            elif undecodable:
                item = Record(part, None, None, {}, len(line.encode("utf-8", "replace")), None,
                              f"Record {part} (line {line_no}) is not text in any encoding (binary bytes).")
            else:
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    msg = f"Record {part} (line {line_no}) is not valid JSON: {exc.msg} at column {exc.colno}."
                    first_error = first_error or f"line {line_no}: {exc.msg} at column {exc.colno}"
                    item = Record(part, None, None, {}, len(line.encode("utf-8")), used, msg)
                else:
                    if not isinstance(obj, dict):
                        kind = {list: "array", str: "string", int: "number", float: "number", bool: "true/false value",
                                type(None): "null"}.get(type(obj), type(obj).__name__)
                        first_error = first_error or f"line {line_no} is a JSON {kind}"
                        item = Record(part, None, None, {}, len(line.encode("utf-8")), used,
                                      f"Record {part} (line {line_no}) is a JSON {kind}, "
                                      "not an object with named fields.")
                    else:
                        parsed_any = True
                        item = (part, obj, used)
            if cols_found:
                yield _jsonl_record(item, column_map, max_record_bytes, text_name)
                continue
            pending.append(item)
            if isinstance(item, tuple):
                keys_seen.update(dict.fromkeys(map(str, item[1])))
                text_name = resolve_columns(list(item[1]), column_map).get("text", "")
                if text_name:
                    cols_found = True
                    for it in pending:
                        yield _jsonl_record(it, column_map, max_record_bytes, text_name)
                    pending = []
                    continue
            if len(pending) >= LOOKAHEAD:
                break
        if cols_found:
            return
        if not pending:
            yield Record(1, None, None, reason="The file holds no records: every line is blank.")
        elif parsed_any:
            yield Record(1, None, None, reason=no_text_column_reason(list(keys_seen), column_map, "fields"))
        else:
            yield Record(1, None, None, reason=(
                f"The file is not JSON Lines: none of its first {len(pending)} records is a JSON object "
                f"({first_error or 'no record could be read'})."))


def _jsonl_record(item: Record | tuple, column_map: dict[str, str], max_record_bytes: int, text_name: str) -> Record:
    """Each JSON object names its own fields; one without a text field is told by the file's text field name."""
    if isinstance(item, Record):
        return item
    part, obj, used = item
    cols = resolve_columns(list(obj), column_map)
    cols.setdefault("text", text_name)
    return make_record(part, obj, cols, max_record_bytes, used)


def _iter_csv(path: str, column_map: dict[str, str], max_record_bytes: int, batch_rows: int) -> Iterator[Record]:
    opened = _open_text(path)
    if isinstance(opened, str):
        yield Record(1, None, None, reason=opened)
        return
    fh, codec = opened
    cap = _line_cap(max_record_bytes)
    if csv.field_size_limit() < cap:
        csv.field_size_limit(cap)  # module-wide, only ever raised: the record limit is checked below
    with fh:
        lines = _Lines(fh, codec, cap)
        header_line = next(lines, None)
        while header_line is not None and not header_line.strip():
            header_line = next(lines, None)
        if header_line is None:
            yield Record(1, None, None, reason="The file holds no records: it has no header line.")
            return
        delimiter = _delimiter(header_line)
        header_rows = list(csv.reader([header_line], delimiter=delimiter))
        header = _unique([h.strip() for h in header_rows[0]]) if header_rows else []
        lines.take_flags()
        cols = resolve_columns(header, column_map)
        if "text" not in cols:
            yield Record(1, None, None, reason=no_text_column_reason(header, column_map))
            return
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        part = 0
        prev_end = lines.line_no
        while True:
            try:
                row = next(reader)
                error = None
            except StopIteration:
                break
            except csv.Error as exc:
                row, error = None, str(exc)
            start, end = prev_end + 1, lines.line_no
            prev_end = end
            used, overlong, undecodable = lines.take_flags()
            if row is not None and not row and overlong is None:
                continue  # a blank line is not a record
            part += 1
            where = f"line {start}" if start >= end else f"lines {start}-{end}"
            if overlong is not None:
                yield Record(part, None, None, {}, overlong, used,
                             _too_big(part, cap, max_record_bytes, start, over=True))
            elif undecodable:
                yield Record(part, None, None, {}, 0, None,
                             f"Record {part} ({where}) is not text in any encoding (binary bytes).")
            elif error is not None:
                hint = " (a quote is never closed)" if "unexpected end of data" in error else ""
                if "field larger than field limit" in error:
                    yield Record(part, None, None, {}, 0, used, _too_big(part, cap, max_record_bytes, start, over=True))
                else:
                    yield Record(part, None, None, {}, 0, used,
                                 f"Record {part} ({where}) is not a valid CSV row: {error}{hint}.")
            elif len(row) != len(header):
                yield Record(part, None, None, {}, sum(len(v.encode("utf-8")) for v in row), used,
                             f"Record {part} ({where}) is not a valid CSV row: it has {len(row)} fields where the "
                             f"header has {len(header)} (a delimiter or quote in it is probably not escaped).")
            else:
                yield make_record(part, dict(zip(header, row, strict=True)), cols, max_record_bytes, used)


def _delimiter(header_line: str) -> str:
    """The header's most frequent candidate delimiter (Excel writes ';' in much of Europe)."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        n = n or "column"
        if n in seen:
            seen[n] += 1
            n = f"{n} ({seen[n]})"
        else:
            seen[n] = 1
        out.append(n)
    return out


# ---------------------------------------------------------------- Parquet
def _iter_parquet(path: str, column_map: dict[str, str], max_record_bytes: int, batch_rows: int) -> Iterator[Record]:
    import pyarrow.parquet as pq  # imported here: only Parquet inputs pay for it

    try:
        # pre_buffer=False: pyarrow's default pre-buffering holds whole row groups (and more) in
        # memory; without it a 100,000-row file is read with flat memory (see the module docstring).
        pf = pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 20)
        columns = list(pf.schema_arrow.names)
        meta = pf.metadata
    except Exception as exc:
        yield Record(1, None, None, reason=f"The file is not a readable Parquet file ({_short(exc)}).")
        return
    cols = resolve_columns(columns, column_map)
    if "text" not in cols:
        yield Record(1, None, None, reason=no_text_column_reason(columns, column_map))
        return
    first_row = 0
    for rg in range(meta.num_row_groups):
        n_rows = meta.row_group(rg).num_rows
        done = 0
        try:
            for batch in pf.iter_batches(batch_size=batch_rows, row_groups=[rg]):
                for row in batch.to_pylist():
                    done += 1
                    yield make_record(first_row + done, row, cols, max_record_bytes, "utf-8")
        except Exception as exc:  # a damaged row group: its unread rows are rejected as one range
            a, b = first_row + done + 1, first_row + n_rows
            rows = f"Records {a}-{b}" if b > a else f"Record {a}"
            yield Record(a, None, None, reason=(f"{rows} (row group {rg + 1} of {meta.num_row_groups}) could not be "
                                                f"read from the Parquet file ({_short(exc)})."))
        first_row += n_rows


def _short(exc: Exception) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"

