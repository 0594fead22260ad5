"""Document language with lingua (a maintained, offline, n-gram detector).

Restricted to the languages news in this warehouse plausibly comes in, in low-accuracy mode
on the first ~600 characters: about 1 ms an article, ample for a whole-document decision.
"""
from __future__ import annotations

import re
from functools import lru_cache

SAMPLE_CHARS = 600
UNDETERMINED = "und"


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language as L
    from lingua import LanguageDetectorBuilder

    langs = [L.ENGLISH, L.FRENCH, L.GERMAN, L.SPANISH, L.ITALIAN, L.PORTUGUESE, L.DUTCH, L.ARABIC,
             L.HEBREW, L.RUSSIAN, L.TURKISH, L.PERSIAN, L.UKRAINIAN, L.POLISH, L.CHINESE, L.JAPANESE,
             L.INDONESIAN, L.SWEDISH, L.DANISH, L.URDU, L.HINDI, L.GREEK, L.ROMANIAN, L.KOREAN]
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


def detect_language(text: str) -> str:
    """ISO 639-1 code ('en', 'fr', ...), or 'und' when the text is too short or unclear."""
    sample = text[:SAMPLE_CHARS]
    if len(re.findall(r"[^\W\d_]", sample)) < 20:
        return UNDETERMINED
    lang = _detector().detect_language_of(sample)
    return lang.iso_code_639_1.name.lower() if lang is not None else UNDETERMINED
