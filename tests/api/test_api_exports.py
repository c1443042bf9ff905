"""The partner API's data exports: ?format=csv / jsonl on the claims list, streamed, public data only."""

from __future__ import annotations

import csv
import io
import json

import pytest

from claims.exports import CLAIM_COLUMNS

from .conftest import SECRET_MARKERS

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_claims_as_csv_hold_published_claims_and_their_appearances_only(api, keys, world):
    response = api(keys.read).get("/api/v1/claims/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    body = _body(response)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert list(rows[0]) == CLAIM_COLUMNS
    claim_ids = {int(r["claim_id"]) for r in rows}
    assert claim_ids == {world.published.pk, world.corrected.pk}
    for marker in SECRET_MARKERS.values():
        assert marker not in body
    assert all(r["claim_published_at"].endswith("Z") for r in rows)


def test_claims_as_json_lines_are_one_claim_a_line_with_appearances(api, keys, world):
    response = api(keys.read).get("/api/v1/claims/", {"format": "jsonl", "source": world.source.slug})
    assert response.status_code == 200
    lines = [json.loads(line) for line in _body(response).splitlines()]
    assert {line["claim_id"] for line in lines} <= {world.published.pk, world.corrected.pk}
    assert lines, "the source's published claims are exported"
    for line in lines:
        assert isinstance(line["appearances"], list)
        assert all(
            a["speaker_slug"] in (world.source.slug, None) or a["speaker_slug"] for a in line["appearances"]
        )


@pytest.mark.parametrize("query", [{"format": "xlsx"}, {"format": "csv", "rating": "nonsense"}])
def test_a_bad_export_request_is_a_400_in_the_error_shape(api, keys, world, query):
    response = api(keys.read).get("/api/v1/claims/", query)
    assert response.status_code == 400
    assert response.json()["error"]["code"]


def test_exports_need_the_read_scope(api, keys, world):
    assert api(keys.submit).get("/api/v1/claims/", {"format": "csv"}).status_code == 403
    assert api(None).get("/api/v1/claims/", {"format": "csv"}).status_code == 401
