"""Import registry entries from Wikidata's JSON entity format.

Reads the format of Wikidata's entity dumps and of ``Special:EntityData/Q..json``:
one entity per line, or the dump's array (``[`` / one entity per line with a
trailing comma / ``]``), plain or ``.bz2``. From each entity it takes the Persian
and English labels and aliases, ``P31`` (instance of) for the kind, ``P17``
(country; ``P27`` citizenship for people) and ``P39`` (position held) with its
``P580``/``P582`` qualifiers for terms (an office's ``P1308`` officeholder
statements are read the same way). Entities are matched to the registry by
their Wikidata id, so loading again changes nothing, and an editor's own
changes to a field win (see ``services.registry``).

Dates: day precision is taken as is; month or year precision starts a term on
the first day of the month or year and ends it on the last. A coarser date, or
a deprecated statement, is left out rather than guessed.
"""

from __future__ import annotations

import bz2
import calendar
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from claims.models import Position, Source
from claims.services.errors import InvalidInput
from claims.services.registry import LoadResult, _aliases_add, _positions_load, apply_loaded_fields

# P31 values (instance of) and the registry kind they mean.
KIND_OF_CLASS = {
    "Q5": "person",
    "Q4164871": "office",  # position
    "Q294414": "office",  # public office
    "Q83307": "office",  # minister
    "Q30461": "office",  # president
    "Q14212": "office",  # prime minister
    "Q2285706": "office",  # head of government
    "Q48352": "office",  # head of state
    "Q1553195": "office",  # spokesperson
    "Q192283": "news_agency",
    "Q11032": "media_group",  # newspaper
    "Q1110794": "media_group",  # daily newspaper
    "Q1153191": "media_group",  # online newspaper
    "Q1616075": "media_group",  # television station
    "Q15265344": "media_group",  # broadcaster
    "Q1002697": "media_group",  # periodical
    "Q17232649": "media_group",  # news website
    "Q192350": "government_body",  # ministry
    "Q327333": "government_body",  # government agency
    "Q2659904": "government_body",  # government organization
    "Q35798": "government_body",  # executive branch
    "Q11204": "government_body",  # legislature
    "Q176799": "military_command",  # military unit
    "Q4508": "military_command",  # navy
    "Q37726": "military_command",  # army
    "Q17149090": "armed_group",  # armed organization
    "Q17127659": "armed_group",  # terrorist organization
    "Q1371849": "armed_group",  # militia
    "Q43229": "organisation",
    "Q484652": "organisation",  # international organization
    "Q245065": "organisation",  # intergovernmental organization
    "Q7210356": "organisation",  # political organization
    "Q7278": "organisation",  # political party
}
# Countries Persian news quotes most, for files that do not carry the country's
# own entity (whose P297 gives its ISO code otherwise).
COUNTRY_CODES = {
    "Q794": "IR",
    "Q30": "US",
    "Q801": "IL",
    "Q159": "RU",
    "Q148": "CN",
    "Q145": "GB",
    "Q142": "FR",
    "Q183": "DE",
    "Q38": "IT",
    "Q43": "TR",
    "Q851": "SA",
    "Q846": "QA",
    "Q878": "AE",
    "Q817": "KW",
    "Q398": "BH",
    "Q842": "OM",
    "Q805": "YE",
    "Q796": "IQ",
    "Q858": "SY",
    "Q822": "LB",
    "Q810": "JO",
    "Q79": "EG",
    "Q889": "AF",
    "Q843": "PK",
    "Q668": "IN",
    "Q212": "UA",
    "Q17": "JP",
    "Q29": "ES",
}


@dataclass
class WikidataTerm:
    office: str  # QID
    holder: str  # QID
    start: dt.date
    end: dt.date | None


def _open(path: Path) -> io.TextIOBase:
    if path.suffix == ".bz2":
        return io.TextIOWrapper(bz2.open(path, "rb"), encoding="utf-8")
    return open(path, encoding="utf-8")


