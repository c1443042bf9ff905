"""Demo data so every page has something to show (idempotent).

Creates the roles and the demo accounts `editor`, `senior` and `admin`, loads
the source registry, ingests the seed article and extracts it, and publishes
one rated claim from it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from claims.models import Attribution, Claim, Source
from claims.roles import ADMIN, EDITOR, SENIOR_EDITOR, ensure_roles
from claims.services.accounts import account_ensure
from claims.services.articles import article_extract, article_ingest
from claims.services.claims import claim_create, claim_publish, claim_rate, claim_submit, evidence_add
from claims.services.registry import registry_load

# Demo only: documented in the README; never use it on a real desk.
DEFAULT_DEMO_PASSWORD = "demo-pass-1404"  # noqa: S105
SEED_ARTICLE = Path(__file__).resolve().parents[2] / "data" / "demo" / "seed_article.json"

ACCOUNTS = (
    ("editor", EDITOR, {}),
    ("senior", SENIOR_EDITOR, {}),
    ("admin", ADMIN, {"is_staff": True, "is_superuser": True}),
)


class Command(BaseCommand):
    help = "Create demo accounts, load the source registry, ingest the seed article and publish one claim."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=DEFAULT_DEMO_PASSWORD, help="password for the demo accounts"
        )

    def handle(self, *args, password: str, **options):
        ensure_roles()
        users = self._accounts(password)
        loaded = registry_load()
        self.stdout.write(
            f"Source registry: {Source.objects.count()} sources "
            f"({loaded.created} new, {loaded.aliases_added} aliases added)"
        )

        data = json.loads(SEED_ARTICLE.read_text(encoding="utf-8"))
        published = dt.datetime.fromisoformat(data["published"]).replace(hour=9, tzinfo=dt.UTC)
        article, was_new = article_ingest(
            text=data["text"], title=data["title"], published_at=published, origin="text"
        )
        # Extract here as well as through the queue, so the demo is complete even
        # when a broker is configured and no worker is running yet (idempotent).
        article_extract(article_id=article.pk)
        count = Attribution.objects.filter(article=article).count()
        self.stdout.write(
            f"Seed article #{article.pk} ({'new' if was_new else 'already there'}): {count} candidates"
        )

        claim = self._published_claim(article, users)
        if claim:
            self.stdout.write(f"Published demo claim: {claim.get_absolute_url()}")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo accounts (demo only): "
                + ", ".join(f"{name} / {password}" for name, _, _ in ACCOUNTS)
                + "  — log in at /accounts/login/, admin at /admin/"
            )
        )

    def _accounts(self, password: str) -> dict:
        return {
            role: account_ensure(username=username, role=role, password=password, **flags)
            for username, role, flags in ACCOUNTS
        }

    @transaction.atomic
    def _published_claim(self, article, users) -> Claim | None:
        existing = Claim.objects.filter(attributions__article=article, status="published").first()
        if existing:
            return existing
        candidates = list(Attribution.objects.filter(article=article, review_state="pending"))
        if not candidates:
            self.stdout.write(self.style.WARNING("No candidates extracted; no demo claim published."))
            return None
        # A statement with a figure in it is the kind a desk checks first.
        attribution = next((a for a in candidates if a.quantities), candidates[0])
        editor, senior = users[EDITOR], users[SENIOR_EDITOR]
        claim = claim_create(text=attribution.content_text, actor=editor, attribution=attribution)
        evidence_add(
            claim=claim,
            url="https://www.centcom.mil/MEDIA/PRESS-RELEASES/",
            title="بیانیه‌های فرماندهی مرکزی ایالات متحده",
            summary="بیانیهٔ رسمی دربارهٔ حملات همان روز.",
            actor=editor,
        )
        claim_rate(
            claim=claim,
            rating="mostly_true",
            rationale="ارقام با بیانیهٔ رسمی هم‌خوان است، اما منبع مستقلی شمار دقیق را تأیید نکرده است.",
            actor=editor,
        )
        claim_submit(claim=claim, actor=editor)
        return claim_publish(claim=claim, actor=senior)
