"""Raw article text to title, cleaned body and date evidence.

Handles the forms the inbox receives: web copies (navigation, consent banners, social prompts,
captions, "Related" sections), news-database exports (Nexis-style header and footer blocks,
Factiva-style headers), files whose first line is the headline, files with a
` date YYYY-MM-DD <headline>` first line, and HTML pages saved as text.
"""
from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass, field

from transforms import dates
from transforms.dates import DateEvidence
from transforms.decode import repair_mojibake
from transforms.outlets import domain_outlet, tidy

WORD_RE = re.compile(r"\w+(?:['’\-.,]\w+)*")


@dataclass
class Cleaned:
    title: str | None
    body: str
    source_format: str
    date_evidence: list[DateEvidence] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)  # (line, why)
    meta: dict[str, str] = field(default_factory=dict)
    reject_reason: str | None = None
    # Who published it, as the document says (tidied, never guessed from a file name); None when it does not.
    outlet_text: str | None = None      # export publication line, else a dateline's agency ("Reuters")
    byline: str | None = None
    section: str | None = None
    url: str | None = None              # URL:/Link: header, else the first bare URL line
    dateline_place: str | None = None   # "JERUSALEM" of "JERUSALEM, Dec 6 (Reuters) -"
    credits: str | None = None          # "X contributed reporting.", "Reporting by ...", removed from the body

    @property
    def n_words(self) -> int:
        return count_words(self.body)


def count_words(text: str) -> int:
    return len(WORD_RE.findall(text))


def body_fingerprint(body: str) -> str:
    """Same story = same body after folding case and white space."""
    return hashlib.sha256(" ".join(body.casefold().split()).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- normalisation
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u3000\t"), " ")


# character references left in plain text by the tool that exported it ("Jos&#233; Manuel Barroso")
_CHAR_REF = re.compile(r"&(?:#[0-9]{2,7}|#[xX][0-9a-fA-F]{2,6}|amp|quot|apos|lt|gt|nbsp|[a-zA-Z]{2,8}acute|"
                       r"[a-zA-Z]grave|[a-zA-Z]uml|[a-zA-Z]circ|[a-zA-Z]tilde|ccedil|szlig|mdash|ndash|[lr]squo|"
                       r"[lr]dquo|hellip|pound|euro);")


def _char_ref(m: re.Match) -> str:
    out = html.unescape(m.group(0)).replace("\xa0", " ")
    return out if out.isprintable() else m.group(0)  # never a control character from "&#1;"


def normalise(text: str) -> str:
    if "&" in text:
        text = _CHAR_REF.sub(_char_ref, text)
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_SPACES)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return "\n".join(line.strip() for line in text.split("\n"))


