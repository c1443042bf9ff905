"""seed_demo gives every page something to show, and running it twice changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from claims.models import Article, Attribution, Claim

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_publishes_one_claim(settings, capsys):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("seed_demo", "--password", "s3cret-demo-pw")
    out = capsys.readouterr().out
    assert "s3cret-demo-pw" in out
    counts = (Article.objects.count(), Attribution.objects.count(), Claim.objects.count())
    assert counts[0] == 1 and counts[1] >= 10 and counts[2] == 1
    claim = Claim.objects.get()
    assert claim.status == "published" and claim.rating and claim.evidence.exists()
    for name in ("editor", "senior", "admin"):
        assert authenticate(username=name, password="s3cret-demo-pw") is not None

    call_command("seed_demo", "--password", "s3cret-demo-pw")
    assert (Article.objects.count(), Attribution.objects.count(), Claim.objects.count()) == counts
