"""Public pages in the reader's words: no desk labels, countries by name, the
correction date beside the first one, values isolated from the Persian around them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from claims.models import ClaimEvent, Source
from tests.public.test_pages import page

pytestmark = pytest.mark.django_db

DESK_WORDS = ("رسانهٔ نامشخص", "(به گزارش / به نقل از)", "(آمیخته)", "(نقل مستقیم)", "(نقل غیرمستقیم)")


def test_claim_pages_use_no_desk_labels(client, demo):
    for claim in (demo.false_claim, demo.corrected_claim):
        html = page(client, claim.get_absolute_url())
        assert not [w for w in DESK_WORDS if w in html]


def test_an_appearance_without_a_publisher_names_the_site_it_came_from(client, demo):
    demo.article.publisher = None
    demo.article.save(update_fields=["publisher"])
    html = page(client, demo.false_claim.get_absolute_url())
    assert "tasnimnews.com" in html and "رسانهٔ نامشخص" not in html


def test_a_corrected_verdict_shows_when_it_was_corrected(client, demo):
    html = page(client, demo.corrected_claim.get_absolute_url())
    corrected_at = (
        ClaimEvent.objects.filter(claim=demo.corrected_claim, action=ClaimEvent.Action.CORRECTED)
        .latest("created_at")
        .created_at
    )
    assert "تاریخ انتشار داوری" in html and "تاریخ اصلاح داوری" in html
    # The page gives the date where its readers are (TIME_ZONE), not the UTC one.
    assert f'<bdi class="iso" dir="ltr">{timezone.localtime(corrected_at):%Y-%m-%d}</bdi>' in html
    assert "تاریخ اصلاح داوری" not in page(client, demo.false_claim.get_absolute_url())


def test_a_source_country_is_named_in_persian(client, demo):
    Source.objects.filter(pk=demo.centcom.pk).update(country="US")
    html = page(client, demo.centcom.get_absolute_url())
    assert "<dd>آمریکا</dd>" in html and ">US<" not in html


def test_a_date_filter_error_isolates_the_dates(client, demo):
    html = page(client, "/claims/?date_from=2024-04-14&date_to=2024-01-01")
    if 'role="alert"' in html:  # a reversed range is refused with a message naming both dates
        assert '<bdi dir="ltr">2024-04-14</bdi>' in html
    html = page(client, "/claims/?date_from=abc")
    assert 'role="alert"' in html
