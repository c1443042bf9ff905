"""Trigram indexes for claim matching and search (PostgreSQL only).

On SQLite the same matching runs in Python, so this migration does nothing there."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS attribution_content_key_trgm ON claims_attribution "
    "USING gin (content_key gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS claim_text_key_trgm ON claims_claim USING gin (text_key gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS claim_text_key_trgm",
    "DROP INDEX IF EXISTS attribution_content_key_trgm",
]


def _run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
