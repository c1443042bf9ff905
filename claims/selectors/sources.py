"""Reads of the source registry."""

from __future__ import annotations

from claims.models import Source, SourceAlias


def alias_table() -> dict[str, int]:
    """normalize_key(alias) -> source id, for the extractor's registry resolution.

    A key shared by two sources is ambiguous; the lower id wins so the answer is stable."""
    table: dict[str, int] = {}
    for key, source_id in SourceAlias.objects.order_by("-source_id").values_list("key", "source_id"):
        table[key] = source_id
    return table


def registry_snapshot():
    """The registry as the extractor resolves against it: every entry with its
    database id, its written forms and the terms of its offices."""
    from claims.extraction.registry import Entry, Registry, Term
    from claims.models import Position, Source

    slug_of: dict[int, str] = {}
    rows = list(
        Source.objects.values_list(
            "id", "slug", "kind", "name_fa", "name_en", "parent_id", "affiliation_id", "country"
        )
    )
    for pk, slug, *_ in rows:
        slug_of[pk] = slug
    entries = [
        Entry(
            slug=slug,
            kind=kind,
            name_fa=name_fa,
            name_en=name_en,
            parent=slug_of.get(parent) if parent else None,
            affiliation=slug_of.get(affiliation) if affiliation else None,
            country=country,
            id=pk,
        )
        for pk, slug, kind, name_fa, name_en, parent, affiliation, country in rows
    ]
    aliases = [(slug_of[sid], text) for sid, text in SourceAlias.objects.values_list("source_id", "text")]
    aliases += [(e.slug, e.name_fa) for e in entries]
    terms = [
        Term(slug_of[o], slug_of[h], start, end)
        for o, h, start, end in Position.objects.values_list("office_id", "holder_id", "start", "end")
    ]
    return Registry(entries, aliases, terms)


def source_for_name(name: str) -> Source | None:
    """The registry entry one of whose aliases is this name (ZWNJ- and letter-form
    insensitive), or None. A name shared by two entries gives the lower id, as in
    ``alias_table``."""
    from claims.extraction.normalize import normalize_key

    key = normalize_key(name or "")
    if not key:
        return None
    alias = SourceAlias.objects.filter(key=key).select_related("source").order_by("source_id").first()
    return alias.source if alias else None


def source_terms(source):
    """The terms of an office (its holders) or of a person (the offices held), latest first."""
    from claims.models import Position, SourceKind

    field = "office" if source.kind == SourceKind.OFFICE else "holder"
    return Position.objects.filter(**{field: source}).select_related("office", "holder").order_by("-start")


def source_undated_terms(source):
    """Who holds (or held) an office with no dated term recorded: the people filed
    under the office (``Source.parent``), or for a person the office filed as its
    parent. Resolution counts them as holders the document may name; editors give
    them dates here."""
    from claims.models import Position, Source, SourceKind

    if source.kind == SourceKind.OFFICE:
        dated = Position.objects.filter(office=source).values("holder_id")
        filed = Source.objects.filter(parent=source, kind=SourceKind.PERSON)
        return filed.exclude(pk__in=dated).order_by("name_fa")
    if source.parent_id is None:
        return Source.objects.none()
    dated = Position.objects.filter(holder=source).values("office_id")
    return Source.objects.filter(pk=source.parent_id, kind=SourceKind.OFFICE).exclude(pk__in=dated)


def person_choices():
    from claims.models import Source, SourceKind

    return Source.objects.filter(kind=SourceKind.PERSON).order_by("name_fa")


def office_choices():
    from claims.models import Source, SourceKind

    return Source.objects.filter(kind=SourceKind.OFFICE).order_by("name_fa")
