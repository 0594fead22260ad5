"""Per-stage versions: each stage is rebuilt only when its own code, seeds or model change.

A stage's version hashes the syntax trees (comments, docstrings and layout do not count) of the
modules it runs, found by following its imports inside `transforms/` (a shared helper counts for
every stage that imports it), plus the seed files it reads and, for NER, the model package.
The public `extractor_version` is the combination of the three.
"""
from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from transforms.lexicon import SEEDS_DIR

TRANSFORMS_DIR = Path(__file__).resolve().parent
PACKAGE = "transforms"

# What each stage runs and reads. tests/test_versions.py checks that every seed a stage's modules
# name is listed here, so the list cannot silently fall behind the code.
STAGES: dict[str, dict] = {
    "clean": {"entry": ["transforms.articles"],
              "seeds": ["outlet_aliases.csv"]},
    "ner": {"entry": ["transforms.nlp"],
            "seeds": ["entity_aliases.csv"]},
    "figures": {"entry": ["transforms.extract"],
                "seeds": ["measure_vocabulary.csv", "subject_nouns.csv", "nationalities.csv",
                          "source_aliases.csv", "entity_aliases.csv", "places.csv", "populations.csv",
                          "population_groups.csv", "figure_words.csv", "currencies.csv"]},
}


def module_path(name: str) -> Path | None:
    """File of a module or package inside transforms/, or None when it is not ours."""
    if name != PACKAGE and not name.startswith(PACKAGE + "."):
        return None
    rel = Path(*name.split(".")[1:]) if name != PACKAGE else Path()
    pkg = TRANSFORMS_DIR / rel / "__init__.py"
    if pkg.exists():
        return pkg
    mod = (TRANSFORMS_DIR / rel).with_suffix(".py")
    return mod if mod.exists() else None


def _module_name(path: Path) -> str:
    rel = path.relative_to(TRANSFORMS_DIR.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, tree: ast.Module) -> set[str]:
    """Modules of ours that a file imports (anywhere in it, including inside functions)."""
    here = _module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            for a in node.names:  # "from transforms import clean" is the module clean, not all of transforms
                sub = f"{base}.{a.name}"
                found.add(sub if module_path(sub) is not None else base)
    return {n for n in found if module_path(n) is not None}


def _strip_docstrings(tree: ast.Module) -> ast.Module:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return tree


def closure(entries: list[str]) -> list[Path]:
    """Every file of ours the entry modules run: their imports, followed transitively (a package's
    __init__ counts, and the submodules it imports)."""
    todo = list(entries)
    seen: dict[str, Path] = {}
    while todo:
        name = todo.pop()
        path = module_path(name)
        if path is None or name in seen:
            continue
        seen[name] = path
        todo.extend(_imports(path, ast.parse(path.read_text(encoding="utf-8"))))
    return sorted(set(seen.values()))


def code_hash(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for path in paths:
        tree = _strip_docstrings(ast.parse(path.read_text(encoding="utf-8")))
        h.update(path.relative_to(TRANSFORMS_DIR).as_posix().encode())
        h.update(ast.dump(tree, include_attributes=False).encode())
    return h.hexdigest()


def _model_id(model: str) -> str:
    try:
        return f"{model}=={metadata.version(model.replace('_', '-'))}"
    except metadata.PackageNotFoundError:
        return model


@dataclass(frozen=True)
class Versions:
    clean: str
    ner: str
    figures: str

    @property
    def extractor(self) -> str:
        """The public extractor_version: the three stage versions together."""
        return combine(self.clean, self.ner, self.figures)


def combine(clean: str | None, ner: str | None, figures: str | None) -> str:
    return "/".join(v or "-" for v in (clean, ner, figures))


def stage_version(stage: str, model: str | None = None, seeds_dir: Path = SEEDS_DIR) -> str:
    spec = STAGES[stage]
    h = hashlib.sha256(code_hash(closure(spec["entry"])).encode())
    for name in spec["seeds"]:
        path = seeds_dir / name
        h.update(name.encode())
        h.update(path.read_bytes() if path.exists() else b"")
    if stage == "ner":
        h.update(_model_id(model or "").encode())
    return f"{stage[0]}{h.hexdigest()[:10]}"


@lru_cache(maxsize=8)
def versions(model: str, seeds_dir: Path = SEEDS_DIR) -> Versions:
    return Versions(stage_version("clean", seeds_dir=seeds_dir), stage_version("ner", model, seeds_dir),
                    stage_version("figures", seeds_dir=seeds_dir))


def extractor_version(model: str, seeds_dir: Path = SEEDS_DIR) -> str:
    return versions(model, seeds_dir).extractor
