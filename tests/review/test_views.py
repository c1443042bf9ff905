"""The desk's pages and in-place actions, through the test client."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.urls import reverse

from claims import models as m
from claims.services import attributions as attribution_svc
from claims.services import ingest_jobs as ingest_svc
from claims.services.claims import claim_publish, claim_rate, claim_submit
from tests.factories import ClaimFactory, SourceFactory
from tests.review.conftest import build_article

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def cand_url(name, a):
    return reverse(f"review:{name}", kwargs={"article_id": a.article_id, "pk": a.pk})


def test_inbox_lists_articles_with_pending_candidates_newest_first(editor_client):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    old = build_article(2, title="خبر کهنه", published_at=now - dt.timedelta(days=3))
    new = build_article(1, title="خبر تازه", published_at=now)
    reviewed = build_article(1, title="خبر بررسی‌شده", published_at=now)
    reviewed.attributions.update(review_state="dismissed")
    m.Article.objects.create(
        text="x", title="خبر ناموفق", content_hash="f1", state="failed", error="خطای استخراج"
    )
    html = editor_client.get(reverse("review:inbox")).content.decode()
    assert html.index("خبر تازه") < html.index("خبر کهنه")
    assert "خبر بررسی‌شده" not in html.split('id="inbox-list"')[1].split("</section>")[0]
    assert "خطای استخراج" in html and "تلاش دوباره" in html
    # counts per state, in Persian digits
    assert "در انتظار بررسی: <strong>۳</strong>" in html
    assert old.pk != new.pk


def test_inbox_filters(editor_client):
    publisher = SourceFactory(name_fa="ایسنا", kind="news_agency")
    a = build_article(1, title="خبر ایسنا", publisher=publisher)
    build_article(2, title="خبر دیگر")
    a.attributions.update(hedged=True, kind="direct")
    url = reverse("review:inbox")
    for query in [
        {"publisher": publisher.pk},
        {"hedged": "1"},
        {"kind": "direct"},
        {"q": "ایسنا"},
    ]:
        html = editor_client.get(url, query).content.decode()
        assert "خبر ایسنا" in html and "خبر دیگر" not in html, query
    html = editor_client.get(url, {"state": "accepted"}).content.decode()
    assert "خبر ایسنا" not in html
    html = editor_client.get(url, {"from": "۱۳۹۰-۰۱-۰۱", "to": "2099-01-01"}).content.decode()
    assert "خبر ایسنا" in html


def test_article_page_shows_candidates_and_legend(editor_client, article, candidates):
    html = editor_client.get(reverse("review:article", args=[article.pk])).content.decode()
    assert html.count('class="cand state-pending') == 4
    assert 'class="legend"' in html
    assert "hl-source" in html and "hl-cue" in html and "hl-content" in html
    assert "۸۰٪" in html  # confidence in Persian digits
    assert 'lang="fa" dir="rtl"' in html


def test_htmx_accept_returns_the_updated_card(editor_client, candidates):
    a = candidates[0]
    response = editor_client.post(cand_url("attribution_accept", a), {"text": "ادعای تازه"}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<section id="cand-{a.pk}"')
    assert "state-accepted" in html and "ادعای تازه" in html
    counts = html.split('id="cand-counts" hx-swap-oob="true"')[1]
    assert "در انتظار ۳" in counts and "پذیرفته ۱" in counts
    a.refresh_from_db()
    assert a.claim.text == "ادعای تازه"


def test_htmx_error_is_shown_in_the_card_with_422(editor_client, candidates):
    response = editor_client.post(cand_url("attribution_accept", candidates[0]), {"text": "  \u202e "}, **HX)
    assert response.status_code == 422
    assert "متن ادعا نمی‌تواند خالی باشد." in response.content.decode()


def test_plain_post_redirects_back_with_message(editor_client, candidates):
    a = candidates[1]
    response = editor_client.post(cand_url("attribution_dismiss", a), {"reason": "not_claim"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/review/articles/{a.article_id}/#cand-{a.pk}")
    assert "انتساب رد شد." in response.content.decode()


def test_link_by_search(editor_client, candidates, editor):
    claim = attribution_svc.attribution_accept_new(
        attribution=candidates[0], text="حملهٔ هوایی به عراق", actor=editor
    )
    a = candidates[1]
    html = editor_client.get(
        reverse("review:claim_search"), {"q": "حمله هوایی", "article": a.article_id, "attribution": a.pk}
    ).content.decode()
    assert f'name="claim" value="{claim.pk}"' in html
    html = editor_client.get(reverse("review:claim_search"), {"q": f"#{claim.pk}"}).content.decode()
    assert "حملهٔ هوایی به عراق" in html
    editor_client.post(cand_url("attribution_link", a), {"claim": claim.pk}, **HX)
    a.refresh_from_db()
    assert a.claim_id == claim.pk


def test_suggestions_show_their_score(editor_client, candidates):
    claim = ClaimFactory(text="پیشنهاد شبیه")
    m.ClaimMatch.objects.create(attribution=candidates[0], claim=claim, score=0.83)
    html = editor_client.get(reverse("review:article", args=[candidates[0].article_id])).content.decode()
    assert "۸۳٪" in html and "پیشنهاد شبیه" in html


def test_source_search_and_pick(editor_client, candidates):
    source = SourceFactory(name_fa="فرماندهی مرکزی ایالات متحده", name_en="CENTCOM")
    a = candidates[2]
    html = editor_client.get(
        reverse("review:source_search"), {"q": "centcom", "article": a.article_id, "attribution": a.pk}
    ).content.decode()
    assert f'name="source" value="{source.pk}"' in html and "<bdi" in html
    editor_client.post(cand_url("attribution_source", a), {"source": source.pk}, **HX)
    a.refresh_from_db()
    assert a.source_id == source.pk


def test_span_correction_from_offsets(editor_client, article, candidates):
    a = candidates[0]
    start = article.text.index("ارتش آمریکا")
    response = editor_client.post(
        cand_url("attribution_span", a), {"part": "content", "start": start, "end": start + 11}, **HX
    )
    html = response.content.decode()
    # the card, and the re-highlighted text out of band
    assert response.status_code == 200 and html.startswith(f'<section id="cand-{a.pk}"')
    assert '<div id="article-body" hx-swap-oob="true"' in html
    a.refresh_from_db()
    assert a.content_text == "ارتش آمریکا"
    response = editor_client.post(cand_url("attribution_span", a), {"part": "content", "start": "x"}, **HX)
    assert response.status_code == 422 and "انتخاب کنید" in response.content.decode()


def test_claim_workflow_and_illegal_move_message(client, editor, senior, candidates):
    client.force_login(editor)
    claim = attribution_svc.attribution_accept_new(attribution=candidates[0], text="ادعا", actor=editor)
    url = lambda name: reverse(f"review:{name}", args=[claim.pk])  # noqa: E731
    client.post(
        url("claim_evidence"), {"url": "https://example.org/report", "title": "گزارش", "note": "منبع مستقل"}
    )
    client.post(url("claim_rate"), {"rating": "false", "rationale": "شواهد مستقل خلاف آن را نشان می‌دهد."})
    # an illegal move: rated -> new is not in the state machine
    response = client.post(url("claim_transition"), {"to": "new"}, follow=True)
    assert "نمی‌تواند به «تازه» برود" in response.content.decode()
    client.post(url("claim_submit"), {})
    claim.refresh_from_db()
    assert claim.status == "submitted" and claim.evidence.count() == 1
    # the editor cannot publish, and the claim is frozen while it waits
    assert client.post(url("claim_publish")).status_code == 403
    assert client.get(url("claim_publish")).status_code == 403
    assert client.post(url("claim_rate"), {"rating": "true", "rationale": "x"}).status_code == 403
    client.force_login(senior)
    html = client.get(url("claim")).content.decode()
    assert "در انتظار تأیید دبیر ارشد" in html and "تأیید و انتشار" in html
    # publishing asks first, on a page that shows what the public will see
    confirm = client.get(url("claim_publish"))
    page = confirm.content.decode()
    assert confirm.status_code == 200 and 'data-action="confirm-publish"' in page
    assert "شواهد مستقل خلاف آن را نشان می‌دهد." in page and "گزارش" in page and "منبع مستقل" not in page
    client.post(url("claim_publish"))  # no confirmation: nothing happens
    claim.refresh_from_db()
    assert claim.status == "submitted"
    client.post(url("claim_publish"), {"confirm": "1"})
    claim.refresh_from_db()
    assert claim.status == "published"
    # a correction needs a public note, and the old rating stays in the history
    response = client.post(
        url("claim_correct"), {"rating": "misleading", "rationale": "تازه", "note": ""}, follow=True
    )
    assert "یادداشت عمومی اصلاحیه نمی‌تواند خالی باشد." in response.content.decode()
    correction = {"rating": "misleading", "rationale": "تازه", "note": "عدد اصلاح شد"}
    preview = client.post(url("claim_correct"), correction)
    assert preview.status_code == 200 and 'data-new-rating="misleading"' in preview.content.decode()
    assert "عدد اصلاح شد" in preview.content.decode()
    claim.refresh_from_db()
    assert (claim.status, claim.rating) == ("published", "false")  # not yet
    client.post(url("claim_correct"), {**correction, "confirm": "1"})
    claim.refresh_from_db()
    assert (claim.status, claim.rating) == ("corrected", "misleading")
    html = client.get(url("claim")).content.decode()
    assert "نادرست ← گمراه‌کننده" in html and "عدد اصلاح شد" in html


def test_workspace_shows_appearances_in_context_and_escapes(editor_client, editor, candidates):
    claim = attribution_svc.attribution_accept_new(
        attribution=candidates[3], text="<script>x</script> ادعا", actor=editor
    )
    html = editor_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt; ادعا" in html and "<script>x</script>" not in html
    assert '<mark class="hl hl-content">۱۷ موشک و راکت به سمت پایگاه پرتاب شد</mark>' in html
    assert "خبرگزاری فرانسه" in html


def test_claims_list_filters(editor_client, editor):
    mine = ClaimFactory(text="ادعای من", assignee=editor)
    ClaimFactory(text="ادعای دیگر")
    rated = ClaimFactory(text="ادعای داوری‌شده")
    claim_rate(claim=rated, rating="false", rationale="x", actor=editor)
    url = reverse("review:claims")
    html = editor_client.get(url, {"assignee": "me"}).content.decode()
    assert "ادعای من" in html and "ادعای دیگر" not in html
    html = editor_client.get(url, {"status": "rated"}).content.decode()
    assert "ادعای داوری‌شده" in html and "ادعای من" not in html
    html = editor_client.get(url, {"rating": "false"}).content.decode()
    assert "ادعای داوری‌شده" in html
    assert mine.pk


def test_merge_view(editor_client, editor, candidates):
    a = attribution_svc.attribution_accept_new(attribution=candidates[0], text="یک", actor=editor)
    b = attribution_svc.attribution_accept_new(attribution=candidates[1], text="دو", actor=editor)
    response = editor_client.post(reverse("review:claim_merge", args=[b.pk]), {"into": a.pk})
    assert response["Location"] == reverse("review:claim", args=[a.pk])
    html = editor_client.get(reverse("review:claim", args=[a.pk])).content.decode()
    assert html.count('class="appearance"') == 2 and "ادغام شد" in html


def test_sources_browse_edit_and_claims(editor_client, editor, candidates):
    parent = SourceFactory(name_fa="وزارت دفاع آمریکا", name_en="US Department of Defense")
    source = SourceFactory(name_fa="لوید آستین", name_en="Lloyd Austin")
    attribution_svc.attribution_correct_source(attribution=candidates[1], source=source, actor=editor)
    attribution_svc.attribution_accept_new(attribution=candidates[1], text="ادعای آستین", actor=editor)
    html = editor_client.get(reverse("review:sources"), {"q": "austin"}).content.decode()
    assert "لوید آستین" in html and "وزارت دفاع آمریکا" not in html
    html = editor_client.get(reverse("review:source", args=[source.pk])).content.decode()
    assert "ادعای آستین" in html and '<bdi dir="ltr">Lloyd Austin</bdi>' in html
    response = editor_client.post(
        reverse("review:source_edit", args=[source.pk]),
        {
            "name_fa": "لوید آستین",
            "name_en": "Lloyd Austin",
            "kind": "person",
            "parent": parent.pk,
            "country": "US",
        },
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.parent_id == parent.pk
    response = editor_client.post(
        reverse("review:source_edit", args=[source.pk]), {"name_fa": "", "kind": "person"}
    )
    assert response.status_code == 422 and "نام فارسی منبع نمی‌تواند خالی باشد." in response.content.decode()
    editor_client.post(reverse("review:source_alias_add", args=[source.pk]), {"text": "آستین"})
    assert source.aliases.filter(text="آستین").exists()


def test_candidate_queue_actions(editor_client, candidates):
    c = m.SourceCandidate.objects.create(text="رسانه‌های نزدیک", key="near", occurrences=3)
    candidates[0].source_candidate = c
    candidates[0].save()
    html = editor_client.get(reverse("review:candidates")).content.decode()
    assert "رسانه‌های نزدیک" in html and "۳ بار" in html
    editor_client.post(
        reverse("review:candidate_create", args=[c.pk]), {"kind": "media_group", "name_fa": ""}
    )
    c.refresh_from_db()
    assert c.status == "created" and c.source.name_fa == "رسانه‌های نزدیک"


def test_ingest_paste_text(client, editor, settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client.force_login(editor)
    publisher = SourceFactory(name_fa="ایرنا", kind="news_agency")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review:ingest"),
            {
                "title": "خبر چسبانده",
                "publisher": publisher.pk,
                "published": "۱۴۰۲-۱۱-۰۴",
                "text": "سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد.",
            },
        )
    article = m.Article.objects.get(title="خبر چسبانده")
    assert response["Location"] == reverse("review:article", args=[article.pk])
    assert (article.publisher_id, str(article.published_at.date()), article.submitted_by_id) == (
        publisher.pk,
        "2024-01-24",
        editor.pk,
    )
    assert article.state == "done"


def test_ingest_refuses_bad_input_in_persian(editor_client):
    url = reverse("review:ingest")
    response = editor_client.post(url, {"text": "   "})
    assert response.status_code == 422 and "متن خبر یا نشانی آن را وارد کنید." in response.content.decode()
    response = editor_client.post(url, {"url": "javascript:alert(1)"})
    assert response.status_code == 422 and "http" in response.content.decode()
    response = editor_client.post(url, {"text": "متن", "published": "فردا"})
    assert response.status_code == 422 and "تاریخ" in response.content.decode()
    response = editor_client.post(url, {"text": "<script>alert(1)</script>" + "الف" * 1000, "published": "x"})
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()  # kept in the form, as text


def test_ingest_refuses_huge_text(editor_client, settings):
    settings.INGEST_MAX_CHARS = 100
    response = editor_client.post(reverse("review:ingest"), {"text": "الف " * 60})
    assert response.status_code == 422 and "بیش از اندازه بلند" in response.content.decode()
    assert not m.Article.objects.exists()


def test_upload_is_read_by_the_task_and_the_page_only_shows_progress(
    client, editor, eager, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    lines = [
        '{"text": "سخنگوی دولت گفت که بودجه تصویب شد.", "title": "یک"}',
        '{"text": "سخنگوی دولت گفت که بودجه تصویب شد.", "title": "تکراری"}',
        "{not json",
        '{"text": "وزیر نفت اعلام کرد که تولید افزایش یافت.", "title": "دو"}',
    ] + [f'{{"text": "سخنگوی شمارهٔ {i} گفت که خبر {i} درست است.", "title": "خبر {i}"}}' for i in range(12)]
    upload = SimpleUploadedFile("batch.jsonl", "\n".join(lines).encode(), content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(reverse("review:ingest_upload"), {"file": upload})
    assert queued, "the task is queued when the upload commits"
    job = m.IngestJob.objects.get()
    assert response["Location"] == reverse("review:ingest_job", args=[job.pk])
    # eager (no broker): the task ran in-process on commit, before the answer
    job.refresh_from_db()
    assert (job.total, job.processed, job.new, job.duplicate, job.failed, job.state) == (
        16,
        16,
        14,
        1,
        1,
        "done",
    )
    assert job.errors == [{"line": 3, "error": "سطر JSON معتبر نیست."}]
    assert not m.IngestRow.objects.exists(), "the stored rows are removed once read"
    assert m.Article.objects.filter(job=job, state="done", origin="ui", submitted_by=editor).count() == 14
    html = client.get(response["Location"]).content.decode()
    assert "hx-trigger" not in html and "hx-post" not in html, "a finished job stops polling"
    assert "سطر ۳" in html and "۱۰۰٪" in html and "۱۶ / ۱۶" in html


def test_progress_page_polls_while_the_task_works_and_never_writes(
    editor_client, editor, eager, django_capture_on_commit_callbacks
):
    from claims.services.ingest_jobs import UploadRecord, ingest_job_process, ingest_job_start

    records = [UploadRecord(line=n + 1, text=f"سخنگوی شمارهٔ {n} گفت که خبر {n} درست است.") for n in range(6)]
    with mock.patch("claims.services.ingest_jobs.ingest_job_enqueue"):  # no worker has started yet
        job = ingest_job_start(filename="batch.jsonl", records=records, actor=editor)
    url = reverse("review:ingest_job", args=[job.pk])
    for _ in range(3):  # polling reads; it never advances the job
        partial = editor_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<section id="job-progress"')
    assert f'hx-get="{url}"' in partial and 'hx-trigger="every 1s"' in partial and "hx-post" not in partial
    assert "۰ / ۶" in partial and "پس‌زمینه" in partial
    job.refresh_from_db()
    assert (job.processed, job.state) == (0, "running")
    with django_capture_on_commit_callbacks(execute=True):
        ingest_job_process(job_id=job.pk, max_rows=4)
    partial = editor_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "۴ / ۶" in partial and 'hx-trigger="every 1s"' in partial
    with django_capture_on_commit_callbacks(execute=True):
        ingest_job_process(job_id=job.pk)
    partial = editor_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "۶ / ۶" in partial and "hx-trigger" not in partial and "۱۰۰٪" in partial


def test_failed_job_shows_its_reason_and_stops_polling(editor_client, editor):
    job = m.IngestJob.objects.create(
        created_by=editor, filename="x.jsonl", total=3, state="failed", error="خواندن پرونده متوقف شد: آزمون"
    )
    html = editor_client.get(
        reverse("review:ingest_job", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" not in html and "خواندن پرونده متوقف شد: آزمون" in html and "ناموفق" in html


def test_bad_uploads_are_refused_in_persian_and_write_nothing(editor_client, eager, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    monkeypatch.setattr(ingest_svc, "MAX_UPLOAD_BYTES", 1000)
    url = reverse("review:ingest_upload")
    cases = [
        ("bad.txt", "سلام".encode()[:-1] + b"\xff", "UTF-8"),
        ("bin.txt", b"\x00\x01\x02abc", "دودویی"),
        ("empty.jsonl", b"  \n ", "خالی"),
        ("huge.txt", "الف ".encode() * 400, "بیش از اندازه بزرگ"),
    ]
    for name, data, message in cases:
        response = editor_client.post(url, {"file": SimpleUploadedFile(name, data)})
        assert response.status_code in (302, 422), name
        follow = editor_client.get(response["Location"]) if response.status_code == 302 else response
        assert message in follow.content.decode(), name
    assert editor_client.post(url, {}).status_code in (302, 422)
    assert not m.IngestJob.objects.exists() and not m.IngestRow.objects.exists()
    assert not m.Article.objects.exists()


def test_uploaded_markup_is_stored_as_text_and_shown_escaped(
    editor_client, eager, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    row = json.dumps(
        {"text": "<script>alert(1)</script> سخنگو گفت که خبر درست است.", "title": "<script>alert(2)</script>"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("review:ingest_upload"), {"file": SimpleUploadedFile("x.jsonl", row.encode())}
        )
    article = m.Article.objects.get()
    assert (
        article.text.startswith("<script>alert(1)</script>") and article.title == "<script>alert(2)</script>"
    )
    html = editor_client.get(response["Location"]).content.decode()
    assert "<script>alert(2)</script>" not in html and "&lt;script&gt;alert(2)&lt;/script&gt;" in html


def test_retry_requeues_a_failed_article(client, editor, settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client.force_login(editor)
    article = m.Article.objects.create(
        text="سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد.",
        content_hash="retry",
        state="failed",
        error="boom",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review:article_retry", args=[article.pk]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.state, article.error) == ("done", "")


def test_public_claim_link_after_publish(client, editor, senior):
    claim = ClaimFactory(status="rated", rating="false", rationale="x")
    claim_submit(claim=claim, actor=senior)
    claim_publish(claim=claim, actor=senior)
    client.force_login(editor)
    html = client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert claim.get_absolute_url() in html


def test_htmx_dismiss_also_redraws_the_highlights(editor_client, candidates):
    a = candidates[0]
    html = editor_client.post(
        cand_url("attribution_dismiss", a), {"reason": "not_claim"}, **HX
    ).content.decode()
    assert "state-dismissed" in html.split('<div id="article-body"')[0]
    body = html.split('<div id="article-body" hx-swap-oob="true"')[1]
    assert f'data-a="{a.pk}"' not in body and f'data-a="{candidates[1].pk}"' in body


def test_failed_action_reopens_its_form_with_what_was_typed(editor_client, candidates):
    a = candidates[0]
    response = editor_client.post(cand_url("attribution_dismiss", a), {"reason": "other", "note": ""}, **HX)
    html = response.content.decode()
    assert response.status_code == 422
    assert '<details class="act" data-act="dismiss" open>' in html
    assert '<option value="other" selected>' in html
    response = editor_client.post(cand_url("attribution_accept", a), {"text": "x" * 6000}, **HX)
    html = response.content.decode()
    assert response.status_code == 422 and "بیش از اندازه بلند" in html
    assert '<details class="act" data-act="accept" open>' in html and "x" * 6000 in html


def test_article_page_links_to_the_next_article_and_guards_urls(editor_client, article):
    other = build_article(1, title="خبر بعدی")
    m.Article.objects.filter(pk=article.pk).update(url="javascript:alert(1)")
    html = editor_client.get(reverse("review:article", args=[article.pk])).content.decode()
    assert f'href="/review/articles/{other.pk}/" rel="next"' in html
    assert 'href="javascript:' not in html


def test_claims_list_by_source_keeps_the_filter(editor_client, editor, candidates):
    source = SourceFactory(name_fa="سنتکام")
    attribution_svc.attribution_correct_source(attribution=candidates[2], source=source, actor=editor)
    attribution_svc.attribution_accept_new(attribution=candidates[2], text="ادعای سنتکام", actor=editor)
    attribution_svc.attribution_accept_new(attribution=candidates[0], text="ادعای دیگر", actor=editor)
    html = editor_client.get(reverse("review:claims"), {"source": source.pk}).content.decode()
    assert "ادعای سنتکام" in html and "ادعای دیگر" not in html
    assert f'<input type="hidden" name="source" value="{source.pk}">' in html


def test_unfinished_panel_polls_only_while_articles_are_processing(editor_client):
    m.Article.objects.create(text="x", title="در صف", content_hash="q1", state="queued")
    html = editor_client.get(reverse("review:inbox")).content.decode()
    assert 'id="unfinished-panel"' in html and 'hx-trigger="every 5s"' in html
    partial = editor_client.get(
        reverse("review:inbox"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="unfinished-panel"
    )
    assert partial.content.decode().startswith('<aside class="side-panel" id="unfinished-panel"')
    m.Article.objects.filter(content_hash="q1").update(state="failed", error="خطا")
    partial = editor_client.get(
        reverse("review:inbox"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="unfinished-panel"
    )
    assert "every 5s" not in partial.content.decode() and "تلاش دوباره" in partial.content.decode()


def test_inbox_search_ignores_zwnj_and_letter_variants(editor_client):
    build_article(4, title="خبر موشکی")  # content: "... موشک‌ها را رهگیری کرد" (with ZWNJ)
    build_article(1, title="خبر دیگر")
    html = editor_client.get(reverse("review:inbox"), {"q": "موشکها را رهگيري"}).content.decode()
    assert "خبر موشکی" in html and "خبر دیگر" not in html


def test_assets_are_local_and_the_page_is_rtl_persian(editor_client, article):
    import re as _re

    html = editor_client.get(reverse("review:article", args=[article.pk])).content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    sources = _re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert "/static/vendor/htmx/htmx.min.js" in sources and "/static/js/review.js" in sources
    assert all(s.startswith("/static/") for s in sources), sources
    assert "X-CSRFToken" in html  # htmx requests carry the CSRF token


def test_article_still_processing_refreshes_itself(editor_client):
    article = m.Article.objects.create(text="متن", title="در صف", content_hash="proc", state="processing")
    html = editor_client.get(reverse("review:article", args=[article.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html and "در حال پردازش است" in html


def test_inbox_says_what_is_wrong_with_its_date_range(editor_client):
    build_article(1, title="خبر ایسنا")
    url = reverse("review:inbox")
    html = editor_client.get(url, {"from": "abc"}).content.decode()
    assert 'id="inbox-filter-errors"' in html and "تاریخ خوانایی نیست" in html
    assert "خبر ایسنا" in html  # the unreadable date is not applied
    html = editor_client.get(url, {"from": "2030-01-01", "to": "2020-01-01"}).content.decode()
    assert "بازهٔ تاریخ وارونه است" in html and "خبر ایسنا" in html
    html = editor_client.get(url, {"from": "2020-01-01", "to": "2099-01-01"}).content.decode()
    assert 'id="inbox-filter-errors"' not in html


def test_every_page_has_a_local_favicon(client, editor_client):
    assert 'rel="icon" href="/static/img/favicon.svg"' in client.get("/").content.decode()
    assert 'rel="icon"' in editor_client.get(reverse("review:inbox")).content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")


def test_create_source_starts_on_an_outlet_for_an_outlets_name():
    from claims.templatetags.articles import suggested_kind

    class A:
        def __init__(self, source_text, kind="indirect"):
            self.source_text, self.kind = source_text, kind

    assert suggested_kind(A("خبرگزاری فوتبال ایران")) == "news_agency"
    assert suggested_kind(A("روزنامه اطلاعات")) == "media_group"
    assert suggested_kind(A("ایسنا", kind="according_to")) == "media_group"
    assert suggested_kind(A("علی لاریجانی")) == "person"
