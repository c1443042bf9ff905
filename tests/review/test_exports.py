"""The desk's CSV and JSON Lines exports: published claims and accepted statements, streamed."""

from __future__ import annotations

import csv
import io
import json

import pytest

from claims import models as m
from claims.exports import CLAIM_COLUMNS, STATEMENT_COLUMNS
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    ClaimFactory,
    PublishedClaimFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def _rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


@pytest.fixture
def desk_data(db):
    speaker = SourceFactory(slug="speaker-one", name_fa="گویندهٔ یکم")
    outlet = SourceFactory(slug="outlet-one", name_fa="رسانهٔ یکم", kind=m.SourceKind.NEWS_AGENCY)
    published = PublishedClaimFactory(text="گفتگوها ادامه دارد")
    draft = ClaimFactory(text="ادعای پیش‌نویس محرمانه")
    accepted = [
        AttributionFactory(
            article=ArticleFactory(publisher=outlet),
            source=speaker,
            claim=published,
            review_state=m.ReviewState.ACCEPTED,
        )
        for _ in range(2)
    ]
    AttributionFactory(
        article=ArticleFactory(), claim=published, source=speaker, review_state=m.ReviewState.DISMISSED
    )
    AttributionFactory(
        article=ArticleFactory(), claim=draft, source=speaker, review_state=m.ReviewState.ACCEPTED
    )
    # An unknown speaker's statement is not exported; nor is a pending candidate.
    AttributionFactory(article=ArticleFactory(), source=None, review_state=m.ReviewState.ACCEPTED)
    AttributionFactory(article=ArticleFactory(), source=speaker, review_state=m.ReviewState.PENDING)
    return {
        "speaker": speaker,
        "outlet": outlet,
        "published": published,
        "draft": draft,
        "accepted": accepted,
    }


def test_claims_export_has_one_row_per_accepted_appearance_of_published_claims(client, editor, desk_data):
    client.force_login(editor)
    response = client.get("/review/exports/claims/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert list(rows[0]) == CLAIM_COLUMNS
    assert {int(r["appearance_id"]) for r in rows} == {a.pk for a in desk_data["accepted"]}
    assert {r["claim_id"] for r in rows} == {str(desk_data["published"].pk)}
    assert {r["outlet_slug"] for r in rows} == {"outlet-one"}


def test_claims_export_as_json_lines_groups_appearances(client, editor, desk_data):
    client.force_login(editor)
    body = b"".join(client.get("/review/exports/claims/", {"format": "jsonl"}).streaming_content).decode()
    lines = [json.loads(line) for line in body.splitlines()]
    assert len(lines) == 1
    assert lines[0]["claim_text"] == "گفتگوها ادامه دارد"
    assert len(lines[0]["appearances"]) == 2


def test_statements_export_has_accepted_statements_of_known_speakers(client, editor, desk_data):
    client.force_login(editor)
    rows = _rows(client.get("/review/exports/statements/", {"source": "speaker-one"}))
    assert list(rows[0]) == STATEMENT_COLUMNS
    # Two accepted appearances of the published claim and one of the draft: accepted statements all.
    assert len(rows) == 3
    assert {r["speaker_slug"] for r in rows} == {"speaker-one"}
    # The draft claim's id is not given; the published one's is.
    assert sorted(r["claim_id"] for r in rows) == [
        "",
        str(desk_data["published"].pk),
        str(desk_data["published"].pk),
    ]
    assert _rows(client.get("/review/exports/statements/", {"outlet": "outlet-one"}))
    assert _rows(client.get("/review/exports/statements/", {"published_after": "2999-01-01"})) == []


@pytest.mark.parametrize(
    "query", [{"format": "xml"}, {"published_after": "abc"}, {"source": "../etc"}, {"source": "a\x00b"}]
)
def test_a_bad_filter_is_a_400(client, editor, desk_data, query):
    client.force_login(editor)
    assert client.get("/review/exports/statements/", query).status_code == 400


def test_exports_need_a_login(client, desk_data):
    assert client.get("/review/exports/claims/").status_code == 302
