"""Several export documents in one text (placeholder until the splitter lands): one part."""
from __future__ import annotations


def split_documents(text: str) -> list[str]:
    return [text]