def read_entities(path: Path) -> Iterator[dict[str, Any]]:
    """Entities from a Wikidata JSON file, streamed line by line."""
    try:
        fh = _open(path)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read: {exc}") from exc
    with fh:
        first = fh.read(1)
        while first and first.isspace():
            first = fh.read(1)
        rest = fh.readline()
        head = (first + rest).strip()
        lines: Iterator[str]
        if head.startswith("[") and head.rstrip(",") not in ("[",):
            # a whole array on one line (or a pretty-printed one): read it at once
            data = json.loads(head + fh.read())
            yield from (e for e in data if isinstance(e, dict))
            return
        lines = iter([head, *fh]) if head != "[" else iter(fh)
        for n, line in enumerate(lines, 1):
            line = line.strip().rstrip(",")
            if not line or line in ("[", "]"):
                continue
            if line.startswith("{") and '"entities"' in line[:20]:
                # Special:EntityData wraps entities as {"entities": {"Q1": {...}}}
                yield from json.loads(line)["entities"].values()
                continue
            try:
                entity = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"{path.name}: line {n}: not a JSON entity ({exc.msg})") from exc
            if isinstance(entity, dict):
                yield entity


def _values(entity: dict, prop: str) -> list[dict]:
    """Statements of ``prop`` with a value, best rank first, deprecated ones left out."""
    out = []
    for st in (entity.get("claims") or {}).get(prop, []):
        if st.get("rank") == "deprecated":
            continue
        snak = st.get("mainsnak") or {}
        if snak.get("snaktype") == "value" and "datavalue" in snak:
            out.append(st)
    out.sort(key=lambda st: st.get("rank") != "preferred")
    return out


def _item(snak: dict) -> str | None:
    value = (snak.get("datavalue") or {}).get("value")
    if isinstance(value, dict):
        if value.get("id"):
            return str(value["id"])
        if value.get("numeric-id") is not None:
            return f"Q{value['numeric-id']}"
    return None


def parse_time(value: dict | None, *, end: bool = False) -> dt.date | None:
    """A Wikidata time value as a date; None when coarser than a year or unreadable."""
    if not isinstance(value, dict) or not isinstance(value.get("time"), str):
        return None
    precision = int(value.get("precision", 11))
    text = value["time"]
    if precision < 9 or not text.startswith("+"):
        return None
    try:
        year, month, day = (int(x) for x in text[1:11].split("-"))
    except ValueError:
        return None
    if precision == 9:
        month, day = (12, 31) if end else (1, 1)
    elif precision == 10:
        day = calendar.monthrange(year, month)[1] if end else 1
    try:
        return dt.date(year, max(month, 1), max(day, 1))
    except ValueError:
        return None


def _qualifier_date(statement: dict, prop: str, *, end: bool = False) -> tuple[bool, dt.date | None]:
    """(present, date) of a statement's time qualifier."""
    snaks = (statement.get("qualifiers") or {}).get(prop) or []
    for snak in snaks:
        if snak.get("snaktype") == "value":
            return True, parse_time((snak.get("datavalue") or {}).get("value"), end=end)
    return False, None


def _labels(entity: dict) -> tuple[str, str, list[str]]:
    labels = entity.get("labels") or {}
    fa = (labels.get("fa") or {}).get("value", "").strip()
    en = (labels.get("en") or {}).get("value", "").strip()
    aliases = [a.get("value", "").strip() for a in (entity.get("aliases") or {}).get("fa", [])]
    return fa, en, [a for a in aliases if a]


def _terms(entity: dict, qid: str) -> list[WikidataTerm]:
    out = []
    for prop, as_holder in (("P39", True), ("P1308", False)):
        for st in _values(entity, prop):
            other = _item(st["mainsnak"])
            if not other:
                continue
            _, start = _qualifier_date(st, "P580")
            has_end, end = _qualifier_date(st, "P582", end=True)
            if start is None or (has_end and end is None) or (end is not None and end < start):
                continue  # a term whose dates are unknown or too coarse is left out
            office, holder = (other, qid) if as_holder else (qid, other)
            out.append(WikidataTerm(office, holder, start, end))
    return out


