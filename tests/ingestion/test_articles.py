"""article_ingest and article_extract: validation, deduplication, idempotent extraction."""

from __future__ import annotations

import dataclasses

import pytest

from claims.extraction import EXTRACTOR_VERSION, extract
from claims.models import Article, ArticleState, Attribution, ReviewState, Source, SourceCandidate
from claims.selectors.sources import alias_table
from claims.services.articles import (
    Extractor,
    article_extract,
    article_ingest,
    article_requeue,
    content_hash,
    decode_text_bytes,
    load_extractor,
)
from claims.services.errors import InputTooLarge, InvalidInput

pytestmark = pytest.mark.django_db

TEXT = "سخنگوی وزارت امور خارجه گفت که گفتگوها با آژانس بین‌المللی انرژی اتمی ادامه دارد."


def test_ingest_stores_text_verbatim_and_queues_extraction_after_commit(django_capture_on_commit_callbacks):
    raw = "  " + TEXT + "\r\n\u200c\n"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article, created = article_ingest(text=raw, title=" عنوان ")
    assert created
    article.refresh_from_db()
    assert article.text == raw  # verbatim: not stripped, not normalised
    assert article.title == "عنوان"
    assert article.state == ArticleState.QUEUED
    assert article.content_hash == content_hash(raw)
    assert len(callbacks) == 1, "extraction is queued once, on commit"


def test_duplicate_by_normalised_text_returns_the_existing_article(django_capture_on_commit_callbacks):
    first, created = article_ingest(text=TEXT)
    # Arabic yeh/kaf, a dropped ZWNJ and different spacing are the same article.
    variant = TEXT.replace("ی", "ي").replace("\u200c", "").replace(" ", "  ")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second, created_again = article_ingest(text=variant)
    assert created and not created_again
    assert second.pk == first.pk
    assert Article.objects.count() == 1
    assert callbacks == [], "a duplicate queues nothing"


def test_duplicate_by_url(django_capture_on_commit_callbacks):
    first, _ = article_ingest(text=TEXT, url="https://example.org/a/1")
    second, created = article_ingest(text=TEXT + " متن دیگر", url="https://example.org/a/1")
    assert not created and second.pk == first.pk
    assert Article.objects.count() == 1


def test_distinct_texts_are_distinct_articles():
    a, _ = article_ingest(text="۱\n" + TEXT)
    b, _ = article_ingest(text="۲\n" + TEXT)
    assert a.pk != b.pk


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \n\t\u00a0  ", "empty"),
        (None, "missing"),
        ("«» ، . !؟ ...", "no_words"),
        ("abc\x00def" * 10, "binary"),
        ("".join(chr(c) for c in range(1, 9)) * 20 + TEXT, "binary"),
    ],
)
def test_bad_text_is_refused_with_a_reason(text, reason):
    with pytest.raises(InvalidInput) as info:
        article_ingest(text=text)
    assert info.value.details["reason"] == reason
    assert info.value.message
    assert Article.objects.count() == 0


def test_twenty_megabytes_is_refused_over_the_documented_limit(settings):
    huge = ("گزارش " * 4_000_000)[:20_000_000]
    with pytest.raises(InputTooLarge) as info:
        article_ingest(text=huge)
    assert info.value.details["limit"] == settings.INGEST_MAX_CHARS
    assert f"{settings.INGEST_MAX_CHARS:,}" in info.value.message
    assert Article.objects.count() == 0


def test_limit_follows_the_setting(settings):
    settings.INGEST_MAX_CHARS = 50
    with pytest.raises(InputTooLarge):
        article_ingest(text=TEXT)
    settings.INGEST_MAX_CHARS = 1000
    assert article_ingest(text=TEXT)[1]


def test_decode_refuses_invalid_utf8_and_binary_and_strips_bom():
    with pytest.raises(InvalidInput) as info:
        decode_text_bytes(TEXT.encode() + b"\xff\xfe\xc3(", name="bad.txt")
    assert info.value.details["reason"] == "invalid_utf8"
    assert "bad.txt" in info.value.message
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(InvalidInput) as info:
        decode_text_bytes(png, name="image.png")
    assert info.value.details["reason"] == "binary"
    assert decode_text_bytes(b"\xef\xbb\xbf" + TEXT.encode()) == TEXT


