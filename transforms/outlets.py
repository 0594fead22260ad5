"""Who published an article: one canonical name per outlet we know, through seeds/outlet_aliases.csv.

The table is reviewed by hand: `alias,outlet,match` where match is `exact` (the alias compared
after folding case, a leading "the", punctuation and "&") or `domain` (the host of a URL, or any
sub-domain of it). Unknown outlets keep the name the document gives, tidied: canonical means
"one name per outlet we know", not "only outlets we know".
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from transforms.lexicon import SEEDS_DIR, fold

ALIASES_FILE = "outlet_aliases.csv"
# "The Guardian (London)", "Asharq Alawsat (English Edition)": an edition or place after the name.
_TRAILING_PAREN = re.compile(r"^(?P<name>.*?\S)\s*\((?P<note>[^()]*)\)\s*$")
_PUNCT = re.compile(r"[-–—_./,:;()\[\]\"“”]+")
_HOST_RE = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$")


@dataclass(frozen=True)
class OutletTable:
    exact: dict[str, str]
    domains: dict[str, str]


def outlet_key(text: str) -> str:
    """Folded form for exact matches: "The Guardian" = "guardian"; "Al-Jazeera" = "Al Jazeera"."""
    t = fold(text).replace("&", " and ")
    t = t.replace("'", "")
    t = _PUNCT.sub(" ", t)
    return " ".join(t.split())


def tidy(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split()).strip(" ,;:-–—|")
    return text or None


@lru_cache(maxsize=4)
def load_table(seeds_dir: Path = SEEDS_DIR) -> OutletTable:
    exact: dict[str, str] = {}
    domains: dict[str, str] = {}
    with (seeds_dir / ALIASES_FILE).open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            alias, outlet, match = (row.get(k, "").strip() for k in ("alias", "outlet", "match"))
            if not alias or not outlet:
                raise ValueError(f"{ALIASES_FILE} line {n}: alias and outlet must both be given.")
            if match == "exact":
                exact[outlet_key(alias)] = outlet
            elif match == "domain":
                domains[alias.lower().removeprefix("www.")] = outlet
            else:
                raise ValueError(f"{ALIASES_FILE} line {n}: match must be exact or domain, not {match!r}.")
    return OutletTable(exact, domains)


def host_of(url: str) -> str | None:
    """The host of a URL or of a bare domain ("www.nytimes.com/2023/..." -> "nytimes.com")."""
    u = url.strip().strip("<>").lower()
    if "://" not in u:
        if " " in u or "." not in u:
            return None
        u = "http://" + u
    try:
        host = urlsplit(u).hostname
    except ValueError:
        return None
    if not host or not _HOST_RE.match(host):
        return None
    return host.removeprefix("www.")


def domain_outlet(url: str | None, table: OutletTable | None = None) -> str | None:
    """The outlet whose domain (or a parent domain of it) serves this URL, else None."""
    if not url:
        return None
    host = host_of(url)
    if not host:
        return None
    table = table or load_table()
    labels = host.split(".")
    for i in range(len(labels) - 1):
        hit = table.domains.get(".".join(labels[i:]))
        if hit:
            return hit
    return None


def canonical_outlet(text: str | None, url: str | None = None) -> str | None:
    """Canonical outlet for the publication as written, else for the URL's domain; unknown names stay as
    written (tidied); None only when neither says anything."""
    table = load_table()
    shown = tidy(text)
    if shown:
        hit = table.exact.get(outlet_key(shown))
        if hit is None:
            m = _TRAILING_PAREN.match(shown)
            if m:
                hit = table.exact.get(outlet_key(m.group("name")))
        if hit is None and " " not in shown:
            hit = domain_outlet(shown, table)  # "guardian.co.uk", "www.nytimes.com"
        if hit:
            return hit
    hit = domain_outlet(url, table)
    return hit or shown
