"""Data exports at 100k rows: streamed with flat memory, next to a baseline in the same run.

Creates (or recreates) the PostgreSQL database ``factcheck_bench_exports``
(``BENCH_EXPORTS_DB``), migrates it, and bulk-loads a desk's data: 20,000
published claims with five accepted appearances each (100,000 claim rows and
100,000 statements) across 20,000 articles. It then streams each export (CSV and
JSON Lines, claims and statements) at 10k and at 100k rows, and reports rows/s and
the peak of Python allocations (tracemalloc) while streaming, next to a baseline
measured in the same process: the same 100k rows read into a list.

    python bench/bench_exports.py [--claims 20000] [--per-claim 5]

Target (issue 16): the 100k export's peak memory flat, i.e. close to the 10k one
(ratio near 1), while the materialised baseline grows with the rows.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.loadgen import PG, recreate_database  # noqa: E402

DB_NAME = os.environ.get("BENCH_EXPORTS_DB", "factcheck_bench_exports")


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{PG}/{DB_NAME}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "factcheck.settings.base"
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(claims: int, per_claim: int) -> None:
    import hashlib

    from django.utils import timezone

    from claims import models as m

    now = timezone.now()
    outlets = [
        m.Source.objects.create(
            kind=m.SourceKind.NEWS_AGENCY, name_fa=f"خبرگزاری {i}", slug=f"bench-outlet-{i}"
        )
        for i in range(10)
    ]
    speakers = [
        m.Source.objects.create(kind=m.SourceKind.PERSON, name_fa=f"گویندهٔ {i}", slug=f"bench-speaker-{i}")
        for i in range(50)
    ]
    batch = 2000
    for start in range(0, claims, batch):
        count = min(batch, claims - start)
        texts = [
            f"سخنگوی شمارهٔ {start + i} گفت که صادرات نفت {start + i} درصد افزایش یافته است."
            for i in range(count)
        ]
        articles = m.Article.objects.bulk_create(
            [
                m.Article(
                    text=text,
                    title=f"خبر {start + i}",
                    url=f"https://bench.example/{start + i}",
                    publisher=outlets[(start + i) % len(outlets)],
                    published_at=now,
                    content_hash=hashlib.sha256(text.encode()).hexdigest(),
                    state=m.ArticleState.DONE,
                )
                for i, text in enumerate(texts)
            ]
        )
        made = m.Claim.objects.bulk_create(
            [
                m.Claim(
                    text=f"صادرات نفت {start + i} درصد افزایش یافته است",
                    text_key=f"صادرات نفت {start + i} درصد افزایش یافته است",
                    slug=f"claim-{start + i}",
                    status=m.ClaimStatus.PUBLISHED,
                    rating=m.Rating.FALSE,
                    rationale="بر پایهٔ آمار رسمی",
                    published_at=now,
                )
                for i in range(count)
            ]
        )
        rows = []
        for i, (article, claim) in enumerate(zip(articles, made, strict=True)):
            text = article.text
            for k in range(per_claim):
                rows.append(
                    m.Attribution(
                        article=article,
                        claim=claim,
                        source=speakers[(i + k) % len(speakers)],
                        source_text="سخنگو",
                        source_start=0,
                        source_end=5,
                        cue_text="گفت",
                        cue_start=text.index("گفت"),
                        cue_end=text.index("گفت") + 3,
                        content_text=text[text.index("صادرات") :],
                        content_start=text.index("صادرات"),
                        content_end=len(text),
                        kind=m.AttributionKind.INDIRECT,
                        review_state=m.ReviewState.ACCEPTED,
                    )
                )
        m.Attribution.objects.bulk_create(rows, batch_size=5000)


def measure(label: str, produce) -> dict:
    tracemalloc.start()
    started = time.perf_counter()
    size = rows = 0
    for chunk in produce():
        size += len(chunk)
        rows += chunk.count("\n")
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"label": label, "rows": rows, "seconds": seconds, "peak_mb": peak / 1e6, "mb": size / 1e6}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--per-claim", type=int, default=5)
    args = parser.parse_args()
    recreate_database(DB_NAME)
    setup_django()
    started = time.perf_counter()
    load(args.claims, args.per_claim)
    print(
        f"loaded {args.claims:,} claims x {args.per_claim} appearances"
        f" in {time.perf_counter() - started:.0f} s"
    )

    from claims import exports
    from claims.selectors import exports as sel

    total = args.claims * args.per_claim
    results = []

    def baseline():
        # Every row in memory at once, then written: what streaming avoids.
        rows = list(sel.statement_export_rows())
        yield from ("x\n" for _ in rows)

    results.append(measure(f"baseline: {total:,} rows read into a list", baseline))
    for fmt in ("csv", "jsonl"):
        for name, lines in (("claims", exports.claims_lines), ("statements", exports.statements_lines)):
            results.append(
                measure(f"{name} {fmt}, all {total:,} rows", lambda lines=lines, fmt=fmt: lines({}, fmt=fmt))
            )
    # The same export on a tenth of the rows (one outlet of ten): the peak should not move.
    small = {"outlet": "bench-outlet-0"}
    results.append(
        measure(
            f"statements csv, about {total // 10:,} rows", lambda: exports.statements_lines(small, fmt="csv")
        )
    )

    base = results[0]
    print(f"\n{'export':48} {'rows':>8} {'rows/s':>9} {'peak MB':>8} {'peak / baseline':>15}")
    for r in results:
        print(
            f"{r['label']:48} {r['rows']:>8,} {r['rows'] / r['seconds']:>9,.0f} {r['peak_mb']:>8.1f} "
            f"{r['peak_mb'] / base['peak_mb']:>15.2f}"
        )
    full = next(r for r in results if r["label"].startswith("statements csv, all"))
    tenth = results[-1]
    print(
        "\nstatements csv peak at 100k rows / at 10k rows: "
        f"{full['peak_mb'] / tenth['peak_mb']:.2f} (flat is ~1)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