def test_html_with_script_is_stored_as_text_and_extracted(
    eager, registry, django_capture_on_commit_callbacks
):
    html = (
        "<html><body><script>document.title='pwned';alert(1)</script>"
        f"<p>{TEXT}</p><img src=x onerror=alert(2)></body></html>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        article, _ = article_ingest(text=html)
    article.refresh_from_db()
    assert article.text == html
    assert article.state == ArticleState.DONE
    for attribution in article.attributions.all():
        assert html[attribution.content_start : attribution.content_end] == attribution.content_text


def test_extract_writes_offsets_resolves_sources_and_is_idempotent(registry, seed_text):
    article, _ = article_ingest(text=seed_text)
    article = article_extract(article_id=article.pk)
    assert article.state == ArticleState.DONE
    assert article.extractor_version == EXTRACTOR_VERSION
    assert article.attempts == 1 and article.extracted_at is not None
    rows = list(article.attributions.order_by("id"))
    direct = extract(seed_text, aliases=alias_table())
    assert len(rows) == len(direct) > 5
    for row in rows:
        assert seed_text[row.source_start : row.source_end] == row.source_text
        assert seed_text[row.cue_start : row.cue_end] == row.cue_text
        assert seed_text[row.content_start : row.content_end] == row.content_text
        assert row.extractor_version == EXTRACTOR_VERSION
        assert row.review_state == ReviewState.PENDING
    pentagon = Source.objects.get(slug="us-department-of-defense")
    assert any(row.source_id == pentagon.pk for row in rows), "the Pentagon resolves through its alias"

    ids = [row.pk for row in rows]
    again = article_extract(article_id=article.pk)
    assert list(again.attributions.order_by("id").values_list("id", flat=True)) == ids
    assert again.attempts == 1, "a re-run for the same version does not even start"


def _fake_extractor(version: str, real: Extractor) -> Extractor:
    return dataclasses.replace(real, version=version)


def test_new_version_replaces_pending_and_keeps_reviewed(registry, seed_text, editor):
    article, _ = article_ingest(text=seed_text)
    article_extract(article_id=article.pk)
    rows = list(article.attributions.order_by("content_start"))
    accepted, dismissed, pending = rows[0], rows[1], rows[2:]
    Attribution.objects.filter(pk=accepted.pk).update(review_state=ReviewState.ACCEPTED, reviewed_by=editor)
    Attribution.objects.filter(pk=dismissed.pk).update(review_state=ReviewState.DISMISSED)

    newer = _fake_extractor("9999.1", load_extractor())
    article = article_extract(article_id=article.pk, extractor=newer)
    assert article.extractor_version == "9999.1" and article.state == ArticleState.DONE
    after = list(article.attributions.order_by("content_start"))
    kept = {a.pk for a in after}
    assert accepted.pk in kept and dismissed.pk in kept
    assert not kept & {p.pk for p in pending}, "old pending candidates are replaced"
    assert Attribution.objects.get(pk=accepted.pk).review_state == ReviewState.ACCEPTED
    assert Attribution.objects.get(pk=dismissed.pk).review_state == ReviewState.DISMISSED
    # The reviewed spans are not offered again as new pending duplicates.
    assert len(after) == len(rows)
    assert {a.extractor_version for a in after if a.review_state == ReviewState.PENDING} == {"9999.1"}


def test_extractor_failure_is_recorded_not_raised(registry):
    article, _ = article_ingest(text=TEXT)

    def broken(text, **kwargs):
        raise RuntimeError("rule exploded")

    failing = dataclasses.replace(load_extractor(), extract=broken)
    result = article_extract(article_id=article.pk, extractor=failing)
    assert result.state == ArticleState.FAILED
    assert "rule exploded" in result.error
    assert result.attempts == 1
    assert not result.attributions.exists()
    # A later run with a working extractor recovers it.
    assert article_extract(article_id=article.pk).state == ArticleState.DONE


def test_extractor_size_refusal_is_recorded(registry):
    article, _ = article_ingest(text=TEXT)
    real = load_extractor()

    def too_large(text, **kwargs):
        raise real.too_large("input is too long")

    result = article_extract(article_id=article.pk, extractor=dataclasses.replace(real, extract=too_large))
    assert result.state == ArticleState.FAILED
    assert "بزرگ" in result.error


def test_unknown_source_becomes_a_candidate_not_a_source(registry):
    text = "ژنرال بهرام فرضی‌نژاد، فرمانده ناوگروه خیالی، گفت که ناوها به بندر بازگشته‌اند."
    sources_before = Source.objects.count()
    article, _ = article_ingest(text=text)
    article_extract(article_id=article.pk)
    rows = list(article.attributions.all())
    assert rows, "the extractor finds the attribution"
    assert Source.objects.count() == sources_before
    unresolved = [r for r in rows if r.source_id is None]
    assert unresolved and all(r.source_candidate_id for r in unresolved)
    candidate = unresolved[0].source_candidate
    assert candidate.status == SourceCandidate.Status.OPEN and candidate.occurrences == len(unresolved)

    # The same name in another article counts again; a new version does not double count.
    other, _ = article_ingest(text="۲\n" + text)
    article_extract(article_id=other.pk)
    candidate.refresh_from_db()
    assert candidate.occurrences == 2 * len(unresolved)
    article_extract(article_id=other.pk, extractor=_fake_extractor("9999.2", load_extractor()))
    candidate.refresh_from_db()
    assert candidate.occurrences == 2 * len(unresolved)


def test_candidate_merged_by_an_editor_links_the_real_source(registry):
    text = "ژنرال بهرام فرضی‌نژاد گفت که ناوها به بندر بازگشته‌اند."
    article, _ = article_ingest(text=text)
    article_extract(article_id=article.pk)
    candidate = SourceCandidate.objects.get()
    target = Source.objects.get(slug="us-department-of-defense")
    SourceCandidate.objects.filter(pk=candidate.pk).update(
        status=SourceCandidate.Status.MERGED, source=target
    )
    other, _ = article_ingest(text="دوباره: " + text)
    article_extract(article_id=other.pk)
    assert set(other.attributions.values_list("source_id", flat=True)) == {target.pk}


def test_requeue_sends_a_failed_article_again(django_capture_on_commit_callbacks):
    article, _ = article_ingest(text=TEXT)
    Article.objects.filter(pk=article.pk).update(state=ArticleState.FAILED, error="x")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article = article_requeue(article_id=article.pk)
    assert article.state == ArticleState.QUEUED and article.error == ""
    assert len(callbacks) == 1


def test_missing_article_is_a_clear_error():
    with pytest.raises(InvalidInput):
        article_extract(article_id=987654)


def test_script_in_an_article_is_shown_escaped_on_the_desk(client, editor, registry):
    html = f"<script>document.title='pwned'</script><p>{TEXT}</p>"
    article, _ = article_ingest(text=html)
    article_extract(article_id=article.pk)
    client.force_login(editor)
    page = client.get(f"/review/articles/{article.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "<script>document.title" not in body
    assert "&lt;script&gt;document.title" in body


def test_an_article_that_keeps_killing_workers_is_given_up(registry):
    from claims.services.articles import MAX_ATTEMPTS

    article, _ = article_ingest(text=TEXT)
    # Each start that never finished (a worker killed by it) left its attempt counted.
    Article.objects.filter(pk=article.pk).update(state=ArticleState.PROCESSING, attempts=MAX_ATTEMPTS)
    result = article_extract(article_id=article.pk)
    assert result.state == ArticleState.FAILED
    assert str(MAX_ATTEMPTS) in result.error
    assert not result.attributions.exists()
    # An editor's retry starts afresh.
    article_requeue(article_id=article.pk)
    assert article_extract(article_id=article.pk).state == ArticleState.DONE


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/a", "https://example.org/" + "a" * 2000]
)
def test_bad_urls_are_refused(url):
    with pytest.raises(InvalidInput):
        article_ingest(text=TEXT, url=url)
    assert not Article.objects.exists()