@transaction.atomic
def wikidata_load(*, path: Path) -> LoadResult:
    """Create or update registry entries from a Wikidata JSON file."""
    entities = list(read_entities(Path(path)))
    result = LoadResult(files=[str(path)])
    codes = dict(COUNTRY_CODES)
    for e in entities:
        for st in _values(e, "P297"):
            value = (st["mainsnak"].get("datavalue") or {}).get("value")
            if isinstance(value, str) and len(value) == 2 and e.get("id"):
                codes[e["id"]] = value.upper()
    wanted: list[tuple[dict, str]] = []
    for e in entities:
        qid = e.get("id")
        if not isinstance(qid, str) or not qid.startswith("Q") or e.get("type", "item") != "item":
            continue
        kinds = [
            KIND_OF_CLASS[c]
            for c in (_item(st["mainsnak"]) for st in _values(e, "P31"))
            if c in KIND_OF_CLASS
        ]
        if not kinds:
            continue  # a country, a place, a class: not a source
        wanted.append((e, kinds[0]))

    qids = [e["id"] for e, _ in wanted]
    by_qid: dict[str, Source] = {s.wikidata_id: s for s in Source.objects.filter(wikidata_id__in=qids)}
    slug_of = dict(
        Source.objects.filter(pk__in=[s.parent_id for s in by_qid.values() if s.parent_id]).values_list(
            "pk", "slug"
        )
    )
    taken = set(Source.objects.values_list("slug", flat=True))
    terms: list[WikidataTerm] = []
    for e, kind in wanted:
        qid = e["id"]
        fa, en, aliases = _labels(e)
        if not fa and not aliases:
            continue  # nothing a Persian text would call it
        name_fa = fa or aliases[0]
        country = ""
        for prop in ("P17", "P27"):
            for st in _values(e, prop):
                country = codes.get(_item(st["mainsnak"]) or "", "")
                if country:
                    break
            if country:
                break
        source = by_qid.get(qid)
        created = source is None
        if created:
            slug = _free_slug(en or qid, qid, taken)
            source = Source.objects.create(slug=slug, kind=kind, name_fa=name_fa[:300], wikidata_id=qid)
            by_qid[qid] = source
            result.created += 1
        fields = {
            "kind": kind,
            "name_fa": name_fa[:300],
            "name_en": en[:300],
            "country": country,
            "wikidata_id": qid,
        }
        changed, kept = apply_loaded_fields(source, fields, created=created, slug_of=slug_of, by_slug={})
        result.kept_editor_values += kept
        if changed:
            source.save()
            result.updated += not created
        result.aliases_added += _aliases_add((source, t) for t in (name_fa, *aliases))
        terms += _terms(e, qid)

    refs = {q for t in terms for q in (t.office, t.holder)} - set(by_qid)
    by_qid.update({s.wikidata_id: s for s in Source.objects.filter(wikidata_id__in=refs)})
    by_slug = {s.slug: s for s in by_qid.values()}
    positions = [
        {
            "office": by_qid[t.office].slug,
            "holder": by_qid[t.holder].slug,
            "start": t.start,
            "end": t.end,
            "provenance": f"wikidata:{t.holder}",
        }
        for t in terms
        if t.office in by_qid
        and t.holder in by_qid
        and by_qid[t.office].kind == "office"
        and by_qid[t.holder].kind == "person"
    ]
    created, updated = _positions_load(positions, by_slug, origin=Position.Origin.WIKIDATA)
    result.positions_created, result.positions_updated = created, updated
    return result


def _free_slug(name: str, qid: str, taken: set[str]) -> str:
    base = (slugify(name) or qid.lower())[:100]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug
