"""seed_demo gives every page something to show, and running it twice changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
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
    users = get_user_model().objects.filter(username__in=["editor", "senior", "admin"])
    assert {u.username: u.check_password("s3cret-demo-pw") for u in users} == dict.fromkeys(
        ["editor", "senior", "admin"], True
    )
    assert users.get(username="senior").has_perm("claims.publish_claim")
    assert not users.get(username="editor").has_perm("claims.publish_claim")

    call_command("seed_demo", "--password", "s3cret-demo-pw")
    assert (Article.objects.count(), Attribution.objects.count(), Claim.objects.count()) == counts
