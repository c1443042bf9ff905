"""The registry files read as data: ``claims/data/sources.json`` plus every
``claims/data/registry/*.json`` (pure Python).

:func:`read_registry` validates them; the Django loader and the command-line
extractor both read the files through it, so the two never disagree on what the
files say.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SOURCES_FILE = DATA_DIR / "sources.json"
REGISTRY_DIR = DATA_DIR / "registry"
COUNTRIES_FILE = DATA_DIR / "countries.json"

KINDS = frozenset(
    {
        "person",
        "office",
        "organisation",
        "government_body",
        "military_command",
        "news_agency",
        "media_group",
        "armed_group",
        "anonymous",
    }
)
OUTLET_KINDS = frozenset({"news_agency", "media_group"})
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WIKIDATA = re.compile(r"^Q[0-9]+$")


class RegistryError(ValueError):
    """The registry data is wrong; the message names the file and the slug."""

    def __init__(self, message: str, *, file: str = "", slug: str = "") -> None:
        where = ": ".join(p for p in (Path(file).name if file else "", slug) if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.file = file
        self.slug = slug


@dataclass
class RegistryData:
    """What the registry files say, validated: entry dicts in file order (each
    with ``file``), and positions with parsed dates."""

    entries: list[dict[str, Any]]
    positions: list[dict[str, Any]]
    files: list[Path]


# --- reading the files -------------------------------------------------------


def registry_files(sources: Path | None = None, registry_dir: Path | None = None) -> list[Path]:
    """``sources.json`` then every ``registry/*.json`` in name order."""
    sources = SOURCES_FILE if sources is None else sources
    registry_dir = REGISTRY_DIR if registry_dir is None else registry_dir
    files = [sources] if sources.exists() else []
    if registry_dir.is_dir():
        files += sorted(p for p in registry_dir.glob("*.json") if p.is_file())
    return files


def parse_date(value: Any, *, file: str, slug: str, field: str) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise RegistryError(f"{field} must be a date YYYY-MM-DD or null, not {value!r}", file=file, slug=slug)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RegistryError(f"{field} {value!r} is not a date YYYY-MM-DD", file=file, slug=slug) from None


def read_registry(paths: Sequence[Path] | None = None) -> RegistryData:
    """Read and validate registry files; references are resolved after every file
    is read, so a file may refer to an entry of any other."""
    files = [Path(p) for p in (registry_files() if paths is None else paths)]
    entries: list[dict[str, Any]] = []
    positions: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for path in files:
        name = str(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise RegistryError(f"cannot read: {exc}", file=name) from exc
        if not isinstance(data, dict) or not isinstance(data.get("sources", []), list):
            raise RegistryError('expected {"version": 1, "sources": [...], "positions": [...]}', file=name)
        for raw in data.get("sources", []):
            entry = _entry_dict(raw, name)
            if entry["slug"] in seen:
                raise RegistryError(
                    f"duplicate slug (first in {Path(seen[entry['slug']]).name})",
                    file=name,
                    slug=entry["slug"],
                )
            seen[entry["slug"]] = name
            entries.append(entry)
        for raw in data.get("positions", []) or []:
            positions.append(_position_dict(raw, name))
    kinds = {e["slug"]: e["kind"] for e in entries}
    for e in entries:
        for field in ("parent", "affiliation"):
            ref = e[field]
            if ref is not None and ref not in kinds:
                raise RegistryError(
                    f"{field} {ref!r} is not a slug in the registry", file=e["file"], slug=e["slug"]
                )
            if ref == e["slug"]:
                raise RegistryError(f"{field} is the entry itself", file=e["file"], slug=e["slug"])
    for p in positions:
        label = f"{p['office']} <- {p['holder']}"
        for field, want in (("office", "office"), ("holder", "person")):
            ref = p[field]
            if ref not in kinds:
                raise RegistryError(
                    f"position {field} {ref!r} is not a slug in the registry", file=p["file"], slug=label
                )
            if kinds[ref] != want:
                raise RegistryError(
                    f"position {field} {ref!r} is a {kinds[ref]}, not a {want}", file=p["file"], slug=label
                )
    return RegistryData(entries=entries, positions=positions, files=files)


def _entry_dict(raw: Any, file: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise RegistryError(f"a source must be an object, not {raw!r:.60}", file=file)
    slug = raw.get("slug")
    if not isinstance(slug, str) or not _SLUG.match(slug) or len(slug) > 120:
        raise RegistryError(f"bad slug {slug!r} (lower-case a-z, 0-9 and hyphens)", file=file, slug=str(slug))
    kind = raw.get("kind")
    if kind not in KINDS:
        raise RegistryError(
            f"unknown kind {kind!r} (one of {', '.join(sorted(KINDS))})", file=file, slug=slug
        )
    name_fa = raw.get("name_fa")
    if not isinstance(name_fa, str) or not name_fa.strip():
        raise RegistryError("name_fa is missing", file=file, slug=slug)
    country = raw.get("country") or ""
    if not isinstance(country, str) or (country and not re.fullmatch(r"[A-Z]{2}", country)):
        raise RegistryError(f"country {country!r} is not an ISO 3166-1 alpha-2 code", file=file, slug=slug)
    wikidata = raw.get("wikidata_id") or None
    if wikidata is not None and (not isinstance(wikidata, str) or not _WIKIDATA.match(wikidata)):
        raise RegistryError(f"wikidata_id {wikidata!r} is not Q followed by digits", file=file, slug=slug)
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise RegistryError("aliases must be a list of strings", file=file, slug=slug)
    refs = {}
    for field in ("parent", "affiliation"):
        ref = raw.get(field) or None
        if ref is not None and not isinstance(ref, str):
            raise RegistryError(f"{field} must be a slug or null", file=file, slug=slug)
        refs[field] = ref
    return {
        "slug": slug,
        "kind": kind,
        "name_fa": name_fa.strip(),
        "name_en": (raw.get("name_en") or "").strip(),
        "country": country,
        "description": raw.get("description") or "",
        "wikidata_id": wikidata,
        "aliases": [a for a in aliases if a.strip()],
        **refs,
        "file": file,
    }


def _position_dict(raw: Any, file: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise RegistryError(f"a position must be an object, not {raw!r:.60}", file=file)
    office, holder = raw.get("office"), raw.get("holder")
    label = f"{office} <- {holder}"
    if not isinstance(office, str) or not isinstance(holder, str):
        raise RegistryError("a position needs an office slug and a holder slug", file=file, slug=label)
    start = parse_date(raw.get("start"), file=file, slug=label, field="start")
    end = parse_date(raw.get("end"), file=file, slug=label, field="end")
    if start is None:
        raise RegistryError("start is missing", file=file, slug=label)
    if end is not None and end < start:
        raise RegistryError(f"end {end} is before start {start}", file=file, slug=label)
    return {"office": office, "holder": holder, "start": start, "end": end, "file": file}
