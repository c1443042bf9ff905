"""Source resolution: link each extracted source to the registry, or queue it for editors.

A name the alias table knows becomes a link to that ``Source``. A name it does not
know becomes (or counts towards) a ``SourceCandidate`` that an editor confirms,
merges into an existing source, or ignores. No ``Source`` is ever created here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from claims.extraction.normalize import normalize_key
from claims.models import Attribution, SourceCandidate

# Pronouns and placeholders the extractor may leave unresolved: not names an
# editor could add to the registry.
_NOT_NAMES = frozenset(
    normalize_key(word)
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
    return normalize_key(text)[:300]


@transaction.atomic(savepoint=False)
def attributions_resolve(*, attributions: list[Attribution], aliases: Mapping[str, int]) -> None:
    """Fill ``source``/``via_source``/``source_candidate`` on unsaved attributions.

    The extractor already resolves through the same alias table; this pass catches
    what it left open (for example a ``source_resolved`` form it did not look up),
    reuses candidates editors have already merged, and counts unknown names."""
    unknown: dict[str, str] = {}
    wanted: list[tuple[Attribution, str]] = []
    for attribution in attributions:
        if attribution.source_id is None:
            attribution.source_id = _lookup(aliases, attribution.source_resolved, attribution.source_text)
        if attribution.via_source_id is None and attribution.via_text:
            attribution.via_source_id = _lookup(aliases, attribution.via_text)
        if attribution.source_id is None and not attribution.hedged:
            key = candidate_key(attribution.source_resolved or attribution.source_text)
            if key and key not in _NOT_NAMES:
                unknown.setdefault(key, (attribution.source_resolved or attribution.source_text)[:300])
                wanted.append((attribution, key))
        if attribution.via_text and attribution.via_source_id is None:
            key = candidate_key(attribution.via_text)
            if key and key not in _NOT_NAMES:
                unknown.setdefault(key, attribution.via_text[:300])

    if not unknown:
        return
    candidates = source_candidates_note(names=unknown, counts=Counter(key for _, key in wanted))
    for attribution, key in wanted:
        candidate = candidates[key]
        if candidate.source_id is not None:
            # An editor already confirmed or merged this name: link the real source.
            attribution.source_id = candidate.source_id
        else:
            attribution.source_candidate = candidate


@transaction.atomic(savepoint=False)
def source_candidates_note(
    *, names: Mapping[str, str], counts: Mapping[str, int]
) -> dict[str, SourceCandidate]:
    """Get or create one candidate per unknown key and add its new occurrences, in
    one upsert (PostgreSQL and SQLite both speak ``ON CONFLICT ... RETURNING``).

    Rows go in sorted key order, so two workers upserting overlapping sets of
    candidates lock them in the same order and cannot deadlock."""
    keys = sorted(names)
    if not keys:
        return {}
    table = SourceCandidate._meta.db_table
    now = timezone.now()
    rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(keys))
    params: list = []
    for key in keys:
        params += [names[key][:300], key, SourceCandidate.Status.OPEN.value, counts.get(key, 0), now]
    sql = (
        f"INSERT INTO {table} (text, key, status, occurrences, first_seen_at) VALUES {rows} "  # noqa: S608
        f"ON CONFLICT (key) DO UPDATE SET occurrences = {table}.occurrences + excluded.occurrences "
        "RETURNING id, key, source_id, status"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return {
        key: SourceCandidate(id=pk, key=key, text=names[key][:300], source_id=source_id, status=status)
        for pk, key, source_id, status in found
    }


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
