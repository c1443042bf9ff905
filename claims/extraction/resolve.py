"""Speaker resolution (pronouns, anaphors, bare surnames) and registry lookup."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Any

from .candidates import candidate_name, is_title
from .lexicon import Lexicon, load
from .mentions import Document
from .normalize import normalize_key
from .registry import OUTLET_KINDS, Entry, Registry, Resolution

_SPLIT = re.compile(r"\s*[،,؛;]\s*")
_AZJOMLE = re.compile(r"^(?:از ?جمله|ازجمله)\s+")
_WINDOW = 40
_DETERMINERS = ("یک ", "برخی ", "برخی از ", "یکی از ", "بعضی ")


@dataclass
class Mention:
    pos: int
    text: str  # matching-view text of the span
    head: str
    cat: str  # person | plural | outlet | org


@lru_cache(maxsize=8192)
def head_of(text: str) -> str:
    """The name part of a source with apposition: 'X، Y' -> 'X';
    'برخی رسانه‌ها، از جمله X' -> 'X'."""
    parts = [p for p in _SPLIT.split(text.strip()) if p]
    if not parts:
        return text.strip()
    for p in parts[1:]:
        if _AZJOMLE.match(p):
            return _AZJOMLE.sub("", p).strip(' «»"')
    return parts[0].strip(' «»"')


def category(text: str, lex: Lexicon, outlet_hint: bool = False) -> str:
    """What a source span is: person, plural, outlet or org (an anaphor's kind)."""
    if lex is load():
        return _category(text, outlet_hint)
    return _category_in(text, lex, outlet_hint)


@lru_cache(maxsize=8192)
def _category(text: str, outlet_hint: bool) -> str:
    """``category`` with the shipped lexicon (the same spans recur across articles)."""
    return _category_in(text, load(), outlet_hint)


def _category_in(text: str, lex: Lexicon, outlet_hint: bool) -> str:
    k = text.replace(" ", "")
    h = head_of(text).replace(" ", "")
    if k in lex.pronoun_person:
        return "person"
    if k in lex.pronoun_plural:
        return "plural"
    if k in lex.anaphors:
        return lex.anaphors[k]
    if h in lex.known_outlets or h.startswith(lex.media_heads) or outlet_hint:
        return "outlet"
    first = text.split()[0] if text.split() else ""
    if first.replace(" ", "") in ("منابع", "مقامات", "مقامها", "مسئولان", "کارشناسان", "برخی", "رسانهها"):
        return "plural"
    return "person"


class Resolver:
    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.mentions: list[Mention] = []

    def add(
        self, pos: int, text: str, outlet_hint: bool = False, resolved: str | None = None
    ) -> Mention | None:
        k = text.replace(" ", "")
        if k in self.lex.pronoun_person or k in self.lex.pronoun_plural or k in self.lex.anaphors:
            return None
        m = Mention(pos, text, resolved or head_of(text), category(text, self.lex, outlet_hint))
        self.mentions.append(m)
        return m

    def resolve(self, pos: int, text: str) -> str:
        """The antecedent name for a pronoun, anaphor or bare surname, else the
        head of the span itself."""
        lex = self.lex
        k = text.replace(" ", "")
        # mentions arrive in reading order; look back a bounded distance
        before = [m for m in self.mentions[-_WINDOW:] if m.pos < pos]
        if k in lex.pronoun_person:
            want: tuple[str, ...] = ("person",)
        elif k in lex.pronoun_plural:
            want = ("plural", "person", "org")
        elif k in lex.anaphors:
            kind = lex.anaphors[k]
            want = {
                "person": ("person",),
                "plural": ("plural", "person"),
                "outlet": ("outlet",),
                "org": ("org", "person", "outlet"),
            }[kind]
        else:
            words = text.split()
            if len(words) == 1:
                for m in reversed(before):
                    hw = m.head.split()
                    if len(hw) > 1 and hw[-1] == words[0]:
                        return m.head
            return head_of(text)
        for m in reversed(before):
            if m.cat in want:
                return m.head
        return head_of(text)


def registry_candidates(span_text: str, resolved: str | None, lex: Lexicon) -> list[str]:
    """Sub-phrases to try against the alias table, most specific first."""
    out: list[str] = []

    def push(s: str) -> None:
        s = s.strip(' «»"')
        if s and s not in out:
            out.append(s)

    push(span_text)
    parts = [p for p in _SPLIT.split(span_text) if p.strip()]
    for p in parts:
        push(_AZJOMLE.sub("", p))
    if resolved:
        push(resolved)
    for p in list(out):
        for d in _DETERMINERS:
            if p.startswith(d):
                push(p[len(d) :])
    for p in list(out):
        words = p.split()
        # 'خبرگزاری تسنیم' -> 'تسنیم'
        if len(words) > 1 and any(words[0].replace(" ", "").startswith(h) for h in lex.media_heads):
            push(" ".join(words[1:]))
        # 'لوید آستین وزیر دفاع' -> 'لوید آستین'
        for n in range(len(words) - 1, 1, -1):
            push(" ".join(words[:n]))
    return out


def lookup(cands: list[str], aliases: Mapping[str, int] | None) -> int | None:
    if not aliases:
        return None
    for c in cands:
        sid = aliases.get(normalize_key(c))
        if sid is not None:
            return sid
    return None


# --- registry entries for a document's attributions ----------------------------

# The noun of a person anaphor ('این مقام', 'این وزیر'): its antecedent is the
# nearest earlier source written with the same noun, if there is one.
_ANAPHOR_NOUN = re.compile(r"^این\s*(\S+)")


def apply_registry(
    attributions: list[Any],
    registry: Registry,
    *,
    published: dt.date | None = None,
    text: str = "",
    owned: bool = False,
) -> list[Any]:
    """Give each of a document's attributions its registry entries: ``source_slug``
    (and ``source_id`` when entries carry database ids), ``office_slug``/``office_id``
    and ``via_id``. ``owned``: the records were made for this call and nothing else
    holds them (``extract`` passes its own), so they are filled in place rather than
    copied.

    - A coordinated source whose parts are all in the registry becomes one
      attribution per part, with that part's offsets.
    - A person pronoun or anaphor takes the entry of its antecedent: the nearest
      earlier source that names a person or an office (an anaphor's own noun,
      ``این مقام``, first looks for an earlier source written with it); an
      unknown person in between links nothing. With no earlier source at all, the
      nearest person or office the text names before it.
    - A report anaphor (``این گزارش``, ``درین گزارش``, ``گزارش``) takes whose report
      the text named before it (``گزارش تازه یوناما``), else the nearest earlier
      source the registry knows.
    - An office resolves to its holder on ``published``; else to the one recorded
      holder the document names; else to the person it writes beside the title;
      else to the office itself (see ``Registry.choose``)."""
    lex = load()
    split: list[Any] = []
    for a in attributions:
        parts = registry.split(a.source) if " و " in a.source else None
        if parts:
            for s, e in parts:
                split.append(_narrow(a, s, e))
        else:
            split.append(a)
    memo: dict[str, tuple[list[Entry], bool]] = {}
    for a in split:
        if a.source not in memo:
            shared: list = []
            memo[a.source] = (registry.entries_in(a.source, shared=shared), bool(shared))
    people = {e.slug for lst, _ in memo.values() for e in lst if e.kind == "person"}
    # a surname several people share is read again, knowing whom the document names in full
    found = [registry.entries_in(a.source, people) if memo[a.source][1] else memo[a.source][0] for a in split]
    doc = Document(text, registry)
    order = sorted(range(len(split)), key=lambda i: split[i].source_start)
    chosen: dict[int, Resolution] = {}
    # the sources before the one at hand, in order, and what each names as read so far
    before: list[Any] = []
    earlier: list[list[Entry]] = []
    for i in order:
        a = split[i]
        kind, qualifier, report = _reference(a.source)
        if qualifier is not None and not found[i]:
            r, blocked = _antecedent(a, before, earlier, registry, lex)
            if r.source is None and not blocked and text:
                named = doc.named_before(a.source_start)
                r = Resolution(named, named if named and named.kind == "office" else None)
            if r.source is not None and not registry.agrees(r.source.slug, qualifier):
                r = Resolution()  # 'این مقام طالبان' after someone who is not the Taliban's
            if r.source is not None and r.source.kind == "office":
                r = registry.choose([r.source], published, people, doc)
            chosen[i] = r
            before.append(a)
            earlier.append([])
            continue
        entries = found[i] or (
            registry.entries_in(a.source_resolved, people) if a.source_resolved != a.source else []
        )
        read = entries
        if not found[i] and report is not None:
            # 'این گزارش', 'گزارش': whose report the text named before it
            named = doc.report_of(a.source_start, report) if text else None
            entries = [named] if named else next((lst for lst in reversed(earlier) if lst), [])
        elif kind == "outlet" and not any(e.kind in OUTLET_KINDS for e in entries):
            # 'این روزنامه': the nearest earlier outlet the registry knows
            entries = next(([e] for lst in reversed(earlier) for e in lst if e.kind in OUTLET_KINDS), [])
        if not entries and people:
            entries = _titled(a.source, people, registry, doc)
        chosen[i] = registry.choose(entries, published, people, doc)
        before.append(a)
        earlier.append(read)
    out = []
    vias: dict[str, Entry | None] = {}
    for i, a in enumerate(split):
        r = chosen[i]
        changes: dict[str, Any] = {
            "source_slug": r.source.slug if r.source else None,
            "source_id": r.source.id if r.source else None,
            "office_slug": r.office.slug if r.office else None,
            "office_id": r.office.id if r.office else None,
        }
        if r.source is None and not a.via and a.source_id is None and a.office_id is None:
            out.append(a)  # nothing to fill: the record stays as the extractor made it
            continue
        if a.via:
            if a.via not in vias:
                vias[a.via] = registry.resolve(a.via).source
            v = vias[a.via]
            changes["via_id"] = v.id if v else None
        if owned:
            _fill(a, changes)
            out.append(a)
        else:
            out.append(_replace(a, changes))
    return out


def _fill(a: Any, changes: dict[str, Any]) -> None:
    """Set fields of a frozen record no one else holds yet, as its ``__init__`` does."""
    for name, value in changes.items():
        object.__setattr__(a, name, value)


_INIT_FIELDS: dict[type, tuple[tuple[str, ...], Callable[[Any], tuple]]] = {}


def _replace(a: Any, changes: dict[str, Any]) -> Any:
    """``dataclasses.replace(a, **changes)``, with the fields (all set by ``__init__``,
    in its order) read once per class."""
    cls = type(a)
    known = _INIT_FIELDS.get(cls)
    if known is None:
        fields = dataclasses.fields(cls)
        if len(fields) < 2 or any(f.kw_only or not f.init for f in fields):
            return dataclasses.replace(a, **changes)
        names = tuple(f.name for f in fields)
        known = _INIT_FIELDS[cls] = (names, attrgetter(*names))
    names, values = known
    return cls(*[changes.get(n, v) for n, v in zip(names, values(a), strict=True)])


# Report nouns whose anaphors ('این گزارش', 'درین گزارش', bare 'گزارش') mean a report named before.
_REPORTS = frozenset(
    normalize_key(w).replace(" ", "") for w in ("گزارش", "بیانیه", "اطلاعیه", "گزارش‌ها", "نامه", "سند")
)
# 'درین گزارش', 'در این گزارش': the anaphor after the preposition.
_IN_THIS = re.compile(r"^(?:درین|دراین|بنابراین|براساساین|طبقاین)")


@lru_cache(maxsize=8192)
def _reference(source: str) -> tuple[str | None, str | None, str | None]:
    """What a source is as a reference, read once per source text: its anaphor's
    kind, what follows a person anaphor (see ``_person_anaphor``) and the report
    noun of a report anaphor (``گزارش`` of ``این گزارش``), each None when it is not one."""
    key = anaphor_key(source)
    report = key.removeprefix("این")
    return load().anaphors.get(key), _person_anaphor(source), report if report in _REPORTS else None


@lru_cache(maxsize=8192)
def _person_anaphor(source: str) -> str | None:
    """For a person pronoun or anaphor, what is written after it (``طالبان`` of
    ``این مقام طالبان``, ``اسرائیلی`` of ``این مقام اسرائیلی``, else ``""``); None
    for any other source."""
    lex = load()
    tokens = normalize_key(source).split()
    for n in range(len(tokens), 0, -1):
        head = _IN_THIS.sub("این", "".join(tokens[:n]))
        if head in lex.pronoun_person or lex.anaphors.get(head) == "person":
            rest = " ".join(tokens[n:])
            # 'این مقام اسرائیلی' is the listed anaphor and an adjective
            listed = next(
                (m for m in range(len(head), 1, -1) if dict.get(lex.anaphors, head[:m]) == "person"), 0
            )
            return (head[listed:] + " " + rest).strip() if listed else rest
    return None


@lru_cache(maxsize=8192)
def _is_reference(source: str) -> bool:
    """A pronoun or anaphor: a source that names no one itself."""
    lex = load()
    key = anaphor_key(source)
    return key in lex.pronoun_person or key in lex.pronoun_plural or key in lex.anaphors


@lru_cache(maxsize=8192)
def anaphor_key(source: str) -> str:
    """The space-free key a pronoun or anaphor is looked up by: letter forms,
    ZWNJ and a leading preposition (``درین گزارش``) do not count."""
    key = normalize_key(source).replace(" ", "")
    return _IN_THIS.sub("این", key)


def _titled(span: str, people: set[str], registry: Registry, compact: Any) -> list[Entry]:
    """A title the registry has no office for (``سرمربی سپاهان``), written right
    next to the name of exactly one person the document quotes (``ژوزه مورایس،
    سرمربی سپاهان``), is that person."""
    title = _title_key(span)
    if title is None:
        return []
    if isinstance(compact, Document):
        # where the title is written, found once: a name is looked for just before
        # and just after each place, not in the whole text for every name
        key = compact.key
        at = compact.positions(title)
        if not at:
            return []
        after = [p + len(title) for p in at]
        hits = {
            slug
            for slug in people
            for form in registry.forms(slug)
            if len(form) > 3
            and (
                any(p >= len(form) and key.startswith(form, p - len(form)) for p in at)
                or any(key.startswith(form, p) for p in after)
            )
        }
    else:
        hits = {
            slug
            for slug in people
            for form in registry.forms(slug)
            if len(form) > 3 and (form + title in compact or title + form in compact)
        }
    return [registry.entries[hits.pop()]] if len(hits) == 1 else []


@lru_cache(maxsize=8192)
def _title_key(span: str) -> str | None:
    """The space-free key of a span that opens with a title, if it is long enough to look for."""
    if not is_title(span):
        return None
    title = normalize_key(span).replace(" ", "")
    return title if len(title) >= 4 else None


def _narrow(a: Any, s: int, e: int) -> Any:
    sub = a.source[s:e]
    lead = len(sub) - len(sub.lstrip())
    sub = sub.strip()
    start = a.source_start + s + lead
    return dataclasses.replace(
        a, source=sub, source_start=start, source_end=start + len(sub), source_resolved=sub
    )


def _antecedent(
    a: Any, before: list[Any], found: list[list[Entry]], registry: Registry, lex: Lexicon
) -> tuple[Resolution, bool]:
    """The entry a person pronoun or anaphor refers to, from the sources before it;
    and whether an unknown person stood in the way (then nothing is linked)."""
    noun_m = _ANAPHOR_NOUN.match(a.source.strip())
    noun = noun_m.group(1).replace("\u200c", "") if noun_m else ""
    if noun:
        for b, entries in zip(reversed(before), reversed(found), strict=True):
            if noun in b.source.replace("\u200c", "").split() and not b.source.startswith("این"):
                r = _person_of(entries)
                return r, r.source is None
    for b, entries in zip(reversed(before), reversed(found), strict=True):
        if _is_reference(b.source):
            continue
        if entries:
            r = _person_of(entries)
            if r.source is not None:
                return r, False
            continue  # an outlet or an organisation: not who 'او' is
        if _unknown_person(b.source):
            # an unknown person: link nothing rather than someone further back (a span the
            # extractor cut into no name at all, 'یکی از زندان های بلژیک', is passed over)
            return Resolution(), True
    return Resolution(), False


@lru_cache(maxsize=8192)
def _unknown_person(source: str) -> bool:
    """A source that names a person the registry may not know (a name, not junk)."""
    return category(source, load()) == "person" and candidate_name(source) is not None


def _person_of(entries: list[Entry]) -> Resolution:
    person = next((e for e in entries if e.kind == "person"), None)
    office = next((e for e in entries if e.kind == "office"), None)
    if person is not None:
        return Resolution(person, office)
    if office is not None:
        return Resolution(office, office)
    return Resolution()
