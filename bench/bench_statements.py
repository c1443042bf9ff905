"""Cost of grouping one new article's appearances into statements, at 10k and 100k held.

Creates (or recreates) the PostgreSQL database ``factcheck_bench_statements``
(``BENCH_STATEMENTS_DB``), migrates it, and bulk-loads statements with their LSH
bands for 200 speakers, first 10,000 and then 100,000. At each size it ingests
200 new articles of five appearances (half repeating a held statement in other
words, half new) and times ``article_statements_assign`` per article, next to a
baseline measured in the same run (one indexed primary-key query per article).

    python bench/bench_statements.py [--articles 200]

Target (issue 15): the cost per article must not grow with the statements held
(the 100k / 10k ratio near 1).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.loadgen import PG, recreate_database  # noqa: E402

DB_NAME = os.environ.get("BENCH_STATEMENTS_DB", "factcheck_bench_statements")
GOLD = ROOT.parent / "shared" / "gold"


def vocabulary() -> list[str]:
    """Words of real Persian news (the gold texts), so wordings overlap as they do in the news."""
    import json
    import re

    words: set[str] = set()
    for name in ("seed.jsonl", "dev.jsonl", "dev2.jsonl", "dev3.jsonl"):
        path = GOLD / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    words.update(
                        w
                        for w in re.findall(r"[\u0600-\u06FF\u200c]+", json.loads(line)["text"])
                        if len(w) > 2
                    )
    if len(words) < 500:
        raise SystemExit(f"the gold texts are needed under {GOLD}")
    return sorted(words)


WORDS: list[str] = []


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{PG}/{DB_NAME}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "factcheck.settings.base"
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def sentence(rng: random.Random, n: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def grow(to: int, speakers: list, rng: random.Random) -> list:
    """Bulk-load statements (and their bands) until ``to`` are held; return (speaker, key) samples."""
    from django.utils import timezone

    from claims import models as m
    from claims.services.statements import statement_bands

    held = m.Statement.objects.count()
    now = timezone.now()
    samples = []
    batch = 2000
    while held < to:
        count = min(batch, to - held)
        rows, keys = [], []
        for _ in range(count):
            speaker = rng.choice(speakers)
            key = sentence(rng)
            keys.append((speaker, key))
            rows.append(
                m.Statement(
                    source=speaker, content_key=key, content_text=key, first_seen_at=now, last_seen_at=now
                )
            )
        made = m.Statement.objects.bulk_create(rows)
        m.StatementBand.objects.bulk_create(
            [
                m.StatementBand(statement=statement, band=band)
                for statement, (speaker, key) in zip(made, keys, strict=True)
                for band in statement_bands((speaker.pk, ""), key)
            ],
            batch_size=10_000,
            ignore_conflicts=True,
        )
        samples.extend(keys[:5])
        held += count
    return samples


def new_articles(count: int, speakers: list, samples: list, rng: random.Random, tag: str) -> list[int]:
    from django.utils import timezone

    from claims import models as m
    from claims.extraction.normalize import normalize_key

    ids = []
    for n in range(count):
        quotes = []
        for k in range(5):
            if k % 2 == 0 and samples:
                speaker, key = rng.choice(samples)
                words = key.split()
                words[rng.randrange(len(words))] = rng.choice(WORDS)  # the same statement, reworded a little
                quotes.append((speaker, " ".join(words)))
            else:
                quotes.append((rng.choice(speakers), sentence(rng)))
        text = "\n".join(f"{s.name_fa} گفت: «{q}»" for s, q in quotes) + f"\n{tag}-{n}"
        article = m.Article.objects.create(
            text=text, content_hash=f"{tag}-{n}", state=m.ArticleState.DONE, published_at=timezone.now()
        )
        rows = []
        for speaker, quote in quotes:
            start = text.index(quote)
            rows.append(
                m.Attribution(
                    article=article,
                    source=speaker,
                    source_text=speaker.name_fa,
                    source_start=text.index(speaker.name_fa),
                    source_end=text.index(speaker.name_fa) + len(speaker.name_fa),
                    cue_text="گفت",
                    cue_start=text.index("گفت"),
                    cue_end=text.index("گفت") + 3,
                    content_text=quote,
                    content_start=start,
                    content_end=start + len(quote),
                    content_key=normalize_key(quote),
                    kind=m.AttributionKind.DIRECT,
                )
            )
        m.Attribution.objects.bulk_create(rows)
        ids.append(article.pk)
    return ids


def measure(article_ids: list[int]) -> dict:
    from claims.models import Statement
    from claims.services.statements import article_statements_assign

    assign, base = [], []
    for article_id in article_ids:
        started = time.perf_counter()
        Statement.objects.filter(pk=article_id).exists()
        base.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        article_statements_assign(article_id=article_id)
        assign.append((time.perf_counter() - started) * 1000)
    assign.sort()
    return {
        "p50": statistics.median(assign),
        "p99": assign[int(len(assign) * 0.99) - 1],
        "baseline_p50": statistics.median(base),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()
    recreate_database(DB_NAME)
    setup_django()
    from claims import models as m

    WORDS.extend(vocabulary())
    rng = random.Random(1404)
    speakers = [
        m.Source.objects.create(kind=m.SourceKind.PERSON, name_fa=f"گویندهٔ {i}", slug=f"bench-speaker-{i}")
        for i in range(200)
    ]
    results = {}
    for size in (10_000, 100_000):
        started = time.perf_counter()
        samples = grow(size, speakers, rng)
        print(f"{size:,} statements held (loaded in {time.perf_counter() - started:.0f} s)", flush=True)
        ids = new_articles(args.articles, speakers, samples, rng, tag=f"s{size}")
        results[size] = measure(ids)
        joined = m.Attribution.objects.filter(article_id__in=ids, statement__appearance_count__gt=1).count()
        r = results[size]
        print(
            f"  group one new article: p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms "
            f"(baseline query p50 {r['baseline_p50']:.2f} ms, ratio {r['p50'] / r['baseline_p50']:.0f}x); "
            f"{joined} of {len(ids) * 5} appearances joined a held statement",
            flush=True,
        )
    growth = results[100_000]["p50"] / results[10_000]["p50"]
    base_growth = results[100_000]["baseline_p50"] / results[10_000]["baseline_p50"]
    print(f"\ngrowth 10k -> 100k statements: {growth:.2f}x (baseline query {base_growth:.2f}x); flat is ~1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
