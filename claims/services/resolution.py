"""Source resolution: link each extracted source to the registry, or queue it for editors.

A name the alias table knows becomes a link to that ``Source``. A name it does not
know becomes (or counts towards) a ``SourceCandidate`` that an editor confirms,
merges into an existing source, or ignores. No ``Source`` is ever created here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from claims.extraction.candidates import CandidateName, candidate_name, is_title, suggest_kind
from claims.extraction.names import MEDIA_ADJECTIVES, MEDIA_HEADS, _skeleton, country_at
from claims.extraction.normalize import BIDI_CONTROLS, normalize_key
from claims.models import Attribution, SourceCandidate

# Pronouns a noun carries as a suffix ('تأکید شان', 'سخنانش'), cut off by a span.
_SUFFIX_PRONOUNS = frozenset(normalize_key(w) for w in ("ش", "اش", "شان", "مان", "تان", "شون", "ام", "ات"))
# Heads that describe media without naming them ('رسانه عبری', 'مطبوعات فرانسه').
_GENERIC_MEDIA = MEDIA_HEADS | {normalize_key("مطبوعات")}
# Forces described, not named ('نیروهای امنیتی').
_FORCES = frozenset(normalize_key(w) for w in ("نیروهای", "نیروی", "نیروها"))
_FORCES_ADJECTIVES = frozenset(
    normalize_key(w) for w in ("امنیتی", "نظامی", "انتظامی", "مسلح", "ویژه", "دولتی", "شبه‌نظامی", "مردمی")
)
# Documents and data cited as sources ('سند آمایش سرزمین', 'سرشماری'): not registry entries.
_DOCUMENTS = frozenset(
    normalize_key(w).replace(" ", "")
    for w in (
        "سند",
        "سرشماری",
        "نظریه",
        "نظریهٔ",
        "لایحه",
        "قانون",
        "مصوبه",
        "بخشنامه",
        "آیین‌نامه",
        "قطعنامه",
        "طرح",
        "آمار",
        "داده‌های",
        "نتایج",
        "نظرسنجی",
    )
)
# 'مدیر یک شرکت دانش‌بنیان': someone described, not named.
_INDEFINITE = frozenset(normalize_key(w) for w in ("یک", "یکی", "چند", "برخی"))
_AND_BEFORE = re.compile(r"\sو\s$")
# Pronouns and placeholders the extractor may leave unresolved: not names an
# editor could add to the registry.
_NOT_NAMES = frozenset(
    normalize_key(word).replace(" ", "")
    for word in ("او", "وی", "ایشان", "آنها", "آن‌ها", "آنان", "ما", "من", "این", "آن", "همو", "خود")
)


def _lookup(aliases: Mapping[str, int], *texts: str | None) -> int | None:
    for text in texts:
        if text:
            key = normalize_key(text)
            if key and key in aliases:
                return aliases[key]
    return None


def candidate_key(text: str) -> str:
    """The queue's key for a name: one for every way of writing it (letters, ZWNJ,
    spaces, honorifics); empty for junk that never becomes a candidate."""
    found = candidate_name(text)
    return found.key if found else ""


@transaction.atomic(savepoint=False)
def attributions_resolve(
    *,
    attributions: list[Attribution],
    aliases: Mapping[str, int],
    registry: Any = None,
    published: dt.date | None = None,
) -> None:
    """Fill ``source``/``office``/``via_source``/``source_candidate`` on unsaved attributions.

    The extractor already resolves through the same registry; this pass catches
    what it left open, reuses candidates editors have already merged, and counts
    unknown names. With a ``registry`` (``claims.extraction.registry.Registry``)
    an office resolves to its holder on ``published`` and a qualifier in the span
    is never crossed; without one, only whole written forms are looked up."""
    unknown: dict[str, CandidateName] = {}
    wanted: list[tuple[Attribution, str]] = []

    def note(text: str, article_text: str = "") -> str:
        if registry is not None and registry.entries_in(text):
            return ""  # a known name ran into other words, or a qualifier was crossed
        found = queue_name(text, article_text)
        if found is None:
            return ""
        if registry is not None and _runs_into_known_name(found, found.text, registry):
            return ""
        unknown.setdefault(found.key, found)
        return found.key

    for attribution in attributions:
        if attribution.source_id is None and registry is not None:
            found = registry.resolve(attribution.source_text, attribution.source_resolved, published)
            attribution.source_id = found.source.id if found.source else None
            attribution.office_id = attribution.office_id or (found.office.id if found.office else None)
        elif attribution.source_id is None:
            attribution.source_id = _lookup(aliases, attribution.source_resolved, attribution.source_text)
        if attribution.via_source_id is None and attribution.via_text:
            if registry is not None:
                via = registry.resolve(attribution.via_text).source
                attribution.via_source_id = via.id if via else None
            else:
                attribution.via_source_id = _lookup(aliases, attribution.via_text)
        if attribution.source_id is None and not attribution.hedged:
            article = getattr(attribution, "article", None)
            written = attribution.source_resolved or attribution.source_text
            key = note(written, article.text if article else "")
            if key:
                wanted.append((attribution, key))
        if attribution.via_text and attribution.via_source_id is None:
            note(attribution.via_text)

    if not unknown:
        return
    candidates = source_candidates_note(
        names=unknown, counts=Counter(key for _, key in wanted), registry=registry
    )
    for attribution, key in wanted:
        candidate = candidates[key]
        if candidate.source_id is not None:
            # An editor already confirmed or merged this name: link the real source.
            attribution.source_id = candidate.source_id
        else:
            attribution.source_candidate = candidate


def queue_name(text: str, article_text: str = "") -> CandidateName | None:
    """The name an unknown source span puts in the queue, or None for what is not
    a name. Beyond ``candidate_name``'s junk (verbs, places, pronouns, spans run on
    into the sentence), none of these is a name an editor could add:
    - a suffix pronoun the extractor cut off its noun (``شان`` of ``تأکید شان``);
    - media described, not named (``رسانه عبری``, ``مطبوعات فرانسه``);
    - one word that the article writes only after ``و`` (``نجات`` of ``سازمان امداد
      و نجات``): the tail of a coordination cut in two.
    A name written with its title (``ماریو هاک سخنگوی رییس جمهوری آرژانتین``) is
    queued as the name alone."""
    found = candidate_name(_name_part(BIDI_CONTROLS.sub("", text)))
    if found is None or found.key in _NOT_NAMES or found.key in _SUFFIX_PRONOUNS:
        return None
    tokens = normalize_key(found.text).split()
    if tokens[0] in _GENERIC_MEDIA and all(
        t in MEDIA_ADJECTIVES or country_at(tokens, k) for k, t in enumerate(tokens[1:], 1)
    ):
        return None
    if tokens[0] in _DOCUMENTS or any(w in _INDEFINITE for w in tokens[1:]):
        return None
    if article_text and len(tokens) == 1 and _only_after_and(found.text, article_text):
        return None
    if tokens[0] in _FORCES and all(w in _FORCES_ADJECTIVES for w in tokens[1:]):
        return None
    if (
        article_text
        and len(tokens) == 2
        and suggest_kind(found.text) == "person"
        and _ran_on(tokens, article_text)
    ):
        return None
    return found


def _name_part(text: str) -> str:
    """'ماریو هاک سخنگوی رییس جمهوری آرژانتین' -> 'ماریو هاک': the name of two words
    or more before a title, when the span does not open with a title itself."""
    words = text.split()
    if len(words) < 3 or is_title(text):
        return text
    for k in range(2, len(words)):
        if is_title(" ".join(words[k:])):
            return " ".join(words[:k])
    return text


def _ran_on(tokens: list[str], article_text: str) -> bool:
    """'پورمند تمایلی': the article writes the first word as a name on its own
    (``علیرضا پورمند``) and the second word nowhere but after it, so the span took
    in the next word of the sentence."""
    first, second = tokens
    words = normalize_key(article_text).split()
    after = [*words[1:], ""]
    before = ["", *words[:-1]]
    first_alone = any(w == first and a != second for w, a in zip(words, after, strict=True))
    second_alone = any(w == second and b != first for w, b in zip(words, before, strict=True))
    return first_alone and not second_alone


def _only_after_and(word: str, article_text: str) -> bool:
    spots = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", article_text)]
    return bool(spots) and all(_AND_BEFORE.search(article_text, max(0, s - 3), s) for s in spots)


def _runs_into_known_name(name: CandidateName, text: str, registry: Any) -> bool:
    """'پست کاتز': a word that is not a given name the registry knows, run into the
    surname of a person it knows; the span took in a word from the sentence."""
    if name.tokens != 2 or not any(
        registry.entries[s].kind == "person" for s in registry.index.get(name.tail, ())
    ):
        return False
    first = normalize_key(text).split()[-2]
    return first not in registry.given_names()


def _suggested_source(name: CandidateName, registry: Any) -> int | None:
    """An existing entry the unknown name may be another spelling of: a person whose
    name it is with other vowel letters (``کارولین لویت``), else one whose surname it
    ends with and whose given name it writes with other vowel letters (``دانلد ترامپ``).
    Another given name on a known surname is another person (``صالح ربیعی`` is not
    ``علی ربیعی``): no suggestion."""
    if registry is None:
        return None
    if name.tokens > 1:
        like = registry.spelled_like(name.text)
        if like is not None:
            return like.id
        given = _skeleton(normalize_key(name.text).split()[0])
        for slug in registry.index.get(name.tail, ()):
            entry = registry.entries[slug]
            if entry.kind == "person" and given in _given_names(registry, slug, name.tail):
                return entry.id
    return None


def _given_names(registry: Any, slug: str, surname: str) -> set[str]:
    """The entry's given names (what its written forms hold before ``surname``), as
    skeletons without vowel letters."""
    return {
        _skeleton(form[: -len(surname)])
        for form in registry.forms(slug)
        if form.endswith(surname) and form != surname
    }


@transaction.atomic(savepoint=False)
def source_candidates_note(
    *, names: Mapping[str, CandidateName | str], counts: Mapping[str, int], registry: Any = None
) -> dict[str, SourceCandidate]:
    """Get or create one candidate per unknown key and add its new occurrences, in
    one upsert (PostgreSQL and SQLite both speak ``ON CONFLICT ... RETURNING``);
    then group new surname-only and full-name forms of one person.

    Rows go in sorted key order, so two workers upserting overlapping sets of
    candidates lock them in the same order and cannot deadlock."""
    keys = sorted(names)
    if not keys:
        return {}
    table = SourceCandidate._meta.db_table
    now = timezone.now()
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(keys))
    params: list = []
    found: dict[str, CandidateName] = {}
    for key in keys:
        name = names[key]
        if isinstance(name, str):
            name = candidate_name(name) or CandidateName(key=key, text=name[:300], tail=key[-100:], tokens=1)
        found[key] = name
        params += [
            name.text[:300],
            key,
            SourceCandidate.Status.OPEN.value,
            counts.get(key, 0),
            now,
            name.tail if name.tokens > 1 else key[:100],
            suggest_kind(name.text),
            _suggested_source(name, registry),
        ]
    sql = (
        f"INSERT INTO {table} (text, key, status, occurrences, first_seen_at, tail, suggested_kind, "  # noqa: S608
        f"suggested_source_id) VALUES {rows} "
        f"ON CONFLICT (key) DO UPDATE SET occurrences = {table}.occurrences + excluded.occurrences "
        "RETURNING id, key, source_id, status, group_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        upserted = cursor.fetchall()
    out = {
        key: SourceCandidate(
            id=pk, key=key, text=found[key].text, source_id=source_id, status=status, group_id=group_id
        )
        for pk, key, source_id, status, group_id in upserted
    }
    _group_forms([c for c in out.values() if c.group_id is None], found)
    return out


def _group_forms(fresh: list[SourceCandidate], names: Mapping[str, CandidateName]) -> None:
    """A surname alone and the full name ending with it are one person's: the full
    name heads the group, when exactly one open full name ends with that surname."""
    open_ = SourceCandidate.Status.OPEN
    for candidate in sorted(fresh, key=lambda c: c.key):
        name = names[candidate.key]
        if suggest_kind(name.text) != "person":
            continue
        if name.tokens == 1:
            heads = list(
                SourceCandidate.objects.filter(tail=candidate.key, status=open_, group__isnull=True)
                .exclude(key=candidate.key)
                .values_list("id", flat=True)[:2]
            )
            if len(heads) == 1:
                SourceCandidate.objects.filter(pk=candidate.pk).update(group_id=heads[0])
                candidate.group_id = heads[0]
        else:
            same_tail = SourceCandidate.objects.filter(tail=name.tail, status=open_).exclude(key=name.tail)
            if same_tail.exclude(pk=candidate.pk).filter(group__isnull=True).exists():
                continue  # two full names end with this surname: leave the surname alone
            SourceCandidate.objects.filter(key=name.tail, status=open_, group__isnull=True).update(
                group_id=candidate.pk
            )


def source_candidate_members(candidate: SourceCandidate) -> list[SourceCandidate]:
    """The candidate and every other written form grouped under it."""
    return [candidate, *SourceCandidate.objects.filter(group=candidate, status=SourceCandidate.Status.OPEN)]


@transaction.atomic(savepoint=False)
def source_candidates_release(*, counts: Mapping[int, int]) -> None:
    """Take back occurrences of candidates whose attributions were replaced."""
    for candidate_id in sorted(counts):
        SourceCandidate.objects.filter(pk=candidate_id, occurrences__gte=counts[candidate_id]).update(
            occurrences=F("occurrences") - counts[candidate_id]
        )


def unknown_source_names(attributions: Iterable[Attribution]) -> list[str]:
    """The source names in ``attributions`` that went to the candidate queue."""
    return sorted({a.source_text for a in attributions if a.source_candidate_id is not None})
