"""ClaimReview JSON-LD and the public selectors."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils.encoding import iri_to_uri

from claims.claimreview import claimreview_for
from claims.models import Rating
from claims.selectors.public import public_claims, source_track_record
from claims.site import site_url

from .conftest import SECRET_DISMISSED, SECRET_PENDING

pytestmark = pytest.mark.django_db


def test_public_claims_only_published_and_corrected(demo):
    ids = set(public_claims().values_list("pk", flat=True))
    assert ids == {demo.false_claim.pk, demo.corrected_claim.pk}


def test_public_claims_prefetch_accepted_attributions_only(demo, django_assert_num_queries):
    with django_assert_num_queries(4):
        claims = list(public_claims())
        contents = [a.content_text for c in claims for a in c.public_attributions]
        publishers = [a.article.publisher.name_fa for c in claims for a in c.public_attributions]
        events = [e.note for c in claims for e in c.public_events]
        evidence = [e.url for c in claims for e in c.evidence.all()]
    assert SECRET_DISMISSED not in contents and SECRET_PENDING not in contents
    assert len(contents) == 2
    assert set(publishers) == {"خبرگزاری تسنیم"}
    assert events == ["پس از گزارش حملهٔ تازه داوری اصلاح شد."]
    assert evidence == ["https://example.org/evidence/1"]


def test_claimreview_fields(demo, django_assert_num_queries):
    claim = public_claims().get(pk=demo.false_claim.pk)
    with django_assert_num_queries(0):
        review = claimreview_for(claim, site_url="https://fact.example/")
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == claim.text
    assert review["url"] == iri_to_uri(f"https://fact.example/claims/{claim.slug}-{claim.pk}/")
    assert "%" in review["url"]  # the Persian slug is percent-encoded
    assert review["inLanguage"] == "fa"
    assert review["datePublished"].startswith(claim.published_at.astimezone().date().isoformat()[:4])
    assert review["author"] == {
        "@type": "Organization",
        "name": settings.FACTCHECK_ORG_NAME,
        "url": settings.FACTCHECK_ORG_URL or "https://fact.example/",
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "نادرست",
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["@type"] == "Organization"
    assert item["author"]["name"] == demo.centcom.name_fa
    assert item["appearance"] == [
        {
            "@type": "CreativeWork",
            "url": demo.article.url,
            "headline": demo.article.title,
            "datePublished": item["datePublished"],
            "publisher": {"@type": "Organization", "name": demo.tasnim.name_fa},
        }
    ]
    assert item["datePublished"].startswith("2024-04-14")


def test_claimreview_person_author_and_corrected_rating(demo):
    claim = public_claims().get(pk=demo.corrected_claim.pk)
    review = claimreview_for(claim)
    assert review["url"].startswith(site_url() + "/claims/")
    assert review["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": demo.austin.name_fa,
        "alternateName": demo.austin.name_en,
    }
    assert review["reviewRating"]["ratingValue"] == 2
    assert review["reviewRating"]["alternateName"] == str(Rating.MISLEADING.label)


def test_claimreview_without_prefetch_never_uses_dismissed(demo):
    from claims.models import Claim

    review = claimreview_for(Claim.objects.get(pk=demo.false_claim.pk))
    assert review["itemReviewed"]["author"]["name"] == demo.centcom.name_fa
    assert len(review["itemReviewed"]["appearance"]) == 1


def test_source_track_record_counts_public_claims_only(demo):
    assert source_track_record(demo.centcom) == {
        "true": 0,
        "mostly_true": 0,
        "misleading": 0,
        "false": 1,
        "unverifiable": 0,
    }
    assert source_track_record(demo.austin)["misleading"] == 1
    assert sum(source_track_record(demo.austin).values()) == 1
    # IRGC has a dismissed and a pending appearance on a published claim: no count.
    from claims.models import Source

    assert sum(source_track_record(Source.objects.get(slug="irgc")).values()) == 0
    assert list(source_track_record(demo.tasnim)) == list(Rating.values)
