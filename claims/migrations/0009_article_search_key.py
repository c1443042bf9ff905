"""Desk search on normalised article text, served by trigram indexes.

``Article.search_key`` holds ``normalize_key(title + text)``, so a query is
compared with the same key function whatever its spelling (ZWNJ, Arabic
letters, digits). On PostgreSQL the key and the alias keys (speaker search)
get pg_trgm GIN indexes; SQLite scans, with the same results."""

from django.db import migrations, models

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS article_search_key_trgm ON claims_article USING gin (search_key gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS sourcealias_key_trgm ON claims_sourcealias USING gin (key gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS sourcealias_key_trgm",
    "DROP INDEX IF EXISTS article_search_key_trgm",
]


def _run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return apply


def fill_search_keys(apps, schema_editor):
    from claims.extraction.normalize import normalize_key

    Article = apps.get_model("claims", "Article")
    last = 0
    while True:
        rows = list(Article.objects.filter(pk__gt=last).only("id", "title", "text").order_by("pk")[:500])
        if not rows:
            return
        for row in rows:
            row.search_key = normalize_key(f"{row.title}\n{row.text}")
        Article.objects.bulk_update(rows, ["search_key"])
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [("claims", "0008_claim_submitted_state")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_key",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
