"""Nothing private ever leaves through the API: no unpublished claim, draft rating or
rationale, internal note, or pending/dismissed candidate, in any response or filter result."""

from __future__ import annotations

import json

import pytest

from claims import models as m
from tests.api.conftest import SECRET_MARKERS


def _leaks(content: bytes) -> list[str]:
    text = content.decode("utf-8")
    # Compare on the decoded JSON too, in case a client escaped non-ASCII.
    decoded = json.dumps(json.loads(text), ensure_ascii=False) if text.strip() else ""
    return [name for name, marker in SECRET_MARKERS.items() if marker in text or marker in decoded]


def _read_paths(world) -> list[str]:
    private_ids = [world.draft.pk, world.rated.pk, world.dismissed.pk]
    paths = [
        "/api/v1/claims/",
        "/api/v1/claims/?format=claimreview",
        "/api/v1/claims/?page_size=100",
        f"/api/v1/claims/{world.published.pk}/",
        f"/api/v1/claims/{world.published.pk}/?format=claimreview",
        f"/api/v1/claims/{world.corrected.pk}/",
        "/api/v1/sources/",
        "/api/v1/sources/hidden-source/",
        "/api/v1/sources/pentagon/",
        "/api/v1/ratings/",
    ]
    for value in ["true", "false", "misleading", "true,mostly_true,misleading,false,unverifiable"]:
        paths.append(f"/api/v1/claims/?rating={value}")
        paths.append(f"/api/v1/claims/?rating={value}&format=claimreview")
    for slug in ["pentagon", "hidden-source", "tasnim"]:
        paths += [f"/api/v1/claims/?source={slug}", f"/api/v1/claims/?outlet={slug}"]
    paths += [
        "/api/v1/claims/?language=fa",
        "/api/v1/claims/?published_after=2000-01-01",
        "/api/v1/claims/?updated_since=2000-01-01T00:00:00Z",
    ]
    paths += [f"/api/v1/claims/{pk}/" for pk in private_ids]
    paths += [f"/api/v1/claims/{pk}/?format=claimreview" for pk in private_ids]
    return paths


def test_no_private_content_in_any_read_response(api, keys, world):
    client = api(keys.both)
    for path in _read_paths(world):
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.content)
        assert _leaks(response.content) == [], path


def test_private_claims_are_404_and_never_listed(api, keys, world):
    client = api(keys.read)
    for claim in (world.draft, world.rated, world.dismissed):
        response = client.get(f"/api/v1/claims/{claim.pk}/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    listed = {c["id"] for c in client.get("/api/v1/claims/?page_size=100").json()["results"]}
    assert listed == {world.published.pk, world.corrected.pk}


def test_filters_only_match_accepted_appearances_of_public_claims(api, keys, world):
    client = api(keys.read)
    # hidden-source appears only as dismissed/pending candidates of the published claim and
    # in unpublished claims: filtering by it must find nothing.
    assert client.get("/api/v1/claims/?source=hidden-source").json()["results"] == []
    # The rated (unpublished) claim carries a draft "true" rating.
    assert client.get("/api/v1/claims/?rating=true").json()["results"] == []
    pentagon = client.get("/api/v1/claims/?source=pentagon").json()["results"]
    assert {c["id"] for c in pentagon} == {world.published.pk, world.corrected.pk}


def test_track_records_count_public_claims_only(api, keys, world):
    client = api(keys.read)
    hidden = client.get("/api/v1/sources/hidden-source/").json()
    assert hidden["published_claims"] == 0
    assert set(hidden["track_record"].values()) == {0}


def test_appearances_are_accepted_ones_only(api, keys, world):
    claim = api(keys.read).get(f"/api/v1/claims/{world.published.pk}/").json()
    assert [a["quote"] for a in claim["appearances"]] == ["گفتگوها ادامه دارد"]
    assert [a["source"]["slug"] for a in claim["appearances"]] == ["pentagon"]


def test_only_public_history_is_shown(api, keys, world):
    published = api(keys.read).get(f"/api/v1/claims/{world.published.pk}/").json()
    assert published["corrections"] == []
    corrected = api(keys.read).get(f"/api/v1/claims/{world.corrected.pk}/").json()
    assert corrected["corrections"] == [
        {
            "corrected_at": corrected["corrections"][0]["corrected_at"],
            "from_rating": "false",
            "to_rating": "misleading",
            "note": "اصلاحیهٔ عمومی",
        }
    ]


def test_article_status_shows_no_text_or_attributions(api, keys, world):
    from claims.services.partners import article_submission_record

    article_submission_record(partner_id=keys.partner.pk, article=world.article)
    body = api(keys.submit).get(f"/api/v1/articles/{world.article.pk}/").json()
    assert "text" not in body and "attributions" not in body
    assert _leaks(json.dumps(body).encode()) == []


@pytest.mark.parametrize("status", [m.ClaimStatus.IN_REVIEW, m.ClaimStatus.RATED, m.ClaimStatus.DISMISSED])
def test_webhook_payload_is_never_built_for_a_private_claim(world, status):
    import uuid

    from claims.services.webhooks import webhook_payload

    claim = {m.ClaimStatus.IN_REVIEW: world.draft, m.ClaimStatus.RATED: world.rated}.get(
        status, world.dismissed
    )
    assert webhook_payload(claim_id=claim.pk, event="claim.published", event_id=uuid.uuid4()) is None


def test_webhook_payload_of_a_published_claim_carries_nothing_private(world):
    import uuid

    from claims.services.webhooks import canonical_body, webhook_payload

    payload = webhook_payload(claim_id=world.published.pk, event="claim.published", event_id=uuid.uuid4())
    assert payload is not None
    assert _leaks(canonical_body(payload)) == []
    assert [a["quote"] for a in payload["data"]["claim"]["appearances"]] == ["گفتگوها ادامه دارد"]


def test_a_failing_webhook_service_never_breaks_publishing(world, senior, monkeypatch, caplog):
    from claims.services import webhooks
    from claims.signals import verdict_changed

    def broken(**kwargs):
        raise RuntimeError("webhook store down")

    monkeypatch.setattr(webhooks, "webhook_deliveries_create", broken)
    with caplog.at_level("ERROR", logger="claims.api"):
        verdict_changed.send(sender=m.Claim, claim_id=world.published.pk, event="claim.published")
    assert any("could not create webhook deliveries" in r.message for r in caplog.records)
