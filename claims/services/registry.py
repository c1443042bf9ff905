"""Writes that load the source registry from its data files, and edit terms of office.

The files (``claims/data/sources.json`` and ``claims/data/registry/*.json``) are read
and validated by the extraction package's pure reader, so the database and the
command-line extractor see the same registry. Loading is idempotent, and an
editor's own changes win: every loaded field remembers the value a loader wrote
(``Source.loaded``); a field an editor has changed since is left as the editor
made it, an alias is never removed, and a term an editor entered or edited is
never touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from claims.extraction.normalize import normalize_key
from claims.extraction.registry import RegistryError, read_registry
from claims.models import Position, Source, SourceAlias, SourceKind
from claims.services.errors import InvalidInput

# Fields a loader writes; ``parent`` and ``affiliation`` are compared by slug.
LOADED_FIELDS = (
    "kind",
    "name_fa",
    "name_en",
    "country",
    "description",
    "wikidata_id",
    "parent",
    "affiliation",
)


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    aliases_added: int = 0
    positions_created: int = 0
    positions_updated: int = 0
    kept_editor_values: int = 0
    files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"files {len(self.files)}; sources created {self.created}, updated {self.updated}; "
            f"aliases added {self.aliases_added}; terms created {self.positions_created}, "
            f"updated {self.positions_updated}; editor values kept {self.kept_editor_values}"
        )


def _current(source: Source, name: str, slug_of: dict[int, str]) -> Any:
    if name in ("parent", "affiliation"):
        ref = getattr(source, f"{name}_id")
        return slug_of.get(ref) if ref else None
    value = getattr(source, name)
    return value or ("" if name != "wikidata_id" else None)


def apply_loaded_fields(
    source: Source,
    wanted: dict[str, Any],
    *,
    created: bool,
    slug_of: dict[int, str],
    by_slug: dict[str, Source],
) -> tuple[bool, int]:
    """Write ``wanted`` (field -> value, refs as slugs) onto ``source`` where the
    editors have not changed the field since a loader last wrote it. Returns
    (changed, fields kept as the editor left them)."""
    changed = False
    kept = 0
    loaded = dict(source.loaded or {})
    for name, value in wanted.items():
        now = _current(source, name, slug_of)
        if created:
            edited = False
        elif name in loaded:
            edited = now != loaded[name]
        else:
            # Loaded before values were remembered: a different value may be an editor's.
            edited = now not in (None, "")
        loaded[name] = value
        if now == value:
            continue
        if edited:
            kept += 1
            continue
        if name in ("parent", "affiliation"):
            setattr(source, name, by_slug.get(value) if value else None)
            if value and value not in by_slug:
                setattr(source, name, Source.objects.filter(slug=value).first())
        elif name == "wikidata_id":
            source.wikidata_id = value or ""
        else:
            setattr(source, name, value)
        changed = True
    if loaded != (source.loaded or {}):
        source.loaded = loaded
        changed = True
    return changed, kept


@transaction.atomic
def registry_load(*, paths: Sequence[Path] | None = None) -> LoadResult:
    """Load (or update) the registry from its data files (default: the shipped ones)."""
    try:
        data = read_registry(paths)
    except RegistryError as exc:
        raise InvalidInput(str(exc), details={"file": exc.file, "slug": exc.slug}) from exc
    result = LoadResult(files=[str(p) for p in data.files])
    slugs = [e["slug"] for e in data.entries]
    by_slug: dict[str, Source] = {s.slug: s for s in Source.objects.filter(slug__in=slugs)}
    # Entries first (references may point forward), then their references.
    for e in data.entries:
        if e["slug"] not in by_slug:
            source = Source(slug=e["slug"], kind=e["kind"], name_fa=e["name_fa"][:300], loaded={})
            source._created = True  # type: ignore[attr-defined]
            by_slug[e["slug"]] = source
    new = [s for s in by_slug.values() if getattr(s, "_created", False)]
    Source.objects.bulk_create(new)
    if any(s.pk is None for s in new):  # backends without RETURNING ids
        for s in Source.objects.filter(slug__in=[s.slug for s in new]):
            by_slug[s.slug].pk = s.pk
    result.created = len(new)
    refs = {s.parent_id for s in by_slug.values() if s.parent_id} | {
        s.affiliation_id for s in by_slug.values() if s.affiliation_id
    }
    slug_of = {s.pk: s.slug for s in by_slug.values()}
    slug_of.update(dict(Source.objects.filter(pk__in=refs - set(slug_of)).values_list("pk", "slug")))
    changed: list[Source] = []
    for e in data.entries:
        source = by_slug[e["slug"]]
        wanted = {
            "kind": e["kind"],
            "name_fa": e["name_fa"][:300],
            "name_en": e["name_en"][:300],
            "country": e["country"],
            "description": e["description"],
            "wikidata_id": e["wikidata_id"],
            "parent": e["parent"],
            "affiliation": e["affiliation"],
        }
        was_created = getattr(source, "_created", False)
        did, kept = apply_loaded_fields(source, wanted, created=was_created, slug_of=slug_of, by_slug=by_slug)
        result.kept_editor_values += kept
        if did:
            changed.append(source)
            result.updated += not was_created
    if changed:
        Source.objects.bulk_update(changed, [*LOADED_FIELDS, "loaded"], batch_size=500)
    result.aliases_added = _aliases_add(
        (by_slug[e["slug"]], text) for e in data.entries for text in (e["name_fa"], *e["aliases"])
    )
    created, updated = _positions_load(data.positions, by_slug, origin=Position.Origin.REGISTRY)
    result.positions_created, result.positions_updated = created, updated
    return result


def _aliases_add(pairs: Iterable[tuple[Source, str]]) -> int:
    pairs = list(pairs)
    ids = {s.pk for s, _ in pairs}
    have = set(SourceAlias.objects.filter(source_id__in=ids).values_list("source_id", "key"))
    new: list[SourceAlias] = []
    for source, text in pairs:
        text = text.strip()[:300]
        key = normalize_key(text)
        if key and (source.pk, key) not in have:
            have.add((source.pk, key))
            new.append(SourceAlias(source=source, text=text, key=key))
    SourceAlias.objects.bulk_create(new)
    return len(new)


def _positions_load(
    positions: Iterable[dict[str, Any]], by_slug: dict[str, Source], *, origin: str
) -> tuple[int, int]:
    wanted: dict[tuple[int, int, dt.date], dict[str, Any]] = {}
    for p in positions:
        office, holder = by_slug.get(p["office"]), by_slug.get(p["holder"])
        if office is None:
            office = Source.objects.filter(slug=p["office"]).first()
        if holder is None:
            holder = Source.objects.filter(slug=p["holder"]).first()
        if office is None or holder is None:
            continue
        wanted[(office.pk, holder.pk, p["start"])] = {
            "end": p["end"],
            "provenance": Path(p.get("file") or p.get("provenance") or "").name
            or str(p.get("provenance", "")),
        }
    if not wanted:
        return 0, 0
    office_ids = {k[0] for k in wanted}
    existing = {
        (t.office_id, t.holder_id, t.start): t for t in Position.objects.filter(office_id__in=office_ids)
    }
    new, changed = [], []
    for key, values in wanted.items():
        term = existing.get(key)
        if term is None:
            new.append(
                Position(
                    office_id=key[0],
                    holder_id=key[1],
                    start=key[2],
                    end=values["end"],
                    origin=origin,
                    provenance=values["provenance"][:300],
                )
            )
        elif term.origin != Position.Origin.EDITOR and term.end != values["end"]:
            term.end = values["end"]
            changed.append(term)
    Position.objects.bulk_create(new)
    if changed:
        Position.objects.bulk_update(changed, ["end"])
    return len(new), len(changed)


def _check_term(office: Source, holder: Source, start: dt.date | None, end: dt.date | None) -> None:
    if office.kind != SourceKind.OFFICE:
        raise InvalidInput(f"«{office}» یک سمت نیست.", details={"field": "office"})
    if holder.kind != SourceKind.PERSON:
        raise InvalidInput(f"«{holder}» یک شخص نیست.", details={"field": "holder"})
    if start is None:
        raise InvalidInput("تاریخ آغاز لازم است.", details={"field": "start"})
    if end is not None and end < start:
        raise InvalidInput("تاریخ پایان پیش از تاریخ آغاز است.", details={"field": "end"})


@transaction.atomic
def position_create(
    *, office: Source, holder: Source, start: dt.date, end: dt.date | None = None, editor: Any = None
) -> Position:
    """An editor records a term of office."""
    _check_term(office, holder, start, end)
    if Position.objects.filter(office=office, holder=holder, start=start).exists():
        raise InvalidInput("این دورهٔ تصدی پیش‌تر ثبت شده است.", details={"field": "start"})
    return Position.objects.create(
        office=office,
        holder=holder,
        start=start,
        end=end,
        origin=Position.Origin.EDITOR,
        provenance=f"editor:{getattr(editor, 'username', '')}"[:300],
    )


@transaction.atomic
def position_update(
    *,
    position: Position,
    start: dt.date,
    end: dt.date | None,
    holder: Source | None = None,
    editor: Any = None,
) -> Position:
    """An editor corrects a term; from then on loaders leave it as the editor made it."""
    holder = holder or position.holder
    _check_term(position.office, holder, start, end)
    clash = Position.objects.filter(office=position.office, holder=holder, start=start).exclude(
        pk=position.pk
    )
    if clash.exists():
        raise InvalidInput("این دورهٔ تصدی پیش‌تر ثبت شده است.", details={"field": "start"})
    position.holder, position.start, position.end = holder, start, end
    position.origin = Position.Origin.EDITOR
    position.provenance = f"editor:{getattr(editor, 'username', '')}"[:300]
    position.save()
    return position


@transaction.atomic
def position_delete(*, position: Position) -> None:
    position.delete()
