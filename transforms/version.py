"""The extractor version: changes whenever extraction code, seed tables or the model change.

Articles built under another version are rebuilt from raw on the next run.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from transforms.lexicon import SEEDS_DIR, seeds_fingerprint

MAJOR = "1"
TRANSFORMS_DIR = Path(__file__).resolve().parent


def _model_id(model: str) -> str:
    try:
        return f"{model}=={metadata.version(model.replace('_', '-'))}"
    except metadata.PackageNotFoundError:
        return model


@lru_cache(maxsize=8)
def extractor_version(model: str, seeds_dir: Path = SEEDS_DIR) -> str:
    h = hashlib.sha256()
    for path in sorted(TRANSFORMS_DIR.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update(seeds_fingerprint(seeds_dir).encode())
    h.update(_model_id(model).encode())
    return f"{MAJOR}.{h.hexdigest()[:12]}"
