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
import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .names import (
    _APPOSITION,
    _COORDINATION,
    _DETERMINER_FIRSTS,
    _GOVERNMENT,
    _HONORIFIC_FIRSTS,
    _INSERTABLE,
    _MEMBER_FILLERS,
    _MEMBER_HEADS,
    _SPEECH_MODIFIERS,
    DETERMINERS,
    FORMER,
    HONORIFICS,
    MEDIA_ADJECTIVES,
    MEDIA_HEADS,
    ORG_KINDS,
    SPEECH_NOUNS,
    _is_verb,
    _skeleton,
    _strip,
    country_at,
    forms_of,
)
from .names import _countries as _countries  # re-exported: candidates.py reads it here
from .normalize import normalize_key
from .registry_data import (
    KINDS,
    OUTLET_KINDS,
    SOURCES_FILE,
    RegistryData,
    RegistryError,
    read_registry,
    registry_files,
)


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
            for key in forms_of(text, self.entries[slug].kind == "person"):
                have = self.index.get(key, ())
                if slug not in have:
                    self.index[key] = (*have, slug)
            longest = max(longest, len(normalize_key(text).split()))
        self.longest = longest
        # every prefix of every key: a walk over the tokens of a text stops as soon as
        # what it has read cannot begin a written form
        self._prefixes: frozenset[str] = frozenset(k[:n] for k in self.index for n in range(1, len(k) + 1))
        self._forms: dict[str, list[str]] | None = None
        self._children: dict[str, set[str]] | None = None
        self._seen: dict[str, tuple[list[Entry], bool]] = {}
        self._given: frozenset[str] | None = None
        self._skeletons: dict[str, set[str]] | None = None
        self._patterns: dict[str, re.Pattern[str] | None] = {}
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
        """The longest written form starting at ``tokens[i]``: (its entries, where it ends).
        A word that keeps a title's meaning (``جدید``) may be written inside it."""
        best = None
        key = ""
        prefixes = self._prefixes
        for j in range(i, min(len(tokens), i + self.longest + 3)):
            longer = key + tokens[j]
            if longer not in prefixes:
                if key and tokens[j] in _INSERTABLE:
                    continue
                break
            key = longer
            slugs = self.index.get(key)
            if slugs:
                best = (slugs, j + 1)
        return best

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

    def agrees(self, slug: str, qualifier: str) -> bool:
        """Whether a qualifier (``طالبان``, ``وزارت خارجه ایران``, ``اسرائیلی``)
        agrees with entry ``slug``: a country or organisation it names is the entry's
        own or one of its parents'. A qualifier naming neither says nothing against it."""
        tokens = normalize_key(qualifier).split()
        return not tokens or self._agrees(slug, tokens, 0)[0]

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
            # 'ملا برادر', 'امیر قطر' as written; else without the honorifics
            m = self._match_at(tokens, i) if tokens[i] in _HONORIFIC_FIRSTS else None
            if m is None:
                i = _strip(tokens, i, HONORIFICS, _HONORIFIC_FIRSTS)
                if i >= len(tokens):
                    break
                m = self._match_at(tokens, i)
            only: frozenset[str] | None = None
            if m is None and i == start:
                lead = self._lead(tokens, i)
                if isinstance(lead, list):
                    return found + lead
                if lead is not None and lead != i:
                    start = i = lead  # 'پست کاتز', 'شنیدیم احمد وحیدی': read on from the name
                    continue
                if tokens[i] in MEDIA_HEADS:
                    k = i + 1
                    # 'شبکه خبری سی‌بی‌اس', 'روزنامه عبری هاآرتص', 'گزارش رسانه تلگراف': the
                    # outlet's name after its description
                    while k < len(tokens) - 1 and (
                        tokens[k] in MEDIA_ADJECTIVES or tokens[k] in MEDIA_HEADS or country_at(tokens, k)
                    ):
                        k = (country_at(tokens, k) or ("", k + 1))[1]
                    m = self._match_at(tokens, k)
                    only = OUTLET_KINDS
                elif tokens[i] in _MEMBER_HEADS:
                    k = i + 1
                    while k < len(tokens) - 1 and tokens[k] in _MEMBER_FILLERS:
                        k += 1
                    m = self._match_at(tokens, k)
                    only = ORG_KINDS
            if m is None:
                break
            slugs, j = m
            ok: list[str] = []
            end = j
            for s in slugs:
                if only is not None and self.entries[s].kind not in only:
                    continue
                agrees, end = self._agrees(s, tokens, j)
                if agrees:
                    ok.append(s)
            if shared is not None and sum(self.entries[s].kind == "person" for s in ok) > 1:
                shared.append(True)
            picked = self._pick(ok, prefer) if ok else None
            if picked is not None and picked.kind == "office" and end < len(tokens) and tokens[end] in FORMER:
                # 'سخنگوی سابق وزارت خارجه' is not the office's holder on the date
                break
            if picked is not None:
                found.append(picked)
            i = end
        return found

    def _lead(self, tokens: Sequence[str], i: int) -> int | list[Entry] | None:
        """What opens a span before its name: where the name starts after a speech
        noun (``پست کاتز``, ``اولین مصاحبه ...``) or a verb the span ran in from; or
        the entries themselves, for a country standing alone (its government) and for
        a speech noun with a relative clause naming one entry (``بیانیه‌ای که ...
        در سایت اوپک منتشر شد``)."""
        word = tokens[i]
        k = i
        while k < len(tokens) and tokens[k] in _SPEECH_MODIFIERS:
            k += 1
        if k < len(tokens) and (
            tokens[k] in SPEECH_NOUNS or (tokens[k][-2:] == "ای" and tokens[k][:-2] in SPEECH_NOUNS)
        ):
            k += 1
            while k < len(tokens) and (tokens[k] in _SPEECH_MODIFIERS or tokens[k] == "خود"):
                k += 1
            if k < len(tokens) and tokens[k] == "که":
                named = {e.slug: e for e in self.scan(tokens[k + 1 :])}
                return list(named.values()) if len(named) == 1 else []
            return k if k < len(tokens) else None
        country = country_at(tokens, i)
        if country is not None and country[1] == len(tokens):
            # 'ایران اعلام کرد': a country speaks through its government
            govs = [
                self.entries[s]
                for s in self.index.get(_GOVERNMENT + "".join(tokens[i:]), ())
                if self.entries[s].kind == "government_body"
            ]
            return govs[:1]
        if i + 1 < len(tokens) and _is_verb(word):
            return i + 1
        return None

    def scan(self, tokens: Sequence[str]) -> list[Entry]:
        """Every entry named anywhere in ``tokens`` (in order), a qualifier checked."""
        return [e for _, _, e in self.mentions(tokens)]

    def name_at(self, tokens: Sequence[str], i: int) -> tuple[int, Entry] | None:
        """The entry whose name starts at ``tokens[i]`` (a qualifier checked), and
        where the name ends; None if none does."""
        if tokens[i] not in self._prefixes:
            return None
        m = self._match_at(tokens, i)
        if m is None:
            return None
        slugs, j = m
        ok = [s for s in slugs if self._agrees(s, tokens, j)[0]]
        picked = self._pick(ok) if ok else None
        return (j, picked) if picked is not None else None

    def mentions(self, tokens: Sequence[str]) -> list[tuple[int, int, Entry]]:
        """(first token, token after the last, entry) for each name written in
        ``tokens``, longest first and left to right; a name a qualifier contradicts
        (``وزارت خارجه چین`` for Iran's ministry) is left out. A country alone is
        not a mention."""
        out: list[tuple[int, int, Entry]] = []
        i = 0
        n = len(tokens)
        prefixes = self._prefixes
        while i < n:
            if tokens[i] not in prefixes:
                i += 1
                continue
            m = self._match_at(tokens, i)
            if m is None:
                i += 1
                continue
            slugs, j = m
            ok = [s for s in slugs if self._agrees(s, tokens, j)[0]]
            picked = self._pick(ok) if ok else None
            if picked is not None:
                # a country written after the name is part of it; an organisation there
                # ('فارس، دادسرای ...') is a name of its own
                country = country_at(tokens, j)
                out.append((i, country[1] if country else j, picked))
            i = j
        return out

    def last_named(self, tokens: Sequence[str], kinds: Container[str]) -> Entry | None:
        """The entry of ``kinds`` named nearest the end of ``tokens``, read backwards
        (a surname written after its given name is the same person)."""
        i = len(tokens) - 1
        while i >= 0:
            found = self.name_at(tokens, i)
            if found is None:
                i -= 1
                continue
            # the longest name covering this word: 'دبیر کل سازمان ملل متحد', not 'ملل متحد'
            start = i
            for k in range(i - 1, max(-1, i - self.longest - 2), -1):
                longer = self.name_at(tokens, k)
                if longer is not None and longer[0] > i:
                    start, found = k, longer
            if found[1].kind in kinds:
                return found[1]
            i = start - 1
        return None

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

    def spelled_like(self, text: str) -> Entry | None:
        """The one person whose name is ``text`` written with other vowel letters
        (``کارولین لویت`` for ``کارولین لیویت``): names from other alphabets take
        ``ا``, ``و`` and ``ی`` as each writer hears them."""
        if self._skeletons is None:
            skeletons: dict[str, set[str]] = {}
            for key, slugs in self.index.items():
                for s in slugs:
                    if self.entries[s].kind == "person" and len(key) >= 6:
                        skeletons.setdefault(_skeleton(key), set()).add(s)
            self._skeletons = skeletons
        key = normalize_key(text).replace(" ", "")
        hits = self._skeletons.get(_skeleton(key), set()) if len(key) >= 6 else set()
        return self.entries[next(iter(hits))] if len(hits) == 1 else None

    def written_pattern(self, slug: str) -> re.Pattern[str] | None:
        """A pattern finding the entry's written forms in raw text (see
        :func:`~claims.extraction.mentions.written_pattern`), built once."""
        if slug not in self._patterns:
            from .mentions import GAP, TITLE_GAP, written_pattern

            if len(self._patterns) > 2000:
                self._patterns.clear()
            keys = [k for k in self.forms(slug) if len(k) > 3]
            gap = TITLE_GAP if self.entries[slug].kind == "office" else GAP
            self._patterns[slug] = written_pattern(keys, gap) if keys else None
        return self._patterns[slug]

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
        """The resolution of the entries a span names. ``text`` is the document
        (a :class:`~claims.extraction.mentions.Document`, or its space-free key), to
        find a holder it names outside any attribution.

        An office's holder is, in this order: the holder of a term covering
        ``published``; the one recorded holder the document names; the one person
        the document writes in apposition with its title (``ناصر کنعانی سخنگوی جدید
        وزارت خارجه``)."""
        if not found:
            return Resolution()
        offices = [e for e in found if e.kind == "office"]
        office = offices[0] if offices else None
        person = next((e for e in found if e.kind == "person"), None)
        if person is not None:
            return Resolution(person, office)
        if office is not None:
            holder = (
                self.holder(office.slug, published)
                or self._named_holder(office.slug, published, people, text)
                or self._written_holder(office.slug, text)
            )
            return Resolution(holder or office, office)
        return Resolution(found[0], None)

    def _written_holder(self, office: str, text: Any) -> Entry | None:
        written = text.written_with(office) if hasattr(text, "written_with") else set()
        return self.entries[next(iter(written))] if len(written) == 1 else None

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
    "DETERMINERS",
    "FORMER",
    "HONORIFICS",
    "KINDS",
    "MEDIA_ADJECTIVES",
    "MEDIA_HEADS",
    "OUTLET_KINDS",
    "SOURCES_FILE",
    "Entry",
    "Registry",
    "RegistryData",
    "RegistryError",
    "Resolution",
    "Term",
    "country_at",
    "default_registry",
    "read_registry",
    "registry_files",
    "registry_from_file",
]
