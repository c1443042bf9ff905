"""Writes to the source registry."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from claims.extraction.normalize import normalize_key
from claims.models import Source, SourceAlias, SourceKind
from claims.services.errors import InvalidInput

DEFAULT_SOURCES_FILE = Path(__file__).resolve().parent.parent / "data" / "sources.json"


def _unique_slug(base: str) -> str:
    base = (slugify(base) or "source")[:100]
    slug, n = base, 2
    while Source.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def source_alias_add(*, source: Source, text: str) -> SourceAlias:
    """Add a written form to a source (idempotent: an existing key is returned as is)."""
    text = text.strip()
    key = normalize_key(text)
    if not key:
        raise InvalidInput("نام دیگر نمی‌تواند خالی باشد.")
    alias = SourceAlias.objects.filter(source=source, key=key).first()
    if alias is None:
        alias = SourceAlias(source=source, text=text[:300])
        alias.save()
    return alias


@transaction.atomic
def source_create(
    *,
    name_fa: str,
    kind: str,
    name_en: str = "",
    slug: str = "",
    parent: Source | None = None,
    affiliation: Source | None = None,
    country: str = "",
    description: str = "",
    wikidata_id: str = "",
    aliases: list[str] | tuple[str, ...] = (),
) -> Source:
    name_fa = name_fa.strip()
    if not name_fa:
        raise InvalidInput("نام فارسی منبع لازم است.")
    if kind not in SourceKind.values:
        raise InvalidInput(f"نوع منبع «{kind}» شناخته نیست.")
    source = Source.objects.create(
        name_fa=name_fa[:300],
        name_en=name_en.strip()[:300],
        slug=slug or _unique_slug(name_en or name_fa),
        kind=kind,
        parent=parent,
        affiliation=affiliation,
        country=(country or "").upper()[:2],
        description=description,
        wikidata_id=wikidata_id or "",
    )
    for text in (name_fa, *aliases):
        source_alias_add(source=source, text=text)
    return source


@transaction.atomic
def sources_load(*, path: Path = DEFAULT_SOURCES_FILE) -> tuple[int, int]:
    """Load (or update) the registry from its versioned data file.

    Entries are matched by slug; fields in the file win, aliases are added, and
    nothing editors added is removed. Returns (sources created, aliases added)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    created = aliases_added = 0
    by_slug: dict[str, Source] = {}
    for entry in data["sources"]:
        if entry["kind"] not in SourceKind.values:
            raise InvalidInput(f"{entry['slug']}: unknown kind {entry['kind']!r}")
        fields = {
            "kind": entry["kind"],
            "name_fa": entry["name_fa"],
            "name_en": entry.get("name_en") or "",
            "country": entry.get("country") or "",
            "description": entry.get("description") or "",
            "wikidata_id": entry.get("wikidata_id") or "",
            "parent": by_slug.get(entry.get("parent") or "") or _by_slug(entry.get("parent")),
            "affiliation": by_slug.get(entry.get("affiliation") or "") or _by_slug(entry.get("affiliation")),
        }
        source, was_created = Source.objects.update_or_create(slug=entry["slug"], defaults=fields)
        created += was_created
        by_slug[source.slug] = source
        existing = set(source.aliases.values_list("key", flat=True))
        for text in (entry["name_fa"], *entry.get("aliases", [])):
            if normalize_key(text) not in existing:
                source_alias_add(source=source, text=text)
                existing.add(normalize_key(text))
                aliases_added += 1
    return created, aliases_added


def _by_slug(slug: str | None) -> Source | None:
    if not slug:
        return None
    return Source.objects.filter(slug=slug).first()
