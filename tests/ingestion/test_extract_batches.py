"""Extraction in batches: ``articles_extract`` (the ``claims.extract_articles`` task) and
the doors' ``extraction_batches``.

A batch must leave exactly what extracting its articles one by one leaves (candidates,
their sources and unknown names, wire copies, statements, claim suggestions, figures),
and one bad article must never cost the others their extraction."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from claims import models as m
from claims.extraction import extract
from claims.selectors.sources import alias_table
from claims.services import articles as article_services
from claims.services import dispatch
from claims.services.articles import (
    article_extract,
    article_ingest,
    articles_extract,
    extraction_batches,
    load_extractor,
)
from claims.services.claims import claim_create
from tests.ingestion.helpers import REPO, gold_texts

pytestmark = pytest.mark.django_db

WIRE = REPO / "tests" / "data" / "wire-copies"
START = dt.datetime(2025, 3, 1, 8, 0, tzinfo=dt.UTC)


def _wire_texts(pairs: int) -> list[str]:
    """Stories as two outlets published them: the second copies or rewrites the first."""
    rows = [json.loads(line) for line in (WIRE / "texts.jsonl").read_text(encoding="utf-8").splitlines()]
    files = [row["file"] for row in rows][: 2 * pairs]
    return [(WIRE / name).read_text(encoding="utf-8") for name in files]


def _texts() -> list[str]:
    gold = [row["text"] for row in gold_texts(8)]
    wire = _wire_texts(3)
    # A gold text again under another first line: a copy held in the same batch.
    return [gold[0], *wire[:2], gold[1], f"بازنشر\n{gold[0]}", *wire[2:], *gold[2:]]


def _ingest(texts: list[str]) -> list[int]:
    """Stored and queued only: outside ``django_capture_on_commit_callbacks`` nothing runs."""
    ids = []
    for n, text in enumerate(texts):
        article, created = article_ingest(text=text, published_at=START + dt.timedelta(minutes=20 * n))
        assert created
        ids.append(article.pk)
    return ids


def _snapshot(ids: list[int]) -> dict:
    """What extraction left, with database ids replaced by the article's place in ``ids``
    and each statement by the appearances it groups."""
    place = {pk: n for n, pk in enumerate(ids)}
    articles = {a.pk: a for a in m.Article.objects.filter(pk__in=ids)}
    rows = list(m.Attribution.objects.filter(article_id__in=ids).select_related("source_candidate"))
    spot = {a.pk: (place[a.article_id], a.content_start, a.content_end) for a in rows}
    groups: dict[int, set] = {}
    for a in rows:
        if a.statement_id:
            groups.setdefault(a.statement_id, set()).add(spot[a.pk])
    statements = m.Statement.objects.filter(pk__in=list(groups))
    return {
        "articles": sorted(
            (
                place[pk],
                a.state,
                a.error,
                a.extractor_version,
                a.matched_at is not None,
                a.match_skipped,
                place.get(a.copy_of_id),
                a.copy_similarity,
                tuple(a.shingle_signature),
            )
            for pk, a in articles.items()
        ),
        "attributions": sorted(
            (
                spot[a.pk],
                a.source_text,
                a.source_id,
                a.office_id,
                a.via_source_id,
                a.source_candidate.key if a.source_candidate else None,
                a.kind,
                a.review_state,
                a.claim_id,
                a.confidence,
                json.dumps(a.quantities, sort_keys=True),
            )
            for a in rows
        ),
        "statements": sorted(
            (
                tuple(sorted(groups[s.pk])),
                s.source_id,
                s.speaker_key,
                s.content_key,
                s.appearance_count,
                s.first_seen_at,
                s.last_seen_at,
            )
            for s in statements
        ),
        "bands": sorted(
            (place[a], band) for a, band in m.ArticleBand.objects.values_list("article_id", "band")
        ),
        "matches": sorted(
            (spot[x.attribution_id], x.claim_id, x.score)
            for x in m.ClaimMatch.objects.filter(attribution_id__in=list(spot))
        ),
        "figures": sorted(
            (f.claim_id, f.unit, f.signature, spot[f.attribution_id]) for f in m.ClaimFigure.objects.all()
        ),
        "candidates": sorted(m.SourceCandidate.objects.values_list("key", "occurrences", "status")),
    }


def _forget_extraction(ids: list[int]) -> None:
    """Back to freshly ingested: everything extraction wrote is removed."""
    m.ClaimMatch.objects.all().delete()
    m.ConsistencyFlag.objects.all().delete()
    m.ClaimFigure.objects.all().delete()
    m.Attribution.objects.filter(article_id__in=ids).delete()
    m.Statement.objects.all().delete()
    m.ArticleBand.objects.all().delete()
    m.SourceCandidate.objects.all().delete()
    m.Article.objects.filter(pk__in=ids).update(
        state=m.ArticleState.QUEUED,
        extractor_version="",
        attempts=0,
        extracted_at=None,
        matched_at=None,
        copy_of=None,
        copy_similarity=None,
        shingle_signature=[],
    )


@pytest.mark.parametrize("size", [4, 3, 0])
def test_a_batch_leaves_what_one_by_one_leaves(registry, editor, size):
    """Batches of four and of three put a copy and its original in different batches and
    in one; a single batch of every article (0) has a speaker's statements started and
    joined by several of its articles, and copies of its own earlier articles."""
    texts = _texts()
    # A claim the texts' own words match, so suggestions and figures are compared too.
    for text in texts:
        found = [f for f in extract(text, aliases=alias_table()) if f.quantities and len(f.content) > 30]
        if found:
            claim_create(text=found[0].content, actor=editor)
            break
    assert m.Claim.objects.exists()
    ids = _ingest(texts)

    for pk in ids:
        article_extract(article_id=pk)
    one_by_one = _snapshot(ids)
    assert all(row[1] == m.ArticleState.DONE and row[4] for row in one_by_one["articles"])
    assert any(row[6] is not None for row in one_by_one["articles"]), "no wire copy in the texts"
    assert one_by_one["matches"], "no claim suggestion to compare"
    assert any(len(group[0]) > 1 for group in one_by_one["statements"]), "no statement repeated"

    _forget_extraction(ids)
    assert not m.Attribution.objects.filter(article_id__in=ids).exists()
    # Copies and statements across batches and inside one.
    size = size or len(ids)
    for first in range(0, len(ids), size):
        articles_extract(article_ids=ids[first : first + size])
    batched = _snapshot(ids)

    for part in one_by_one:
        assert batched[part] == one_by_one[part], part


def test_a_batch_is_idempotent(registry):
    ids = _ingest(_texts()[:5])
    articles_extract(article_ids=ids)
    before = _snapshot(ids)
    again = articles_extract(article_ids=ids)
    assert [a.pk for a in again] == sorted(ids)
    assert _snapshot(ids) == before


def test_an_article_the_extractor_refuses_leaves_the_others_extracted(registry):
    texts = _texts()[:4]
    ids = _ingest(texts)
    real = load_extractor()
    bad = ids[2]

    def extract_or_break(text, **kwargs):
        if text == texts[2]:
            raise RuntimeError("a rule broke")
        return real.extract(text, **kwargs)

    broken = article_services.Extractor(
        extract=extract_or_break, version=real.version, too_large=real.too_large
    )
    result = {a.pk: a for a in articles_extract(article_ids=ids, extractor=broken)}

    failed = m.Article.objects.get(pk=bad)
    assert failed.state == m.ArticleState.FAILED and "a rule broke" in failed.error
    assert result[bad].state == m.ArticleState.FAILED
    assert not m.Attribution.objects.filter(article_id=bad).exists()
    for pk, text in zip(ids, texts, strict=True):
        if pk == bad:
            continue
        article = m.Article.objects.get(pk=pk)
        assert article.state == m.ArticleState.DONE and article.matched_at is not None
        assert article.attributions.count() == len(real.extract(text, aliases=alias_table()))


def test_an_article_the_database_refuses_leaves_the_others_extracted(registry, require_postgres, monkeypatch):
    texts = _texts()[:4]
    ids = _ingest(texts)
    bad = ids[1]
    real_row = article_services._attribution_row

    def row(article, found, version):
        attribution = real_row(article, found, version)
        if article.pk == bad:
            attribution.kind = "x" * 40  # longer than the column: the database refuses the insert
        return attribution

    monkeypatch.setattr(article_services, "_attribution_row", row)
    articles_extract(article_ids=ids)

    failed = m.Article.objects.get(pk=bad)
    assert failed.state == m.ArticleState.FAILED and "database error" in failed.error
    for pk, text in zip(ids, texts, strict=True):
        if pk == bad:
            continue
        article = m.Article.objects.get(pk=pk)
        assert article.state == m.ArticleState.DONE and article.matched_at is not None, pk
        assert article.attributions.count() == len(extract(text, aliases=alias_table()))
        # The batch and the retry on its own are one attempt of one task run.
        assert article.attempts == 1


def test_an_unforeseen_error_on_one_article_leaves_the_others_extracted(registry, monkeypatch):
    from claims.services import resolution

    texts = _texts()[:4]
    ids = _ingest(texts)
    bad = ids[0]
    real_resolve = resolution.attributions_resolve

    def resolve(*, attributions, **kwargs):
        if any(a.article_id == bad for a in attributions):
            raise TypeError("a bug met by one article only")
        return real_resolve(attributions=attributions, **kwargs)

    monkeypatch.setattr(resolution, "attributions_resolve", resolve)
    result = {a.pk: a for a in articles_extract(article_ids=ids)}

    # As after a failed single task: left processing, for the stale sweep to send again.
    assert bad not in result
    assert m.Article.objects.get(pk=bad).state == m.ArticleState.PROCESSING
    assert not m.Attribution.objects.filter(article_id=bad).exists()
    for pk, text in zip(ids[1:], texts[1:], strict=True):
        article = m.Article.objects.get(pk=pk)
        assert result[pk].state == article.state == m.ArticleState.DONE
        assert article.matched_at is not None
        assert article.attributions.count() == len(extract(text, aliases=alias_table()))


def test_a_missing_article_is_left_out_of_its_batch(registry):
    ids = _ingest(_texts()[:2])
    gone = ids[1] + 1000
    result = articles_extract(article_ids=[*ids, gone])
    assert [a.pk for a in result] == ids
    assert m.Article.objects.filter(pk__in=ids, state=m.ArticleState.DONE).count() == 2


def test_the_doors_queue_batches_of_ids(registry, monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(dispatch, "enqueue", lambda name, *args, **kw: sent.append((name, args)))
    texts = [row["text"] for row in gold_texts(7)]
    with extraction_batches(size=3), django_capture_on_commit_callbacks(execute=True):
        ids = _ingest(texts)
    assert sent == [
        ("claims.extract_articles", (ids[0:3],)),
        ("claims.extract_articles", (ids[3:6],)),
        ("claims.extract_article", (ids[6],)),
    ]
    # Outside the block, one message per article as before.
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        (extra,) = _ingest([f"دوباره\n{texts[0]}"])
    assert sent == [("claims.extract_article", (extra,))]


def test_batches_run_in_process_without_a_broker(eager, registry, django_capture_on_commit_callbacks):
    texts = [row["text"] for row in gold_texts(5)]
    with extraction_batches(size=2), django_capture_on_commit_callbacks(execute=True):
        ids = _ingest(texts)
    for pk, text in zip(ids, texts, strict=True):
        article = m.Article.objects.get(pk=pk)
        assert article.state == m.ArticleState.DONE and article.matched_at is not None
        assert article.attributions.count() == len(extract(text, aliases=alias_table()))


class _Deadlock(Exception):
    sqlstate = "40P01"


def _raising(error: type[Exception], *, deadlock: bool):
    def step(**kwargs):
        if not deadlock:
            raise error("server closed the connection unexpectedly")
        try:
            raise _Deadlock("deadlock detected")
        except _Deadlock as cause:
            raise error("deadlock detected") from cause

    return step


def test_a_deadlock_with_another_batch_is_settled_one_by_one(registry, monkeypatch):
    from django.db import OperationalError

    from claims.services import statements

    texts = _texts()[:5]
    ids = _ingest(texts)
    monkeypatch.setattr(statements, "articles_statements_assign", _raising(OperationalError, deadlock=True))
    articles_extract(article_ids=ids)

    grouped = m.Attribution.objects.filter(article_id__in=ids, statement__isnull=False)
    assert grouped.exists()
    assert not m.Attribution.objects.filter(
        article_id__in=ids, statement__isnull=True, review_state=m.ReviewState.PENDING, source__isnull=False
    ).exists()
    assert all(m.Article.objects.get(pk=pk).shingle_signature for pk in ids)


def test_a_transient_error_after_the_extraction_is_finished_by_the_retry(registry, monkeypatch):
    from django.db import OperationalError

    from claims.services import statements

    texts = _texts()[:5]
    ids = _ingest(texts)
    real = statements.articles_statements_assign
    monkeypatch.setattr(statements, "articles_statements_assign", _raising(OperationalError, deadlock=False))
    with pytest.raises(OperationalError):
        articles_extract(article_ids=ids)  # the task retries the batch
    assert not m.Attribution.objects.filter(article_id__in=ids, statement__isnull=False).exists()
    assert m.Article.objects.filter(pk__in=ids, state=m.ArticleState.DONE).count() == len(ids)

    monkeypatch.setattr(statements, "articles_statements_assign", real)
    articles_extract(article_ids=ids)
    # The extraction is not done again; what came after it is.
    assert all(m.Article.objects.get(pk=pk).attempts == 1 for pk in ids)
    assert not m.Attribution.objects.filter(
        article_id__in=ids, statement__isnull=True, review_state=m.ReviewState.PENDING, source__isnull=False
    ).exists()
    assert m.Attribution.objects.filter(article_id__in=ids, statement__isnull=False).exists()
