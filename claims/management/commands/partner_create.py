"""Create a partner (or a new key for an existing one) and print the key once.

python manage.py partner_create "Outlet name" --scopes read,submit --expires-days 365
python manage.py partner_create "Outlet name" --scopes read --webhook https://example.org/hook
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from claims.models import Partner
from claims.services.errors import ApplicationError
from claims.services.partners import api_key_create, partner_create
from claims.services.webhooks import webhook_endpoint_create


class Command(BaseCommand):
    help = "Create a partner with an API key (or add a key to an existing partner); the key is shown once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The partner's name.")
        parser.add_argument("--scopes", default="read", help="Comma-separated: read, submit (default: read).")
        parser.add_argument(
            "--expires-days", type=int, default=None, help="Key lifetime in days (default: none)."
        )
        parser.add_argument("--email", default="", help="Contact address (webhook notices go there).")
        parser.add_argument("--key-name", default="", help="A label for the key, e.g. 'production'.")
        parser.add_argument("--webhook", default=None, help="Also register this webhook endpoint URL.")

    def handle(self, *args, **options) -> None:
        scopes = [s for s in options["scopes"].split(",") if s.strip()]
        expires_at = None
        if options["expires_days"] is not None:
            if options["expires_days"] <= 0:
                raise CommandError("--expires-days must be positive.")
            expires_at = timezone.now() + timedelta(days=options["expires_days"])
        try:
            with transaction.atomic():
                partner, created, key, raw, endpoint = self._create(options, scopes, expires_at)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self._report(partner, created, key, raw, endpoint)

    def _create(self, options, scopes, expires_at):
        partner = Partner.objects.filter(name=options["name"].strip()).first()
        created = partner is None
        if partner is None:
            partner = partner_create(name=options["name"], contact_email=options["email"])
        key, raw = api_key_create(
            partner=partner, scopes=scopes, name=options["key_name"], expires_at=expires_at
        )
        endpoint = None
        if options["webhook"]:
            endpoint = webhook_endpoint_create(partner=partner, url=options["webhook"])
        return partner, created, key, raw, endpoint

    def _report(self, partner, created, key, raw, endpoint) -> None:
        verb = "Created partner" if created else "Added a key to partner"
        self.stdout.write(f"{verb} {partner.name!r} (id {partner.pk}).")
        self.stdout.write(f"Key prefix: {key.prefix}   scopes: {','.join(key.scopes)}")
        if key.expires_at:
            self.stdout.write(f"Expires: {key.expires_at:%Y-%m-%d %H:%M} UTC")
        self.stdout.write("API key (shown only now; only its hash is stored):")
        self.stdout.write(raw)
        if endpoint is not None:
            self.stdout.write(f"Webhook {endpoint.url} (id {endpoint.pk}), signing secret (shown only now):")
            self.stdout.write(endpoint.secret)
