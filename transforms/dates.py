"""Publication dates from the evidence a text holds, strongest first, with reasons for what is refused."""
from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
# "November 30, 2023", "Nov. 30 2023", "30 November 2023", "2023-11-30"
DATE_RE = re.compile(
    r"\b(?:" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH.replace("month", "month2") + r",?\s+(?P<year2>\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))\b",
    re.IGNORECASE,
)
MONTH_DAY_RE = re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})\b", re.IGNORECASE)
ISO_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
WEEKDAY_RE = re.compile(_WEEKDAY, re.IGNORECASE)

# Order of strength: a batch record's date column beats an explicit header beats a dateline beats
# a date found in the text.
STRENGTH = {"record": 4, "header": 3, "dateline": 2, "text": 1}
KINDS = ("record", "header", "dateline", "text")
EARLIEST = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class DateEvidence:
    kind: str          # record | header | dateline | text
    raw: str           # the words as written
    year: int
    month: int
    day: int


def evidence_from_match(kind: str, m: re.Match) -> DateEvidence:
    if m.group("iso"):
        y, mo, d = (int(x) for x in ISO_RE.match(m.group("iso")).groups())
        return DateEvidence(kind, m.group(0), y, mo, d)
    if m.group("month"):
        return DateEvidence(kind, m.group(0), int(m.group("year")), MONTHS[m.group("month").lower()],
                            int(m.group("day")))
    return DateEvidence(kind, m.group(0), int(m.group("year2")), MONTHS[m.group("month2").lower()],
                        int(m.group("day2")))


def find_dates(kind: str, text: str) -> list[DateEvidence]:
    return [evidence_from_match(kind, m) for m in DATE_RE.finditer(text)]


def iso_evidence(kind: str, raw: str) -> DateEvidence | None:
    m = ISO_RE.fullmatch(raw.strip())
    if not m:
        return None
    return DateEvidence(kind, raw.strip(), *(int(x) for x in m.groups()))


def _as_date(ev: DateEvidence) -> dt.date | None:
    try:
        return dt.date(ev.year, ev.month, ev.day)
    except ValueError:
        return None


def resolve_published_date(evidence: list[DateEvidence], ingested: dt.date
                           ) -> tuple[dt.date | None, str, str | None]:
    """Pick the strongest valid date. Returns (date, date_source, note).

    The note says why stronger evidence was refused (impossible, in the future, before 1900),
    or why there is no date at all. Within a kind, the first valid evidence wins, except for
    dates found in the text, where the latest is the best estimate of when it was written.
    """
    notes: list[str] = []
    for kind in KINDS:
        found = [e for e in evidence if e.kind == kind]
        valid: list[dt.date] = []
        for ev in found:
            d = _as_date(ev)
            if d is None:
                notes.append(f"{kind} date '{ev.raw}' is not a real calendar date")
            elif d > ingested:
                notes.append(f"{kind} date '{ev.raw}' is after the file was ingested ({ingested.isoformat()})")
            elif d < EARLIEST:
                notes.append(f"{kind} date '{ev.raw}' is before 1900")
            else:
                valid.append(d)
        if valid:
            chosen = max(valid) if kind == "text" else valid[0]
            return chosen, kind, ("; ".join(notes) or None)
    if not notes:
        notes.append("the text holds no publication date")
    return None, "none", "; ".join(notes)


# A record's date column as people export it: ISO dates and datetimes ("2023-12-06T10:00:00Z",
# "20231206"), "2023/12/06", "Dec 6, 2023", "6 December 2023", RFC 2822 ("Wed, 06 Dec 2023 10:00:00
# +0000"), and d/m/y or m/d/y only when the order is unambiguous (one of the two is over 12).
_ISO_START = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T ]\d)")
_ISO_BASIC = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:$|T\d)")
_YMD_SLASH = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:$|[T ]\d)")
_DMY_SLASH = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:$|[T ]\d)")
RECORD_DATE_FORMS = "2023-12-06, 2023-12-06T10:00:00Z, 2023/12/06, Dec 6, 2023, 6 December 2023 or RFC 2822"


def parse_record_date(raw: str) -> DateEvidence | None:
    """The date a record's date column gives (the calendar day as written, no time-zone shift),
    or None when it is not one of the known forms or is ambiguous (06/12/2023)."""
    text = " ".join(str(raw).split())
    if not text:
        return None
    for rx in (_ISO_START, _ISO_BASIC, _YMD_SLASH):
        m = rx.match(text)
        if m:
            return DateEvidence("record", text, *(int(x) for x in m.groups()))
    m = _DMY_SLASH.match(text)
    if m:
        a, b, year = (int(x) for x in m.groups())
        if a > 12 >= b:
            return DateEvidence("record", text, year, b, a)
        if b > 12 >= a:
            return DateEvidence("record", text, year, a, b)
        return None  # 06/12/2023: June 12 or 6 December?
    m = DATE_RE.search(text)
    if m and m.start() <= 15:  # "Wednesday, December 6, 2023", "Wed, 06 Dec 2023 10:00:00 +0000"
        ev = evidence_from_match("record", m)
        return DateEvidence("record", text, ev.year, ev.month, ev.day)
    try:
        parsed = email.utils.parsedate_tz(text)
    except (TypeError, ValueError):
        parsed = None
    if parsed and parsed[0] > 0:
        return DateEvidence("record", text, parsed[0], parsed[1], parsed[2])
    return None
