"""A published verdict changes only by a senior editor, with a public history entry.

One test per finding of the probe (issue 11, first two bullets), each reproducing
what an editor or the admin used to do, and the permission matrix: every desk
route that writes, tried by an editor against a published claim."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from claims import models as m
from claims.api.serializers import ClaimSerializer
from claims.claimreview import claimreview_for
from claims.selectors.api import api_claim
from claims.selectors.public import public_claim
from claims.services import webhooks
from claims.urls.review import urlpatterns
from tests.factories import AttributionFactory, ClaimFactory, PublishedClaimFactory
from tests.review.conftest import build_article


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    """Webhook deliveries queued (not sent: no partner server in these tests)."""
    queued: list[int] = []
    monkeypatch.setattr(webhooks, "enqueue_delivery", lambda delivery_id, **kw: queued.append(delivery_id))
    return queued


@pytest.fixture
def endpoint(db):
    partner = m.Partner.objects.create(name="همکار آزمایشی", contact_email="p@example.org")
    return m.WebhookEndpoint.objects.create(
        partner=partner, url="https://partner.example/hook", events=["claim.published", "claim.corrected"]
    )


@pytest.fixture
def published(db):
    """A published claim with one accepted appearance and one piece of evidence."""
    claim = PublishedClaimFactory(text="گفتگوها ادامه دارد", slug="talks")
    AttributionFactory(claim=claim, review_state=m.ReviewState.ACCEPTED)
    m.Evidence.objects.create(claim=claim, url="https://evidence.example/1", title="گزارش مستقل")
    return claim


def public_view(claim) -> dict:
    """What a partner reads of the claim over the API (the time of the last write aside)."""
    data = json.loads(json.dumps(ClaimSerializer(api_claim(claim.pk)).data))
    data.pop("updated_at")
    return data


def corrected_deliveries(claim) -> int:
    deliveries = m.WebhookDelivery.objects.filter(event="claim.corrected", payload__data__claim__id=claim.pk)
    return deliveries.count()


def public_page(claim) -> str:
    return Client().get(claim.get_absolute_url()).content.decode()


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- bullet 1: linking or merging into a published claim ----------------------


def test_an_editor_linking_a_candidate_to_a_published_claim_only_proposes_it(
    editor, senior, published, endpoint, sent, django_capture_on_commit_callbacks
):
    article = build_article(1, title="خبر تازه")
    candidate = article.attributions.get()
    before = public_view(published)
    public_page(published)  # cached
    url = reverse("review:attribution_link", kwargs={"article_id": article.pk, "pk": candidate.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(editor).post(url, {"claim": published.pk})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.claim_id, candidate.review_state) == (None, "pending")
    assert public_view(published) == before
    assert candidate.content_text not in public_page(published)
    assert not published.events.filter(public=True).exists()
    assert corrected_deliveries(published) == 0
    proposal = m.ClaimChangeProposal.objects.get(claim=published, attribution=candidate)
    assert (proposal.state, proposal.proposed_by) == ("open", editor)

    # The senior editor's queue shows it; accepting it is the senior path.
    queue = as_user(senior).get(reverse("review:proposals")).content.decode()
    assert candidate.content_text in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(senior).post(reverse("review:proposal_accept", args=[proposal.pk]))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "accepted" and proposal.decided_by == senior
    after = public_view(published)
    assert [a["quote"] for a in after["appearances"]][-1] == candidate.content_text
    assert [u["note"] for u in after["updates"]] and "نقل تازه" in after["updates"][0]["note"]
    page = public_page(published)  # the cached page was invalidated on commit
    assert candidate.content_text in page and "به‌روزرسانی" in page
    assert corrected_deliveries(published) == 1 and len(sent) == 1


def test_an_editor_merging_a_draft_into_a_published_claim_only_proposes_it(
    editor, senior, published, endpoint, sent, django_capture_on_commit_callbacks
):
    draft = ClaimFactory(text="گفتگوها همچنان ادامه دارد")
    AttributionFactory(
        claim=draft,
        review_state=m.ReviewState.ACCEPTED,
        article__text="سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد. بار دوم",
    )
    m.Evidence.objects.create(claim=draft, url="https://evidence.example/draft", title="شاهد پیش‌نویس")
    before = public_view(published)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(editor).post(
            reverse("review:claim_merge", args=[draft.pk]), {"into": published.pk}
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.merged_into_id is None and draft.status == "new"
    assert public_view(published) == before
    assert "شاهد پیش‌نویس" not in public_page(published)
    assert corrected_deliveries(published) == 0
    proposal = m.ClaimChangeProposal.objects.get(claim=published, source_claim=draft)

    # Rejected: nothing changes; proposed again and accepted: merged, in public.
    as_user(senior).post(reverse("review:proposal_reject", args=[proposal.pk]), {"note": "هم‌معنا نیست"})
    assert public_view(published) == before and m.Claim.objects.get(pk=draft.pk).merged_into_id is None
    as_user(editor).post(reverse("review:claim_merge", args=[draft.pk]), {"into": published.pk})
    second = m.ClaimChangeProposal.objects.get(claim=published, source_claim=draft, state="open")
    with django_capture_on_commit_callbacks(execute=True):
        as_user(senior).post(reverse("review:proposal_accept", args=[second.pk]))
    after = public_view(published)
    assert len(after["appearances"]) == 2
    assert {e["title"] for e in after["evidence"]} == {"گزارش مستقل", "شاهد پیش‌نویس"}
    assert "ادغام" in after["updates"][0]["note"]
    assert "شاهد پیش‌نویس" in public_page(published)
    assert corrected_deliveries(published) == 1


def test_a_senior_editor_links_directly_with_a_public_history_entry(
    senior, published, endpoint, sent, django_capture_on_commit_callbacks
):
    article = build_article(1, title="خبر دیگر")
    candidate = article.attributions.get()
    url = reverse("review:attribution_link", kwargs={"article_id": article.pk, "pk": candidate.pk})
    with django_capture_on_commit_callbacks(execute=True):
        as_user(senior).post(url, {"claim": published.pk})
    candidate.refresh_from_db()
    assert candidate.claim_id == published.pk
    assert published.events.filter(public=True, action="updated").count() == 1
    assert corrected_deliveries(published) == 1
    assert not m.ClaimChangeProposal.objects.exists()


# --- bullet 2: the admin, the caches, evidence --------------------------------


def test_the_admin_shows_a_published_verdict_read_only(admin_user, published):
    client = as_user(admin_user)
    url = reverse("admin:claims_claim_change", args=[published.pk])
    form = client.get(url).content.decode()
    for field in ("text", "rating", "rationale", "slug"):
        assert f'name="{field}"' not in form, field
    client.post(url, {"rating": "true", "rationale": "بازنویسی بی‌صدا", "text": "متن دیگر", "assignee": ""})
    published.refresh_from_db()
    assert (published.text, published.rating, published.rationale) == (
        "گفتگوها ادامه دارد",
        "false",
        "شواهد مستقل این ادعا را تأیید نمی‌کنند.",
    )
    assert not published.events.exists()
    # Nor its evidence or appearances, nor a way round through their own pages.
    evidence = published.evidence.get()
    assert 'name="evidence-0-title"' not in form
    assert client.get(reverse("admin:claims_evidence_add")).status_code == 403
    evidence_form = client.get(reverse("admin:claims_evidence_change", args=[evidence.pk])).content.decode()
    assert 'name="title"' not in evidence_form and 'name="url"' not in evidence_form
    appearance = published.attributions.get()
    attribution_form = client.get(
        reverse("admin:claims_attribution_change", args=[appearance.pk])
    ).content.decode()
    assert 'name="content_text"' not in attribution_form and 'name="claim"' not in attribution_form
    assert (
        client.post(reverse("admin:claims_claim_delete", args=[published.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert m.Claim.objects.filter(pk=published.pk).exists()


def test_the_admin_cannot_move_an_appearance_into_a_published_claim(admin_user, published):
    draft = ClaimFactory()
    appearance = AttributionFactory(
        claim=draft,
        review_state=m.ReviewState.ACCEPTED,
        article__text="سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد. خبری دیگر",
    )
    form = as_user(admin_user).get(reverse("admin:claims_attribution_change", args=[appearance.pk]))
    assert 'name="claim"' not in form.content.decode()


def test_a_correction_reaches_the_cached_page_the_api_and_partners_at_once(
    senior, published, endpoint, sent, django_capture_on_commit_callbacks
):
    reader = Client()
    reader.get(published.get_absolute_url())
    assert reader.get(published.get_absolute_url())["X-Public-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        as_user(senior).post(
            reverse("review:claim_correct", args=[published.pk]),
            {
                "rating": "misleading",
                "rationale": "شواهد تازه",
                "note": "داوری با شواهد تازه اصلاح شد.",
                "confirm": "1",
            },
        )
    page = reader.get(published.get_absolute_url())
    assert page["X-Public-Cache"] == "miss"
    assert "گمراه‌کننده" in page.content.decode() and "داوری با شواهد تازه اصلاح شد." in page.content.decode()
    assert public_view(published)["rating"] == "misleading"
    assert corrected_deliveries(published) == 1


def test_evidence_after_publication_needs_a_senior_editor_and_is_in_the_public_history(
    editor, senior, published, endpoint, sent, django_capture_on_commit_callbacks
):
    url = reverse("review:claim_evidence", args=[published.pk])
    data = {"url": "https://evidence.example/late", "title": "شاهد دیرهنگام", "summary": "گزارش رسمی"}
    assert as_user(editor).post(url, data).status_code == 403
    assert published.evidence.count() == 1 and "شاهد دیرهنگام" not in public_page(published)
    with django_capture_on_commit_callbacks(execute=True):
        assert as_user(senior).post(url, data).status_code == 302
    page = public_page(published)
    assert "شاهد دیرهنگام" in page and "گزارش رسمی" in page
    assert "شاهد تازه افزوده شد" in page  # the public history says so
    assert public_view(published)["updates"][0]["note"].startswith("شاهد تازه افزوده شد")
    assert corrected_deliveries(published) == 1


def test_the_internal_evidence_note_is_never_public_and_the_form_says_which_fields_are(editor, published):
    m.Evidence.objects.create(
        claim=published,
        url="https://evidence.example/2",
        title="سند دوم",
        summary="توضیح برای خواننده",
        note="تماس تلفنی با منبع؛ منتشر نشود",
    )
    page = public_page(published)
    assert "توضیح برای خواننده" in page and "منتشر نشود" not in page
    assert "منتشر نشود" not in json.dumps(public_view(published), ensure_ascii=False)
    draft = ClaimFactory()
    form = as_user(editor).get(reverse("review:claim", args=[draft.pk])).content.decode()
    assert "نشانی (عمومی)" in form and "عنوان (عمومی)" in form and "توضیح برای خواننده (عمومی)" in form
    assert "یادداشت داخلی" in form and "هرگز منتشر نمی‌شود" in form
    assert str(m.Evidence._meta.get_field("note").verbose_name) == "یادداشت داخلی"


def test_claimreview_says_when_the_verdict_last_changed(senior, published):
    from claims.services.claims import claim_correct

    before = claimreview_for(public_claim(published.pk))
    assert before["dateModified"] == before["datePublished"]
    claim_correct(claim=published, rating="misleading", rationale="دلیل", note="اصلاح", actor=senior)
    after = claimreview_for(public_claim(published.pk))
    assert after["dateModified"] > after["datePublished"]


# --- the matrix: every desk route that writes, tried by an editor -------------


def _attempts(world) -> dict:
    """For each desk route that writes: (url kwargs, POST data) aimed at the
    published claim or something in it, or None for routes that write no record
    a reader of a claim sees (the source registry, uploads, internal notes...)."""
    art, mine, pending = world["article"], world["appearance"], world["pending"]
    cand = {"article_id": art.pk, "pk": mine.pk}
    pend = {"article_id": world["pending_article"].pk, "pk": pending.pk}
    claim = {"pk": world["claim"].pk}
    return {
        "article_retry": ({"pk": art.pk}, {}),
        # the article's title shows on the public page beside its quote
        "article_edit": ({"pk": art.pk}, {"title": "عنوان تازه", "publisher": ""}),
        "attribution_accept": (cand, {"text": "ادعای تازه"}),
        "attribution_link": (pend, {"claim": world["claim"].pk}),
        "attribution_dismiss": (cand, {"reason": "not_claim"}),
        "attribution_restore": (cand, {}),
        "attribution_source": (cand, {"source": world["other_source"].pk}),
        "attribution_span": (cand, {"part": "content", "start": 0, "end": 5}),
        "claim_edit": (claim, {"text": "متن تازه"}),
        "claim_transition": (claim, {"to": "new"}),
        "claim_rate": (claim, {"rating": "true", "rationale": "x"}),
        "claim_submit": (claim, {}),
        "claim_assign": (claim, {"assignee": ""}),  # internal: who works on it
        "claim_note": (claim, {"note": "یادداشت داخلی"}),  # internal history
        "claim_evidence": (claim, {"url": "https://evidence.example/x", "title": "شاهد"}),
        "claim_merge": (claim, {"into": world["draft"].pk}),
        "claim_merge_into_published": ({"pk": world["draft"].pk}, {"into": world["claim"].pk}),
        "claim_publish": (claim, {"confirm": "1"}),
        "claim_correct": (claim, {"rating": "true", "rationale": "x", "note": "y", "confirm": "1"}),
        "claim_send_back": (claim, {"note": "x"}),
        "flag_resolve": ({"pk": world["claim"].pk, "flag_id": world["flag"].pk}, {}),  # internal
        "proposal_accept": ({"pk": world["proposal"].pk}, {}),
        "proposal_reject": ({"pk": world["proposal"].pk}, {}),
        "source_new": None,  # the source registry, not a claim
        "source_edit": None,
        "source_alias_add": None,
        "source_alias_remove": None,
        "source_terms": None,  # who held an office when: the registry
        "source_term_edit": None,
        "candidate_merge": None,
        "candidate_create": None,
        "candidate_ignore": None,
        "external_review_import": None,  # other fact-checkers' reviews, stored beside ours
        # Grouping copies of one statement: changes Attribution.statement, never its claim.
        "statement_confirm": None,
        "statement_split": None,
        "ingest": None,  # new articles
        "ingest_upload": None,
    }


@pytest.fixture
def matrix_world(db, editor, senior):
    from claims.services.claims import claim_publish, claim_submit

    article = build_article(2, title="خبر منتشرشده")
    appearance, second = list(article.attributions.order_by("content_start"))
    claim = ClaimFactory(status="rated", rating="false", rationale="دلیل")
    for a in (appearance, second):
        a.claim, a.review_state = claim, m.ReviewState.ACCEPTED
        a.save()
    m.Evidence.objects.create(claim=claim, url="https://evidence.example/1", title="شاهد")
    claim_submit(claim=claim, actor=senior)
    claim_publish(claim=claim, actor=senior)
    pending_article = build_article(1, title="خبر در انتظار")
    draft = ClaimFactory()
    AttributionFactory(claim=draft, review_state=m.ReviewState.ACCEPTED)
    flag = m.ConsistencyFlag.objects.create(claim=claim, first=appearance, second=second, description="x")
    proposal = m.ClaimChangeProposal.objects.create(
        claim=claim, kind="link", attribution=pending_article.attributions.get(), proposed_by=editor
    )
    from tests.factories import SourceFactory

    return {
        "article": article,
        "appearance": appearance,
        "pending_article": pending_article,
        "pending": pending_article.attributions.get(),
        "claim": claim,
        "draft": draft,
        "flag": flag,
        "proposal": proposal,
        "other_source": SourceFactory(),
    }


def test_an_editor_changes_no_published_claim_through_any_desk_route(
    editor, matrix_world, endpoint, sent, django_capture_on_commit_callbacks
):
    writes = {p.name for p in urlpatterns if "POST" in p.callback.desk_methods}
    attempts = _attempts(matrix_world)
    listed = {name.removesuffix("_into_published") for name in attempts}
    assert writes == listed, (
        f"decide for every writing route: missing {writes - listed}, stale {listed - writes}"
    )
    claim = matrix_world["claim"]
    before = public_view(claim)
    client = as_user(editor)
    tried = []
    for name, attempt in attempts.items():
        if attempt is None:
            continue
        kwargs, data = attempt
        route = name.removesuffix("_into_published")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse(f"review:{route}", kwargs=kwargs), data)
        assert response.status_code in (302, 403, 422), f"{name}: {response.status_code}"
        assert public_view(claim) == before, f"{name} changed the published claim"
        tried.append(name)
    assert len(tried) == 23
    assert m.Article.objects.get(pk=matrix_world["article"].pk).title == "خبر منتشرشده"
    assert not claim.events.filter(public=True).exists()
    assert corrected_deliveries(claim) == 0 and sent == []


def test_a_claim_awaiting_approval_is_in_the_senior_queue_and_nowhere_public(editor, senior, client):
    from claims.selectors.api import api_claims
    from claims.services.claims import claim_submit

    rated = ClaimFactory(status="rated", rating="false", rationale="دلیل", text="ادعای داوری‌شده")
    waiting = ClaimFactory(status="rated", rating="false", rationale="دلیل", text="ادعای فرستاده‌شده")
    AttributionFactory(claim=waiting, review_state=m.ReviewState.ACCEPTED)
    claim_submit(claim=waiting, actor=editor)
    queue = as_user(senior).get(reverse("review:claims"), {"status": "submitted"}).content.decode()
    assert "ادعای فرستاده‌شده" in queue and "ادعای داوری‌شده" not in queue
    nav = as_user(senior).get(reverse("review:claims")).content.decode()
    assert "?status=submitted" in nav and "در انتظار تأیید انتشار" in nav
    assert waiting.pk not in set(api_claims().values_list("pk", flat=True))
    assert api_claim(waiting.pk) is None and public_claim(waiting.pk) is None
    assert Client().get(f"/claims/{waiting.slug}-{waiting.pk}/").status_code == 404
    assert rated.status == "rated"
