"""Writes to the source registry: sources, their aliases, and the unknown names
(``SourceCandidate``) the extractor found, from the data file and from the desk."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from claims.extraction.normalize import normalize_key
from claims.models import Attribution, Source, SourceAlias, SourceCandidate, SourceKind
from claims.services.cleaning import MAX_SHORT, MAX_TEXT, clean_text
from claims.services.errors import InvalidInput, InvalidTransition, require_perm

SOURCE_EDIT_PERMISSION = "claims.change_source"
SOURCE_ADD_PERMISSION = "claims.add_source"
ALIAS_DELETE_PERMISSION = "claims.delete_sourcealias"
CANDIDATE_PERMISSION = "claims.change_sourcecandidate"

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


# --- From the desk ------------------------------------------------------------


def source_candidate_close(candidate: SourceCandidate, source: Source, status: str) -> None:
    """Close an unknown name as ``status``, pointing it (and every appearance still
    waiting on it) at ``source``. Called inside the caller's transaction. The other
    written forms grouped under the name close with it, as aliases of ``source``."""
    from claims.services.resolution import source_candidate_members

    forms = source_candidate_members(candidate)
    for form in forms[1:]:
        source_alias_add(source=source, text=form.text)
    now = timezone.now()
    SourceCandidate.objects.filter(pk__in=[f.pk for f in forms]).update(
        status=status, source=source, resolved_at=now
    )
    candidate.status, candidate.source, candidate.resolved_at = status, source, now
    # Every appearance still waiting on one of these names now points at the registry entry.
    Attribution.objects.filter(source_candidate__in=[f.pk for f in forms], source__isnull=True).update(
        source=source, source_resolved=source.name_fa
    )


def _check_relations(source: Source | None, parent: Source | None, affiliation: Source | None) -> None:
    for other, label in ((parent, "زیرمجموعهٔ"), (affiliation, "وابسته به")):
        if other is None or source is None:
            continue
        if other.pk == source.pk:
            raise InvalidInput(f"منبع نمی‌تواند «{label}» خودش باشد.")
    if parent is not None and source is not None:
        seen, node = set(), parent
        while node is not None and node.pk not in seen:
            if node.pk == source.pk:
                raise InvalidInput("این انتخاب یک چرخه در زیرمجموعه‌ها می‌سازد.")
            seen.add(node.pk)
            node = node.parent


def _country(value: str) -> str:
    value = (value or "").strip().upper()
    if value and not re.fullmatch(r"[A-Z]{2}", value):
        raise InvalidInput("کد کشور باید دو حرف لاتین باشد (مانند IR یا US).")
    return value


@transaction.atomic
def source_create_desk(
    *,
    actor,
    name_fa: str,
    kind: str,
    name_en: str = "",
    parent: Source | None = None,
    affiliation: Source | None = None,
    country: str = "",
    description: str = "",
    aliases: list[str] | tuple[str, ...] = (),
) -> Source:
    """A new registry entry from the desk (with the permission check and input cleaning)."""
    require_perm(actor, SOURCE_ADD_PERMISSION, "شما اجازهٔ ساختن منبع را ندارید.")
    if kind not in SourceKind.values:
        raise InvalidInput("نوع منبع را از فهرست برگزینید.")
    return source_create(
        name_fa=clean_text(name_fa, label="نام فارسی منبع", max_length=MAX_SHORT, multiline=False),
        name_en=clean_text(
            name_en, label="نام انگلیسی", max_length=MAX_SHORT, required=False, multiline=False
        ),
        kind=kind,
        parent=parent,
        affiliation=affiliation,
        country=_country(country),
        description=clean_text(description, label="توضیح", max_length=MAX_TEXT, required=False),
        aliases=[clean_text(a, label="نام دیگر", max_length=MAX_SHORT, multiline=False) for a in aliases],
    )


@transaction.atomic
def source_update(
    *,
    source: Source,
    actor,
    name_fa: str,
    kind: str,
    name_en: str = "",
    parent: Source | None = None,
    affiliation: Source | None = None,
    country: str = "",
    description: str = "",
) -> Source:
    require_perm(actor, SOURCE_EDIT_PERMISSION, "شما اجازهٔ ویرایش منبع را ندارید.")
    source = Source.objects.select_for_update().get(pk=source.pk)
    if kind not in SourceKind.values:
        raise InvalidInput("نوع منبع را از فهرست برگزینید.")
    _check_relations(source, parent, affiliation)
    source.name_fa = clean_text(name_fa, label="نام فارسی منبع", max_length=MAX_SHORT, multiline=False)
    source.name_en = clean_text(
        name_en, label="نام انگلیسی", max_length=MAX_SHORT, required=False, multiline=False
    )
    source.kind = kind
    source.parent = parent
    source.affiliation = affiliation
    source.country = _country(country)
    source.description = clean_text(description, label="توضیح", max_length=MAX_TEXT, required=False)
    source.save()
    source_alias_add(source=source, text=source.name_fa)
    return source


@transaction.atomic
def source_alias_add_desk(*, source: Source, text: str, actor) -> SourceAlias:
    require_perm(actor, "claims.add_sourcealias", "شما اجازهٔ افزودن نام دیگر را ندارید.")
    text = clean_text(text, label="نام دیگر", max_length=MAX_SHORT, multiline=False)
    if not normalize_key(text):
        raise InvalidInput("نام دیگر باید دست‌کم یک حرف یا رقم داشته باشد.")
    return source_alias_add(source=source, text=text)


@transaction.atomic
def source_alias_remove(*, alias: SourceAlias, actor) -> None:
    require_perm(actor, ALIAS_DELETE_PERMISSION, "تنها مدیر می‌تواند نام دیگر را حذف کند.")
    if normalize_key(alias.source.name_fa) == alias.key:
        raise InvalidInput("نام اصلی منبع را نمی‌توان از نام‌های دیگرش حذف کرد.")
    alias.delete()


def _open_candidate(candidate: SourceCandidate) -> SourceCandidate:
    candidate = SourceCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != SourceCandidate.Status.OPEN:
        raise InvalidTransition("این نام پیش‌تر رسیدگی شده است.")
    return candidate


@transaction.atomic
def source_candidate_merge(*, candidate: SourceCandidate, source: Source, actor) -> SourceCandidate:
    """The unknown name is another way of writing ``source``: add it as an alias."""
    require_perm(actor, CANDIDATE_PERMISSION, "شما اجازهٔ رسیدگی به منابع ناشناخته را ندارید.")
    candidate = _open_candidate(candidate)
    source_alias_add(source=source, text=candidate.text)
    source_candidate_close(candidate, source, SourceCandidate.Status.MERGED)
    return candidate


@transaction.atomic
def source_candidate_create(
    *, candidate: SourceCandidate, kind: str, actor, name_fa: str = "", name_en: str = ""
) -> Source:
    """Confirm an unknown name as a new registry source, with the name as an alias."""
    require_perm(actor, CANDIDATE_PERMISSION, "شما اجازهٔ رسیدگی به منابع ناشناخته را ندارید.")
    candidate = _open_candidate(candidate)
    source = source_create_desk(
        actor=actor,
        name_fa=name_fa or candidate.text,
        kind=kind,
        name_en=name_en,
        aliases=[candidate.text],
    )
    source_candidate_close(candidate, source, SourceCandidate.Status.CREATED)
    return source


@transaction.atomic
def source_candidate_ignore(*, candidate: SourceCandidate, actor) -> SourceCandidate:
    require_perm(actor, CANDIDATE_PERMISSION, "شما اجازهٔ رسیدگی به منابع ناشناخته را ندارید.")
    candidate = _open_candidate(candidate)
    candidate.status = SourceCandidate.Status.IGNORED
    candidate.resolved_at = timezone.now()
    candidate.save(update_fields=["status", "resolved_at"])
    return candidate
