"""Every desk URL, for every role: generated from claims.urls.review, so a new view
that forgets its check (or is missing from the table below) fails here."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from claims import models as m
from claims.urls.review import urlpatterns
from tests.factories import ClaimFactory, SourceFactory
from tests.review.conftest import build_article

# The least role that may use each view. Keep it complete: the test fails for a
# URL name that is not listed, so a new view needs a deliberate decision here.
EDITOR, SENIOR, ADMIN = "editor", "senior", "admin"
MIN_ROLE = {
    "inbox": EDITOR,
    "article": EDITOR,
    "article_retry": EDITOR,
    "article_edit": EDITOR,
    "attribution_card": EDITOR,
    "attribution_accept": EDITOR,
    "attribution_link": EDITOR,
    "attribution_dismiss": EDITOR,
    "attribution_restore": EDITOR,
    "attribution_source": EDITOR,
    "attribution_span": EDITOR,
    "claim_search": EDITOR,
    "source_search": EDITOR,
    "claims": EDITOR,
    "claim": EDITOR,
    "claim_edit": EDITOR,
    "claim_transition": EDITOR,
    "claim_rate": EDITOR,
    "claim_submit": EDITOR,
    "claim_assign": EDITOR,
    "claim_note": EDITOR,
    "claim_evidence": EDITOR,
    "claim_merge": EDITOR,
    "claim_publish": SENIOR,
    "claim_correct": SENIOR,
    "claim_send_back": SENIOR,
    "flag_resolve": EDITOR,
    "proposals": EDITOR,
    "proposal_accept": SENIOR,
    "proposal_reject": SENIOR,
    "sources": EDITOR,
    "source_new": EDITOR,
    "source": EDITOR,
    "source_edit": EDITOR,
    "source_alias_add": EDITOR,
    "source_alias_remove": ADMIN,
    "source_terms": EDITOR,
    "source_term_edit": EDITOR,
    "candidates": EDITOR,
    "candidate_merge": EDITOR,
    "candidate_create": EDITOR,
    "candidate_ignore": EDITOR,
    "ingest": EDITOR,
    "ingest_upload": EDITOR,
    "ingest_job": EDITOR,
    "statement": EDITOR,
    "statement_confirm": EDITOR,
    "statement_split": EDITOR,
    "external_reviews": EDITOR,
    "external_review_import": EDITOR,
    "exports": EDITOR,
    "export_claims": EDITOR,
    "export_statements": EDITOR,
}
RANK = {None: 0, "plain": 0, EDITOR: 1, SENIOR: 2, ADMIN: 3}
ROLES = ["anonymous", "plain", EDITOR, SENIOR, ADMIN]


@pytest.fixture
def objects(db, editor):
    article = build_article(2)
    attribution = article.attributions.first()
    claim = ClaimFactory()
    source = SourceFactory()
    alias = m.SourceAlias.objects.create(source=source, text="نام دیگر آزمایشی")
    candidate = m.SourceCandidate.objects.create(text="نام ناشناخته", key="unknown-1")
    flag = m.ConsistencyFlag.objects.create(
        claim=claim, first=attribution, second=article.attributions.last(), description="ناسازگاری"
    )
    job = m.IngestJob.objects.create(created_by=editor, filename="x.jsonl", total=1)
    proposal = m.ClaimChangeProposal.objects.create(
        claim=claim, kind="link", attribution=article.attributions.last(), proposed_by=editor
    )
    term = m.Position.objects.create(
        office=SourceFactory(kind=m.SourceKind.OFFICE), holder=source, start=dt.date(2020, 1, 1)
    )
    statement = m.Statement.objects.create(
        source=source,
        content_key="گفتگوها ادامه دارد",
        content_text="گفتگوها ادامه دارد",
        first_seen_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        last_seen_at=dt.datetime(2024, 1, 2, tzinfo=dt.UTC),
        appearance_count=2,
    )
    article.attributions.update(statement=statement)
    return {
        "statement": statement.pk,
        "statement_attribution": attribution.pk,
        "term": term.pk,
        "article": article.pk,
        "attribution": attribution.pk,
        "claim": claim.pk,
        "source": source.pk,
        "alias": alias.pk,
        "candidate": candidate.pk,
        "flag": flag.pk,
        "job": job.pk,
        "proposal": proposal.pk,
    }


def kwargs_for(name: str, pattern: str, objs: dict) -> dict:
    kwargs: dict = {}
    if "article_id" in pattern:
        kwargs = {"article_id": objs["article"], "pk": objs["attribution"]}
    elif "<int:pk>" in pattern:
        for prefix, key in [
            ("articles/", "article"),
            ("claims/", "claim"),
            ("sources/unknown/", "candidate"),
            ("sources/", "source"),
            ("ingest/jobs/", "job"),
            ("proposals/", "proposal"),
            ("statements/", "statement"),
        ]:
            if pattern.startswith(prefix):
                kwargs["pk"] = objs[key]
                break
    if "<int:attribution_id>" in pattern:
        kwargs["attribution_id"] = objs["statement_attribution"]
    if "<int:alias_id>" in pattern:
        kwargs["alias_id"] = objs["alias"]
    if "<int:term_id>" in pattern:
        kwargs["term_id"] = objs["term"]
    if "<int:flag_id>" in pattern:
        kwargs["flag_id"] = objs["flag"]
    return kwargs


def desk_urls(objs: dict) -> list[tuple[str, str, tuple[str, ...]]]:
    urls = []
    for p in urlpatterns:
        urls.append((p.name, reverse(f"review:{p.name}", kwargs=kwargs_for(p.name, str(p.pattern), objs)), p))
    return [(name, url, p.callback.desk_methods) for name, url, p in urls]


def test_every_view_declares_a_role_and_is_in_the_table():
    names = {p.name for p in urlpatterns}
    assert names == set(MIN_ROLE), (
        f"update MIN_ROLE: missing {names - set(MIN_ROLE)}, stale {set(MIN_ROLE) - names}"
    )
    for p in urlpatterns:
        assert hasattr(p.callback, "desk_permission"), f"{p.name} is not wrapped in desk_view()"


@pytest.mark.parametrize("role", ROLES)
def test_every_desk_url_for_every_role(role, client, objects, plain_user, editor, senior, admin_user):
    user = {"plain": plain_user, EDITOR: editor, SENIOR: senior, ADMIN: admin_user}.get(role)
    if user is not None:
        client.force_login(user)
    failures = []
    for name, url, methods in desk_urls(objects):
        for method in methods:
            response = client.get(url) if method == "GET" else client.post(url, {})
            status = response.status_code
            allowed = RANK[role if role != "anonymous" else None] >= RANK[MIN_ROLE[name]]
            if role == "anonymous":
                ok = status == 302 and response["Location"].startswith("/accounts/login/")
            elif allowed:
                ok = status not in (401, 403, 404, 405, 500)
            else:
                ok = status == 403
            if not ok:
                failures.append(f"{method} {url} ({name}) as {role}: {status}")
    assert not failures, "\n".join(failures)


def test_htmx_request_from_anonymous_is_sent_to_login(client, objects):
    url = reverse(
        "review:attribution_card", kwargs={"article_id": objects["article"], "pk": objects["attribution"]}
    )
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")


def test_wrong_method_is_refused(client, editor, objects):
    client.force_login(editor)
    assert client.get(reverse("review:claim_edit", args=[objects["claim"]])).status_code == 405


# --- per-object checks --------------------------------------------------------


def test_candidate_must_belong_to_the_article_in_the_url(client, editor, objects):
    other = build_article(1, title="دیگر")
    client.force_login(editor)
    url = reverse("review:attribution_dismiss", kwargs={"article_id": other.pk, "pk": objects["attribution"]})
    assert client.post(url, {"reason": "not_claim"}).status_code == 404
    assert m.Attribution.objects.get(pk=objects["attribution"]).review_state == "pending"


def test_alias_must_belong_to_the_source_in_the_url(client, admin_user, objects):
    client.force_login(admin_user)
    other = SourceFactory()
    url = reverse("review:source_alias_remove", kwargs={"pk": other.pk, "alias_id": objects["alias"]})
    assert client.post(url).status_code == 404
    assert m.SourceAlias.objects.filter(pk=objects["alias"]).exists()


def test_editor_cannot_edit_a_published_claim(client, editor, senior):
    claim = ClaimFactory(status="rated", rating="false", rationale="دلیل")
    from claims.services.claims import claim_publish, claim_submit

    claim_submit(claim=claim, actor=senior)

    claim_publish(claim=claim, actor=senior)
    client.force_login(editor)
    for name, data in [
        ("claim_edit", {"text": "متن تازه"}),
        ("claim_rate", {"rating": "true", "rationale": "x"}),
        ("claim_transition", {"to": "new"}),
        ("claim_evidence", {"url": "https://example.org"}),
    ]:
        assert client.post(reverse(f"review:{name}", args=[claim.pk]), data).status_code == 403, name
    claim.refresh_from_db()
    assert (claim.text, claim.rating) != ("متن تازه", "true")


def test_someone_elses_upload_is_private(client, editor, senior, django_user_model):
    from django.contrib.auth.models import Group

    other = django_user_model.objects.create_user(username="editor2", password="x")
    other.groups.add(Group.objects.get(name="editor"))
    job = m.IngestJob.objects.create(created_by=editor, filename="mine.jsonl")
    client.force_login(other)
    assert client.get(reverse("review:ingest_job", args=[job.pk])).status_code == 403
    assert client.get(reverse("review:ingest_job", args=[job.pk]), HTTP_HX_REQUEST="true").status_code == 403
    client.force_login(editor)
    assert client.get(reverse("review:ingest_job", args=[job.pk])).status_code == 200
    client.force_login(senior)
    assert client.get(reverse("review:ingest_job", args=[job.pk])).status_code == 200
