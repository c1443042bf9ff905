"""The source registry read as data, and who a source span names.

Pure Python, like the rest of the package. The registry ships as JSON
(``claims/data/sources.json`` plus every ``claims/data/registry/*.json``):
entries (people, offices, organisations, outlets ...) with their written forms,
and positions (an office held by a person for a term). The Django loader reads
the files through :func:`read_registry` so the two never disagree on what the
files say; the desk builds a :class:`Registry` from the database instead, with
the same resolution rules.

Resolution of a span (``Registry.resolve``):
- the span is split into appositions (``X، Y``); in each, a chain of names
  and titles is read from its first word (after honorifics and determiners),
  longest written form first;
- a country or organisation written right after a name (``وزارت خارجه چین``)
  qualifies it: an entry of another country is never linked;
- the person named wins; an office resolves, at the publication date, to the
  person who held it (the office is kept as the capacity); without a date or
  a known holder the office itself is the source.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .normalize import normalize_key

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

# Titles of respect written before a name; never part of what identifies it.
HONORIFICS = tuple(
    tuple(normalize_key(h).split())
    for h in (
        "آیت‌الله العظمی",
        "آیت‌الله",
        "آیت الله",
        "حجت‌الاسلام والمسلمین",
        "حجت‌الاسلام",
        "حجت الاسلام",
        "والمسلمین",
        "سید",
        "سیده",
        "شیخ",
        "دکتر",
        "مهندس",
        "سردار",
        "سرلشکر",
        "سرتیپ",
        "سرهنگ",
        "سرتیپ دوم",
        "دریادار",
        "امیر",
        "ژنرال",
        "آقای",
        "خانم",
        "حضرت",
        "علامه",
        "پروفسور",
        "سناتور",
        "ملا",
        "مولوی",
        "شهید",
    )
)
# Words that open a span without naming anyone: 'یکی از', 'برخی'.
DETERMINERS = tuple(
    tuple(normalize_key(d).split())
    for d in ("یکی از", "برخی از", "برخی", "بعضی از", "بعضی", "یک", "از جمله", "ازجمله")
)
_HONORIFIC_FIRSTS = frozenset(h[0] for h in HONORIFICS if h)
_DETERMINER_FIRSTS = frozenset(d[0] for d in DETERMINERS if d)
# Heads that come before an outlet's own name: 'خبرگزاری تسنیم' is 'تسنیم'.
MEDIA_HEADS = frozenset(
    normalize_key(h).replace(" ", "")
    for h in (
        "خبرگزاری",
        "روزنامه",
        "شبکه",
        "تلویزیون",
        "رادیو",
        "پایگاه خبری",
        "رسانه",
        "سایت",
        "وبسایت",
        "وب‌سایت",
        "هفته‌نامه",
        "نشریه",
        "مجله",
        "کانال",
        "خبرگزاری دولتی",
        "گزارش",
    )
)
_MEDIA_ADJECTIVES = frozenset(
    normalize_key(w)
    for w in ("خبری", "تلویزیونی", "رادیویی", "ماهواره‌ای", "عبری", "عربی", "دولتی", "رسمی", "محلی", "معتبر")
)
# Spellings one office is written with: each pair is indexed both ways.
_VARIANTS = (("امورخارجه", "خارجه"), ("رئیسجمهوری", "رئیسجمهور"), ("رییسجمهور", "رئیسجمهور"))
_APPOSITION = re.compile(r"\s*[،,؛;:()\[\]]\s*")
_COORDINATION = re.compile(r"\s+و\s+")


class RegistryError(ValueError):
    """The registry data is wrong; the message names the file and the slug."""

    def __init__(self, message: str, *, file: str = "", slug: str = "") -> None:
        where = ": ".join(p for p in (Path(file).name if file else "", slug) if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.file = file
        self.slug = slug


@dataclass(frozen=True, slots=True)
class Entry:
    slug: str
    kind: str
    name_fa: str
    name_en: str = ""
    parent: str | None = None
    affiliation: str | None = None
    country: str = ""
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Term:
    office: str
    holder: str
    start: dt.date | None
    end: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Resolution:
    """Who a span names: ``source`` is the most specific entry (the person when
    known), ``office`` the office spoken for, when the span or its antecedent
    named one."""

    source: Entry | None = None
    office: Entry | None = None


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


# --- countries -------------------------------------------------------------


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str], int]:
    """(written name tokens -> code, name-or-adjective tokens -> code, longest)."""
    data = json.loads(COUNTRIES_FILE.read_text(encoding="utf-8"))
    names: dict[tuple[str, ...], str] = {}
    qualifiers: dict[tuple[str, ...], str] = {}
    for code, forms in data["countries"].items():
        for n in forms["names"]:
            names[tuple(normalize_key(n).split())] = code
        for n in (*forms["names"], *forms["adjectives"]):
            qualifiers[tuple(normalize_key(n).split())] = code
    longest = max(len(k) for k in qualifiers)
    return names, qualifiers, longest


def country_at(tokens: Sequence[str], i: int) -> tuple[str, int] | None:
    """The country a name or adjective starting at ``tokens[i]`` names, and where it ends."""
    _, qualifiers, longest = _countries()
    for j in range(min(len(tokens), i + longest), i, -1):
        code = qualifiers.get(tuple(tokens[i:j]))
        if code:
            return code, j
    return None


def _strip(
    tokens: list[str], i: int, prefixes: Iterable[tuple[str, ...]], firsts: frozenset[str] | None = None
) -> int:
    if firsts is not None and (i >= len(tokens) or tokens[i] not in firsts):
        return i
    moved = True
    while moved:
        moved = False
        for p in prefixes:
            if len(p) and tuple(tokens[i : i + len(p)]) == p and i + len(p) < len(tokens):
                i += len(p)
                moved = True
    return i


def forms_of(text: str) -> set[str]:
    """The index keys a written form stands for: space-free (so ZWNJ, space and
    none compare equal), without leading honorifics, with each of a country's
    names in place of the one written, and with the common office spellings."""
    tokens = normalize_key(text).split()
    if not tokens:
        return set()
    names, _, _ = _countries()
    bases = [tokens]
    i = _strip(tokens, 0, HONORIFICS)
    if i:
        bases.append(tokens[i:])
    out: set[str] = set()
    for base in bases:
        spellings = [base]
        # 'وزارت خارجه ایران' is also 'وزارت خارجه جمهوری اسلامی ایران'
        for n in range(len(base) - 1, 0, -1):
            code = names.get(tuple(base[n:]))
            if code:
                others = [list(k) for k, c in names.items() if c == code]
                spellings += [base[:n] + o for o in others]
                break
        for s in spellings:
            key = "".join(s)
            out.add(key)
            for a, b in _VARIANTS:
                if a in key:
                    out.add(key.replace(a, b))
                if b in key and a not in key:
                    out.add(key.replace(b, a))
    return out


def _is_verb(token: str) -> bool:
    if "f" not in _IS_VERB:
        from .candidates import is_verb

        _IS_VERB["f"] = is_verb
    return _IS_VERB["f"](token)


_IS_VERB: dict[str, Any] = {}


# --- the registry ------------------------------------------------------------


class Registry:
    """Entries, their written forms and the terms of offices, ready to resolve spans."""

    def __init__(
        self,
        entries: Iterable[Entry],
        aliases: Iterable[tuple[str, str]],
        terms: Iterable[Term] = (),
    ) -> None:
        self.entries: dict[str, Entry] = {e.slug: e for e in entries}
        self.index: dict[str, tuple[str, ...]] = {}
        self.by_id: dict[int, Entry] = {e.id: e for e in self.entries.values() if e.id is not None}
        longest = 1
        self._person_forms: list[str] = []
        for slug, text in aliases:
            if slug not in self.entries:
                continue
            if self.entries[slug].kind == "person":
                key = normalize_key(text)
                if " " in key:
                    self._person_forms.append(key)
            for key in forms_of(text):
                have = self.index.get(key, ())
                if slug not in have:
                    self.index[key] = (*have, slug)
            longest = max(longest, len(normalize_key(text).split()))
        self.longest = longest
        self._forms: dict[str, list[str]] | None = None
        self._children: dict[str, set[str]] | None = None
        self._seen: dict[str, tuple[list[Entry], bool]] = {}
        self._given: frozenset[str] | None = None
        self.terms: dict[str, list[Term]] = {}
        for t in terms:
            if t.office in self.entries and t.holder in self.entries:
                self.terms.setdefault(t.office, []).append(t)
        for lst in self.terms.values():
            lst.sort(key=lambda t: t.start or dt.date.min)

    # construction

    @classmethod
    def from_data(cls, data: RegistryData) -> Registry:
        entries = [
            Entry(
                slug=e["slug"],
                kind=e["kind"],
                name_fa=e["name_fa"],
                name_en=e["name_en"],
                parent=e["parent"],
                affiliation=e["affiliation"],
                country=e["country"],
            )
            for e in data.entries
        ]
        aliases = [(e["slug"], t) for e in data.entries for t in (e["name_fa"], *e["aliases"])]
        terms = [Term(p["office"], p["holder"], p["start"], p["end"]) for p in data.positions]
        return cls(entries, aliases, terms)

    @classmethod
    def from_files(cls, paths: Sequence[Path] | None = None) -> Registry:
        return cls.from_data(read_registry(paths))

    def __len__(self) -> int:
        return len(self.entries)

    # reading

    def holder(self, office: str, day: dt.date | None) -> Entry | None:
        """The person who held ``office`` on ``day`` (the latest to start, if terms overlap)."""
        if day is None:
            return None
        found = [t for t in self.terms.get(office, ()) if t.covers(day)]
        return self.entries[found[-1].holder] if found else None

    def ancestors(self, slug: str) -> set[str]:
        out: set[str] = set()
        todo = [slug]
        while todo:
            e = self.entries.get(todo.pop())
            if e is None:
                continue
            for ref in (e.parent, e.affiliation):
                if ref and ref not in out:
                    out.add(ref)
                    todo.append(ref)
        return out

    def _match_at(self, tokens: Sequence[str], i: int) -> tuple[tuple[str, ...], int] | None:
        for j in range(min(len(tokens), i + self.longest + 2), i, -1):
            slugs = self.index.get("".join(tokens[i:j]))
            if slugs:
                return slugs, j
        return None

    def _agrees(self, slug: str, tokens: Sequence[str], j: int) -> tuple[bool, int]:
        """Whether what is written right after a name at ``tokens[j:]`` (a country
        or an organisation) agrees with entry ``slug``; and where it ends."""
        if j >= len(tokens):
            return True, j
        entry = self.entries[slug]
        country = country_at(tokens, j)
        if country is not None:
            code, end = country
            return (not entry.country or entry.country == code), end
        m = self._match_at(tokens, j)
        if m is not None:
            slugs, end = m
            quals = [self.entries[s] for s in slugs if self.entries[s].kind not in ("person", "office")]
            if quals:
                related = self.ancestors(slug)
                for q in quals:
                    if q.slug in related or q.slug == slug:
                        return True, end
                    if not q.country or not entry.country or q.country == entry.country:
                        return True, end
                return False, end
        return True, j

    def _chain(
        self, text: str, prefer: frozenset[str] | set[str] = frozenset(), shared: list | None = None
    ) -> list[Entry]:
        """The entries a chain of names and titles names, read from the start of
        one apposition; entries a qualifier contradicts are left out. A name
        several people share is noted in ``shared``."""
        tokens = normalize_key(text).split()
        i = _strip(tokens, 0, DETERMINERS, _DETERMINER_FIRSTS)
        found: list[Entry] = []
        start = i
        while i < len(tokens):
            i = _strip(tokens, i, HONORIFICS, _HONORIFIC_FIRSTS)
            m = self._match_at(tokens, i)
            outlet_only = False
            if m is None and i == start and tokens[i] in MEDIA_HEADS:
                k = i + 1
                # 'شبکه خبری سی‌بی‌اس', 'روزنامه عبری هاآرتص', 'گزارش رسانه تلگراف': the
                # outlet's name after its description
                while k < len(tokens) - 1 and (
                    tokens[k] in _MEDIA_ADJECTIVES or tokens[k] in MEDIA_HEADS or country_at(tokens, k)
                ):
                    k = (country_at(tokens, k) or ("", k + 1))[1]
                m = self._match_at(tokens, k)
                outlet_only = True
            if m is None and i == start and i + 1 < len(tokens) and _is_verb(tokens[i]):
                # 'شنیدیم احمد وحیدی': a span that ran in from the verb before the name
                start = i = i + 1
                continue
            if m is None:
                break
            slugs, j = m
            ok: list[str] = []
            end = j
            for s in slugs:
                if outlet_only and self.entries[s].kind not in OUTLET_KINDS:
                    continue
                agrees, end = self._agrees(s, tokens, j)
                if agrees:
                    ok.append(s)
            if shared is not None and sum(self.entries[s].kind == "person" for s in ok) > 1:
                shared.append(True)
            picked = self._pick(ok, prefer) if ok else None
            if picked is not None:
                found.append(picked)
            i = end
        return found

    def _pick(self, slugs: Sequence[str], prefer: frozenset[str] | set[str] = frozenset()) -> Entry | None:
        # A title written on a person and on an office is the office's: the date decides.
        # A name an organisation and an office share ('طالبان') is the organisation's.
        kinds = {self.entries[s].kind for s in slugs}
        if kinds - {"person", "office"}:
            slugs = [s for s in slugs if self.entries[s].kind not in ("person", "office")]
        for s in slugs:
            if self.entries[s].kind == "office":
                return self.entries[s]
        people = [s for s in slugs if self.entries[s].kind == "person"]
        if len(people) > 1:
            # One surname, several people: only the one the document names in full.
            named = [s for s in people if s in prefer]
            return self.entries[named[0]] if len(named) == 1 else None
        return self.entries[slugs[0]]

    def entries_in(
        self, text: str, prefer: frozenset[str] | set[str] = frozenset(), shared: list | None = None
    ) -> list[Entry]:
        """The entries ``text`` names, apposition by apposition. A name several
        people share is linked only to one in ``prefer`` (those the document names),
        and noted in ``shared`` when given."""
        if not prefer:
            # The same names recur across a worker's articles: remember them (bounded).
            hit = self._seen.get(text)
            if hit is None:
                was: list = []
                hit = (self._entries_in(text, frozenset(), was), bool(was))
                if len(self._seen) >= 50_000:
                    self._seen.clear()
                self._seen[text] = hit
            if hit[1] and shared is not None:
                shared.append(True)
            return list(hit[0])
        return self._entries_in(text, prefer, shared)

    def _entries_in(self, text: str, prefer: frozenset[str] | set[str], shared: list | None) -> list[Entry]:
        out: list[Entry] = []
        for part in _APPOSITION.split(text):
            if part.strip():
                out += self._chain(part.strip(' «»"'), prefer, shared)
        return out

    def given_names(self) -> frozenset[str]:
        """First words of people's written names with more than one word."""
        if self._given is None:
            self._given = frozenset(
                key.split()[0]
                for slug, e in self.entries.items()
                if e.kind == "person"
                for key in (normalize_key(e.name_fa),)
                if len(key.split()) > 1
            ) | frozenset(w for text in self._person_forms for w in text.split()[:1])
        return self._given

    def filed_under(self, office: str) -> set[str]:
        """People whose entry is filed under ``office`` (its holders, in the data's
        older form without terms)."""
        if self._children is None:
            kids: dict[str, set[str]] = {}
            for e in self.entries.values():
                if e.kind == "person" and e.parent:
                    kids.setdefault(e.parent, set()).add(e.slug)
            self._children = kids
        return self._children.get(office, set())

    def forms(self, slug: str) -> list[str]:
        """The index keys of an entry's written forms."""
        if self._forms is None:
            rev: dict[str, list[str]] = {}
            for key, slugs in self.index.items():
                for s in slugs:
                    rev.setdefault(s, []).append(key)
            self._forms = rev
        return self._forms.get(slug, [])

    def named_in(self, compact_text: Container[str], slugs: Iterable[str]) -> set[str]:
        """Which of ``slugs`` are written somewhere in a text (its space-free key)."""
        return {s for s in slugs if any(len(k) > 3 and k in compact_text for k in self.forms(s))}

    def resolve(
        self,
        text: str,
        resolved: str | None = None,
        published: dt.date | None = None,
        people: Iterable[str] = (),
    ) -> Resolution:
        """Who ``text`` (a source span) names on ``published``. ``resolved`` is the
        antecedent the extractor found for a pronoun or anaphor, used when the span
        names nothing itself; ``people`` are the persons the document names, for an
        office whose holder on the date is not known."""
        found = self.entries_in(text)
        if not found and resolved and resolved != text:
            found = self.entries_in(resolved)
        return self.choose(found, published, people)

    def choose(
        self,
        found: Sequence[Entry],
        published: dt.date | None,
        people: Iterable[str] = (),
        text: Container[str] | None = None,
    ) -> Resolution:
        """The resolution of the entries a span names. ``text`` is the document's
        space-free key, to find a holder it names outside any attribution."""
        if not found:
            return Resolution()
        offices = [e for e in found if e.kind == "office"]
        office = offices[0] if offices else None
        person = next((e for e in found if e.kind == "person"), None)
        if person is not None:
            return Resolution(person, office)
        if office is not None:
            holder = self.holder(office.slug, published) or self._named_holder(
                office.slug, published, people, text
            )
            return Resolution(holder or office, office)
        return Resolution(found[0], None)

    def _named_holder(
        self, office: str, day: dt.date | None, people: Iterable[str], text: Container[str] | None = None
    ) -> Entry | None:
        """The one person the document names who holds (or held) ``office``: by a
        term that does not exclude ``day``, or as an entry filed under the office."""
        # Called when no term covers ``day``: the data's terms are incomplete, so anyone
        # recorded as holding the office, at any time, may be the one the text names.
        named = set(people)
        holders = {t.holder for t in self.terms.get(office, ())} | self.filed_under(office)
        hits = holders & named
        if not hits and text:
            hits = self.named_in(text, holders)
        return self.entries[hits.pop()] if len(hits) == 1 else None

    def split(self, text: str) -> list[tuple[int, int]] | None:
        """Offsets of the coordinated sources in ``text`` ('سی‌ان‌ان و رویترز'),
        when every one of them is a registry entry; else None."""
        cuts = [m.span() for m in _COORDINATION.finditer(text)]
        if not cuts or _APPOSITION.search(text):
            return None
        spans, a = [], 0
        for s, e in cuts:
            spans.append((a, s))
            a = e
        spans.append((a, len(text)))
        if all(self.entries_in(text[s:e]) for s, e in spans):
            return spans
        return None


_default: dict[str, Registry] = {}


def default_registry() -> Registry:
    """The shipped registry, read once per process."""
    if "r" not in _default:
        _default["r"] = Registry.from_files()
    return _default["r"]


def registry_from_file(path: str | Path) -> Registry:
    """A registry from one file, or from a folder (its ``sources.json`` and
    ``registry/*.json``, or every ``*.json`` in it)."""
    p = Path(path)
    if p.is_dir():
        if (p / "sources.json").exists():
            return Registry.from_files(registry_files(p / "sources.json", p / "registry"))
        return Registry.from_files(sorted(p.glob("*.json")))
    return Registry.from_files([p])


__all__ = [
    "Entry",
    "Registry",
    "RegistryData",
    "RegistryError",
    "Resolution",
    "Term",
    "default_registry",
    "read_registry",
    "registry_files",
    "registry_from_file",
]