def norm_key(line: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", line.casefold()).split())


# ---------------------------------------------------------------- HTML
_HTML_RE = re.compile(r"^\s*(?:<!doctype html|<html\b|<head\b|<body\b)", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    head = text[:2000]
    if _HTML_RE.search(head):
        return True
    tags = len(re.findall(r"</?(?:p|div|span|a|br|li|script|meta|td)\b[^>]*>", head, re.IGNORECASE))
    return tags >= 10


def html_to_text(html: str) -> tuple[str, str | None]:
    """Visible block text of an HTML page, one block a line, with its <title>."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    h1 = tree.css_first("h1")
    title_node = tree.css_first("title")
    page_title = h1.text(strip=True) if h1 else None
    if not page_title and title_node:
        # "<title>Headline | Site name</title>": drop the site name
        page_title = re.sub(r"\s+[|–—-]\s+[^|–—-]{2,40}$", "", title_node.text(strip=True))
    tree.strip_tags(["script", "style", "noscript", "template", "svg", "iframe", "form",
                     "nav", "header", "footer", "aside", "button", "select"])
    root = tree.css_first("article") or tree.body or tree.root
    lines: list[str] = []
    if root is not None:
        for node in root.css("h1, h2, h3, h4, p, li, blockquote, figcaption, td, pre"):
            if node.css_first("p, li, h1, h2, h3, h4"):  # parent of other blocks: take the children
                continue
            txt = " ".join(node.text(separator=" ").split())
            if txt:
                lines.append(txt)
        if not lines:
            lines = [" ".join(t.split()) for t in root.text(separator="\n").split("\n") if t.strip()]
    return "\n\n".join(lines), page_title


# ---------------------------------------------------------------- boilerplate lines
_BP = [
    ("navigation", r"skip to (?:main )?content|skip to navigation|jump to content|main menu|toggle navigation|"
                   r"menu|search|home|sign in|log ?in|register|subscribe|sign up|share|share this( article| story)?|"
                   r"copy link|print|email|advertisement|advert|ad|sponsored|listen to this article|"
                   r"listen|close|back to top|story continues below( advertisement)?|continue reading|"
                   r"click to expand|open in app|accept( all)?( cookies)?|reject all|manage preferences|"
                   r"top stories|most read|most popular|trending|latest|watch|watch live|live|"
                   r"follow|follow us|newsletter|newsletters|comments?|\d+ comments?|loading\.*|image|photo|video|"
                   r"graphic|photos|gallery"),
]
_BP_EXACT = [(why, re.compile(rf"(?:{pat})[.!:]?", re.IGNORECASE)) for why, pat in _BP]
# "2 min read", "1 min Mena Today": site names after the minutes are capitalised.
_BP_EXACT.append(("read time", re.compile(r"\d+\s*(?:min|mins|minutes?)(?:\s+read)?(?:\s+[A-Z][\w&'-]*){0,3}")))

_BP_SEARCH = [
    ("cookie notice", re.compile(r"\bcookies?\b.*\b(?:use|uses|policy|consent|accept|settings|preferences|"
                                 r"experience|functionality|browser)\b|\b(?:we|this (?:site|website)) "
                                 r"(?:use|uses)\b.*\bcookies\b|\bprivacy (?:policy|notice|settings)\b|"
                                 r"by (?:continuing|using) (?:to use )?(?:this|our) (?:site|website)", re.I)),
    ("social or newsletter prompt",
     re.compile(r"^(?:join our (?:\w+ )?(?:whatsapp|telegram)|subscribe (?:to|for|now)|sign up (?:for|to|here)|"
                r"follow (?:us|our)|download (?:our|the) app|get (?:the|our) (?:latest|daily|free)|"
                r"click here|like us on|share (?:on|via) |share this|send us your|"
                r"get alerts|enable notifications|get breaking news)", re.I)),
    ("print edition note", re.compile(r"^(?:a version of )?this article (?:appeared|appears) in print\b|"
                                      r"^this article was (?:originally )?published\b|"
                                      r"^license this article from\b|^our standards: the thomson reuters", re.I)),
    ("reporting credit", re.compile(r"^\(?(?:[Rr]eporting|[Aa]dditional reporting|[Ww]riting|[Ee]diting|"
                                    r"[Cc]ompiled|[Ee]dited) by [A-Z].{0,250}$")),
    ("copyright notice", re.compile(r"^(?:copyright|©|\(c\))\s*(?:©\s*)?\d{4}\b|all rights reserved\.?$", re.I)),
    ("banner", re.compile(r"^\S+(?: \S+)? banner(?: \d+)?$", re.I)),
]

# Image credits and captions: "[Getty]", "| AP", "Saul Loeb/Pool via Reuters", "(Photo: AFP)".
_CREDIT_RE = re.compile(
    r"(?:\[(?:getty|afp|ap|reuters|epa|anadolu|file|photo|image)[^\]]{0,40}\]|"
    r"\|\s*(?:ap|afp|reuters|getty(?: images)?|epa|anadolu|file(?: photo)?|x|twitter|"
    r"[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,3})\s*$|"
    r"\bvia (?:reuters|getty images|ap|afp)\s*$|"
    r"/(?:reuters|afp|ap|getty images|pool|epa|file photo|anadolu)\b[^.]{0,40}$|"
    r"\((?:photo|image|picture|credit)[^)]{0,80}\)\s*$|"
    r"^(?:photo|image|picture|credit|file photo|pictured)\s*:|"
    r"(?:getty images|afp|reuters|ap photo|epa-efe|anadolu agency)\s*$)",
    re.IGNORECASE,
)
_SECTION_END_RE = re.compile(
    r"(?:related|related (?:articles|stories|content|coverage|news|topics)|more on this(?: story)?|"
    r"more from [\w ]{1,40}|read (?:more|next|also)|also read|you may also like|recommended|"
    r"recommended (?:for you|stories)|more stories|more news|most (?:read|popular|viewed)|"
    r"top stories|trending(?: now)?|latest (?:news|stories)|what to read next|see also)[:.]?",
    re.IGNORECASE,
)
_PUBLISHED_RE = re.compile(r"^(?:published|updated|last updated|posted|first published)(?: on| at)?\s*:?\s*(.*)$",
                           re.IGNORECASE)
# "By Jane Doe", "By Jane Doe and John Roe, Reuters": two to four capitalised words per name, so that
# "By Monday, officials said ..." is not a byline.
_NAME = r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}"
_BYLINE_RE = re.compile(rf"^[Bb][Yy]\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*(?:\s*[,|]\s*[A-Z][\w .'’&-]{{1,40}})?$")
_TITLE_CASE_WORD = re.compile(r"^(?:[A-Z0-9‘'\"“(][\w’'\-.,:;!?\"”)]*|a|an|the|and|or|of|in|on|at|to|for|with|by|as|"
                              r"from|vs\.?|is|are|&|—|–|-)$")


# Captions printed after the body of export copies, however long: "PHOTOS: ... (PHOTOGRAPH BY ...)",
# "2 photos: ...", "GRAPHIC: ...". Upper-case or "Photo:" labels only, so a sentence is never taken.
_CAPTION_START = re.compile(r"(?:PHOTOS?|Photos?|PHOTOGRAPHS?|GRAPHICS?|CHARTS?|MAPS?|VIDEO|"
                            r"\d+ (?:photos?|PHOTOS?|images?|IMAGES?))\s*:")
_PHOTOGRAPH_BY = re.compile(r"\(photographs? (?:by|courtesy)\b", re.IGNORECASE)
# Agency photo credits end a caption: "... December 5, 2023. REUTERS/Ibraheem Abu Mustafa".
_AGENCY_CREDIT_END = re.compile(r"\b(?:REUTERS|AFP|AP|EPA|ANADOLU|XINHUA)/[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}"
                                r"(?:/(?:File )?Photo| File Photo)?\s*$")


def _is_caption(line: str) -> bool:
    # Anchored or substring-guarded tests: this runs on every paragraph.
    return bool(_CAPTION_START.match(line) or ("hotograph" in line and _PHOTOGRAPH_BY.search(line))
                or ("/" in line[-80:] and _AGENCY_CREDIT_END.search(line[-80:])))
# "Isabel Kershner contributed reporting from Jerusalem.", "Reporting was contributed by ...": one sentence.
_CONTRIBUTED_RE = re.compile(r"^[A-Z\u00c0-\u024f].{0,250}\bcontributed (?:reporting|research|to this "
                             r"(?:report|article|story)(?!'))\b[^.!?]{0,150}\.?$|"
                             r"^(?:[Rr]eporting|[Rr]esearch) (?:was|were) contributed by [A-Z].{0,250}$")
# A newsletter mentioned in a prompt ("Get our newsletter in your inbox"), not in a sentence about one.
_NEWSLETTER_RE = re.compile(r"^(?:sign(?:ing)? up|subscribe|get|want|receive|register|enter your|don't miss|"
                            r"never miss|stay (?:informed|up to date)|for the latest)\b|\b(?:to|in) your inbox\b", re.I)
URL_LINE_RE = re.compile(r"^(?:(?:url|link|source|read more|see)\s*:\s*)?<?((?:https?://|www\.)[^\s<>]+)>?$",
                         re.IGNORECASE)


_CREDIT_TAILS = ("reuters", "getty images", "ap", "afp", "ap photo", "epa-efe", "anadolu agency")
_CREDIT_HEADS = ("photo", "image", "picture", "credit", "file photo", "pictured")


def _may_be_credit(line: str) -> bool:
    """A condition every alternative of _CREDIT_RE needs, tested with substring checks: the regex
    itself (a case-insensitive search at every position) is the costliest test of a paragraph."""
    if "[" in line or "|" in line or "/" in line or "(" in line:
        return True
    return line[:12].lower().startswith(_CREDIT_HEADS) or line[-20:].rstrip().lower().endswith(_CREDIT_TAILS)


def boilerplate_reason(line: str) -> str | None:
    for why, rx in _BP_EXACT:
        if rx.fullmatch(line):
            return why
    for why, rx in _BP_SEARCH:
        if rx.search(line):
            return why
    if len(line) < 400 and _may_be_credit(line) and _CREDIT_RE.search(line):
        return "photo caption or credit"
    # Cheap substring tests first: these run on every paragraph.
    if len(line) < 3000 and _is_caption(line):
        return "photo caption or credit"
    if "contributed" in line and len(line) < 400 and _CONTRIBUTED_RE.match(line):
        return "reporting credit"
    if ("http" in line or "www." in line) and URL_LINE_RE.match(line):
        return "URL line"
    if "ewsletter" in line and len(line) < 300 and _NEWSLETTER_RE.search(line):
        return "social or newsletter prompt"
    if line.startswith("•") and len(line) < 600 and re.search(r"cookie|consent|privacy", line, re.I):
        return "cookie notice"
    return None


def is_headline_like(line: str) -> bool:
    """A title-case line without closing punctuation: another story's headline placed as a link."""
    words = line.split()
    if not 4 <= len(words) <= 20 or line[-1:] in ".!?\"”'’:;,":
        return False
    caps = sum(1 for w in words if _TITLE_CASE_WORD.match(w))
    return caps == len(words) and sum(1 for w in words if w[:1].isupper()) >= len(words) * 0.6


# ---------------------------------------------------------------- database exports
_NEXIS_HEADER_KEYS = re.compile(r"^(?:section|length|byline|dateline|highlight|edition|series|"
                                r"correction-date|correction|graphic|notes|type|document-type|"
                                r"publication-type|journal-code|acc-no|ds-id|url|link|language|subject|"
                                r"geographic|organization|person|ticker|industry|company|load-date|"
                                r"classification|city|state|country):", re.IGNORECASE)
_NEXIS_FOOTER_START = re.compile(r"^(?:classification$|graphic$|load-date:|end of document$|language: [A-Z]+$|"
                                 r"publication-type:|subject: .*\(\d+%\))", re.IGNORECASE)
_DB_DATE_LINE = re.compile(
    rf"^(?:{dates._WEEKDAY},?\s+)?(?:{dates._MONTH}\s+\d{{1,2}},?\s+\d{{4}}|"
    rf"\d{{1,2}}\s+{dates._MONTH.replace('month', 'm2')}\s+\d{{4}})"
    rf"(?:,?\s+{dates._WEEKDAY})?(?:\s+\d{{1,2}}:\d{{2}}\s*(?:[AP]M)?\s*\w*)?$",
    re.IGNORECASE,
)
# Nexis cover pages, and Factiva's "Search Summary" block printed after the last document.
_COVER_MARKERS = re.compile(r"^(?:documents? \(\d+\)|search terms?:|client/matter:|search type:|"
                            r"job number:|date and time:|content type|narrowed by|results list|"
                            r"print request:|time of request:|sent to:|\d+\.\s+.+\s+\(\d+\s+words?\)|"
                            r"search summary$|results found\b)",
                            re.IGNORECASE)
_FACTIVA_DOC_RE = re.compile(r"^document [A-Z0-9]{16,}$", re.IGNORECASE)
_WORDS_LINE = re.compile(r"^(?:length:\s*)?[\d,]+\s+words?$", re.IGNORECASE)
_DATED_HEADER = re.compile(r"^\s*date\s+(\S+)\s*(.*)$", re.IGNORECASE)


def is_cover_page(lines: list[str]) -> bool:
    hits = sum(1 for ln in lines[:200] if _COVER_MARKERS.match(ln))
    has_body = any(ln == "Body" for ln in lines)
    return hits >= 2 and not has_body


def _nexis_split(lines: list[str]) -> tuple[list[str], list[str], list[str]] | None:
    """Header, body and footer of a Nexis-style export, or None when the text is not one."""
    try:
        body_at = lines.index("Body")
    except ValueError:
        return None
    header = lines[:body_at]
    if not any(_NEXIS_HEADER_KEYS.match(ln) or _DB_DATE_LINE.match(ln) or ln.lower().startswith("copyright")
               for ln in header):
        return None
    end = len(lines)
    for i in range(body_at + 1, len(lines)):
        if _NEXIS_FOOTER_START.match(lines[i]):
            end = i
            break
    return header, lines[body_at + 1:end], lines[end:]


def _factiva_split(lines: list[str]) -> tuple[list[str], list[str], list[str]] | None:
    nonempty = [i for i, ln in enumerate(lines) if ln]
    if not nonempty:
        return None
    doc_end = next((i for i in reversed(nonempty) if _FACTIVA_DOC_RE.match(lines[i])), None)
    words_at = next((i for i in nonempty[:12] if _WORDS_LINE.match(lines[i])), None)
    if doc_end is None or words_at is None:
        return None
    # The header runs to the copyright line (or to the first blank line after the word count).
    head_end = next((i for i in nonempty if i > words_at and lines[i].lower().startswith(("copyright", "(c)", "©"))),
                    None)
    if head_end is None:
        head_end = next((i for i in range(words_at, len(lines)) if not lines[i]), words_at)
    return lines[:head_end + 1], lines[head_end + 1:doc_end], lines[doc_end:]


# ---------------------------------------------------------------- paragraphs
def _blocks(lines: list[str]) -> list[list[str]]:
    blocks, cur = [], []
    for ln in lines:
        if ln:
            cur.append(ln)
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def _hard_wrapped(blocks: list[list[str]]) -> bool:
    """True when paragraphs were wrapped at a fixed width (lines joined back into paragraphs)."""
    inner = [ln for b in blocks if len(b) > 1 for ln in b[:-1]]
    if len(inner) < 2:
        return False
    wrapped = sum(1 for ln in inner if 50 <= len(ln) <= 90 and ln[-1:] not in ".!?\"”:")
    return wrapped >= 0.6 * len(inner)


def to_paragraphs(lines: list[str]) -> list[str]:
    blocks = _blocks(lines)
    if _hard_wrapped(blocks):
        return [" ".join(b) for b in blocks]
    return [ln for b in blocks for ln in b]


# ---------------------------------------------------------------- main entry
def clean_article(raw_text: str, known_title: str | None = None) -> Cleaned:
    """Title, body, date evidence and who published it.

    `known_title` is a title given beside the text (a batch record's title column): it wins, the
    first line is then not taken as a headline, and a repeat of it at the start of the body goes.
    """
    # Mojibake first: "â€™" must be "’" before quotes, dashes and captions are matched.
    text = normalise(repair_mojibake(raw_text))
    fmt = None
    page_title = None
    if looks_like_html(text):
        text, page_title = html_to_text(text)
        text = normalise(text)
        fmt = "html"
    lines = text.split("\n")
    evidence: list[DateEvidence] = []
    removed: list[tuple[str, str]] = []
    meta: dict[str, str] = {}
    title: str | None = None

    if is_cover_page(lines):
        return Cleaned(None, "", "database_export_cover", reject_reason=(
            "This is a news-database export cover page listing search results, not an article."))

    nexis = _nexis_split(lines)
    factiva = None if nexis else _factiva_split(lines)
    first = next((i for i, ln in enumerate(lines) if ln), None)
    dated = _DATED_HEADER.match(lines[first]) if first is not None else None

    if nexis:
        fmt = "database_export"
        header, body_lines, footer = nexis
        title = _export_header(header, meta, evidence, removed, factiva=False)
        for ln in footer:
            if ln:
                removed.append((ln, "export footer"))
                _footer_meta(ln, meta)
    elif factiva:
        fmt = "database_export"
        header, body_lines, footer = factiva
        title = _export_header(header, meta, evidence, removed, factiva=True)
        removed.extend((ln, "export footer") for ln in footer if ln)
    elif dated and re.match(r"\d{4}-\d{1,2}-\d{1,2}$", dated.group(1)):
        fmt = fmt or "dated_header"
        ev = dates.iso_evidence("header", dated.group(1))
        if ev:
            evidence.append(ev)
        title = dated.group(2).strip() or None
        removed.append((lines[first], "date header"))
        body_lines = lines[first + 1:]
    else:
        fmt = fmt or "web"
        body_lines = lines[first:] if first is not None else []
        title = page_title

    paragraphs = to_paragraphs(body_lines)
    credits: list[str] = []
    kept = _strip_boilerplate(paragraphs, removed, evidence, meta, credits)

    if known_title and known_title.strip():
        title = known_title
    elif title is None and kept and fmt in ("web", "html"):
        title, kept = _headline_from_first_line(kept)
        if title and fmt == "web" and len(kept) > 0:
            fmt = "headline_first" if not removed else "web"
    title = _clean_title(title)

    # The headline is not repeated at the start of the body; repeated paragraphs collapse to one.
    if title:
        tkey = norm_key(title)
        while kept and norm_key(kept[0]) == tkey:
            removed.append((kept.pop(0), "headline repeated"))
    seen: set[str] = set()
    body_pars: list[str] = []
    for p in kept:
        k = norm_key(p)
        if k in seen:
            removed.append((p, "repeated paragraph"))
            continue
        seen.add(k)
        body_pars.append(p)

    _dateline_evidence(body_pars, evidence, meta)
    body = "\n\n".join(body_pars)
    url = _tidy_url(meta.get("url") or meta.get("link"))
    result = Cleaned(title, body, fmt, evidence, removed, meta, outlet_text=_outlet_text(meta, url),
                     byline=tidy_byline(meta.get("byline")), section=_tidy_section(meta.get("section")),
                     url=url, dateline_place=tidy(meta.get("dateline")), credits=tidy(" ".join(credits)))
    if not body.strip() or not WORD_RE.search(body):
        result.reject_reason = "Nothing is left after removing boilerplate: the file holds no article text."
    return result


def _clean_title(title: str | None) -> str | None:
    if not title:
        return None
    title = " ".join(title.split())
    title = re.sub(r"\s+[|–—-]\s+(?:BBC News|Reuters|AP News|Al Jazeera|CNN|The Guardian|[\w .]{2,30})$", "",
                   title) if len(title) > 60 and re.search(r"\s[|]\s", title) else title
    return title or None


def _headline_from_first_line(pars: list[str]) -> tuple[str | None, list[str]]:
    first = pars[0]
    words = first.split()
    sentences = len(re.findall(r"[.!?][\"”']?(?:\s|$)", first))
    if len(words) <= 30 and sentences <= 1 and len(pars) > 1:
        return first, pars[1:]
    return None, pars


_TIME_LINE = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]M)?\s*[A-Z]{0,4}$", re.IGNORECASE)


def _export_header(header: list[str], meta: dict, evidence: list[DateEvidence],
                   removed: list[tuple[str, str]], factiva: bool = False) -> str | None:
    """Title, publication, date and byline from a database-export header block.

    Nexis puts the publication on the line just before the date line; Factiva on the first line
    after the date (and its time line), followed by the source code and the language.
    """
    pre: list[str] = []
    date_seen = False
    after_date: list[str] = []
    for ln in header:
        if not ln:
            continue
        removed.append((ln, "export header"))
        if re.match(r"^page \d+ of \d+$", ln, re.I):
            continue
        low = ln.lower()
        if _DB_DATE_LINE.match(ln) and not date_seen:
            date_seen = True
            evidence.extend(dates.find_dates("header", ln))
            continue
        if low.startswith(("copyright", "(c)", "©")) or _WORDS_LINE.match(ln):
            continue
        m = re.match(r"^([A-Za-z-]+):\s*(.*)$", ln)
        if m and _NEXIS_HEADER_KEYS.match(ln):
            meta[m.group(1).lower()] = m.group(2)
            continue
        if low.startswith("by "):
            meta.setdefault("byline", ln[3:].strip())
            continue
        if not date_seen:
            pre.append(ln)
        elif factiva and not _TIME_LINE.match(ln):
            after_date.append(ln)
    if factiva and after_date:
        meta.setdefault("publication", after_date[0])
    if not pre:
        return None
    # Title lines come first; in a Nexis header the line just before the date is the publication.
    if len(pre) >= 2 and not factiva:
        meta.setdefault("publication", pre[-1])
        return " ".join(pre[:-1])
    return " ".join(pre) if factiva else pre[0]


def _footer_meta(line: str, meta: dict) -> None:
    m = re.match(r"^(Language|Load-Date|Subject|Geographic|Publication-Type):\s*(.*)$", line, re.I)
    if m:
        meta[m.group(1).lower()] = m.group(2).strip()


def _strip_boilerplate(paragraphs: list[str], removed: list[tuple[str, str]],
                       evidence: list[DateEvidence], meta: dict, credits: list[str] | None = None) -> list[str]:
    kept: list[str] = []
    for i, p in enumerate(paragraphs):
        if _SECTION_END_RE.fullmatch(p) and kept:
            removed.extend((q, "related-stories section") for q in paragraphs[i:])
            break
        pub = _PUBLISHED_RE.match(p)
        if pub and len(p) < 120:
            evidence.extend(dates.find_dates("header", pub.group(1)))
            removed.append((p, "publication timestamp"))
            continue
        if len(kept) <= 2 and _BYLINE_RE.match(p) and len(p) < 100:
            meta.setdefault("byline", p[3:].strip())
            removed.append((p, "byline"))
            continue
        why = boilerplate_reason(p)
        if why == "photo caption or credit":
            evidence.extend(dates.find_dates("text", p))
        elif why == "reporting credit" and credits is not None:
            credits.append(p[1:-1] if p.startswith("(") and p.endswith(")") else p)
        elif why == "URL line":
            meta.setdefault("url", URL_LINE_RE.match(p).group(1))
        if why is None and kept and is_headline_like(p):
            why = "headline of another story"
        if why:
            removed.append((p, why))
            continue
        kept.append(p)
    return kept


_DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'\- ]{1,40}(?:,\s*[A-Z][A-Za-z.' ]{1,30})?),\s+"
    r"(?P<date>(?i:" + dates._MONTH + r")\s+\d{1,2}(?:,\s*\d{4})?)\s*(?:\((?P<agency>[^)]{2,30})\))?\s*[-–—]"
)
_DATELINE_AGENCY_RE = re.compile(r"^(?P<place>[A-Z][A-Z.'\- ]{1,40})(?:,\s*[A-Za-z.' ]{1,30})?"
                                 r"\s*\((?P<agency>[^)]{2,30})\)\s*[-–—]")
# "TEL AVIV -- Secretary ...": one to four upper-case words, then a dash.
_DATELINE_PLAIN_RE = re.compile(r"^(?!(?:BREAKING|UPDATE|UPDATED|EXCLUSIVE|ANALYSIS|OPINION|WATCH|LIVE|"
                                r"EDITOR'S NOTE)\b)"
                                r"(?P<place>[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,3})(?:,\s*[A-Z][A-Za-z.' ]{1,30})?"
                                r"\s+(?:--|[–—])\s")


def _dateline_evidence(pars: list[str], evidence: list[DateEvidence], meta: dict) -> None:
    if not pars:
        return
    m = _DATELINE_RE.match(pars[0])
    if m:
        meta.setdefault("dateline", m.group("place"))
        if m.group("agency"):
            meta.setdefault("dateline_agency", m.group("agency"))
        raw = m.group("date")
        full = dates.find_dates("dateline", raw)
        if full:
            evidence.extend(full)
            return
        md = dates.MONTH_DAY_RE.match(raw)
        year = _year_hint(evidence, meta)
        if md and year:
            evidence.append(DateEvidence("dateline", f"{raw} ({year})", year,
                                         dates.MONTHS[md.group("month").lower()], int(md.group("day"))))
        return
    m = _DATELINE_AGENCY_RE.match(pars[0])
    if m:
        meta.setdefault("dateline", m.group("place").strip())
        meta.setdefault("dateline_agency", m.group("agency"))
        return
    m = _DATELINE_PLAIN_RE.match(pars[0])
    if m:
        meta.setdefault("dateline", m.group("place"))


# ---------------------------------------------------------------- who published it, tidied
def _outlet_text(meta: dict[str, str], url: str | None) -> str | None:
    """The export's publication line; else a dateline's agency ("(Reuters)"), unless the URL names a
    known outlet: a Reuters story on arabnews.com was published by Arab News."""
    if meta.get("publication"):
        return tidy(meta["publication"])
    if meta.get("dateline_agency") and not domain_outlet(url):
        return tidy(meta["dateline_agency"])
    return None


# "Bethan McKernan in Jerusalem", "Jane Doe, Reuters": where and for whom they wrote is not their name.
_BYLINE_TAIL = re.compile(r"\s+(?:in|from)\s+[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2}$|"
                          r",\s*(?:Reuters|AP|AFP|Associated Press|Bloomberg|Staff Writer|Staff Reporter|"
                          r"Correspondent|Special to [\w .]+)$")


def tidy_byline(text: str | None) -> str | None:
    text = tidy(text)
    if text and text[:3].lower() == "by ":
        text = tidy(text[3:])
    if text:
        text = tidy(_BYLINE_TAIL.sub("", text)) or text
    return text


_PAGE_PART = re.compile(r"^(?:pg\.?|page|p\.|col\.?|column|version:?)\s*[\w-]*$", re.IGNORECASE)


def _tidy_section(text: str | None) -> str | None:
    """"Section A; Column 0; Foreign Desk; Pg. 1" -> "Section A; Foreign Desk": pages and columns are not sections."""
    text = tidy(text)
    if not text:
        return None
    parts = [p.strip() for p in text.split(";")]
    return tidy("; ".join(p for p in parts if p and not _PAGE_PART.match(p)))


def _tidy_url(text: str | None) -> str | None:
    text = tidy(text)
    if not text:
        return None
    return text.strip("<>") or None


def _year_hint(evidence: list[DateEvidence], meta: dict) -> int | None:
    for ev in evidence:
        return ev.year
    for key in ("load-date",):
        if key in meta:
            found = dates.find_dates("text", meta[key])
            if found:
                return found[0].year
    return None
