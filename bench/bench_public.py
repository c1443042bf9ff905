"""Public pages under concurrent load, next to a trivial Django view in the same run.

Creates (or recreates) the PostgreSQL database ``factcheck_bench_public``,
migrates it, builds demo data with the services (the shipped source registry,
articles, attributions and published claims), starts gunicorn on a free port of
127.0.0.1 with the bench-only settings (bench/public_settings.py: the product
plus a trivial view), and drives it with 16 threads of http.client. Each
target is measured for a bounded number of requests and seconds, in
interleaved rounds, and the bench prints req/s, p50 and p99 per target and
the ratio of each to the trivial view (the median of the per-round ratios, so
load from other processes on the machine moves both sides of a ratio alike).
The public cache is Redis db 5 (as in production, shared by the gunicorn
workers); it is deleted at the end (keys under this run's prefix only; the db is never flushed).

    python bench/bench_public.py [--requests 600] [--rounds 8] [--workers 2] [--json]

Target (issue 6): cached claim and home pages at least half the trivial view's
throughput, with p99 under 25 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.loadgen import (  # noqa: E402
    PG,
    cache_prefix,
    delete_prefixed,
    gunicorn,
    median_round_ratio,
    recreate_database,
    run_phase,
    summarize,
)

DB_NAME = os.environ.get("BENCH_DB", "factcheck_bench_public")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
CACHE_PREFIX = cache_prefix("bench-public")
CONCURRENCY = 16


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"{PG}/{DB_NAME}",
            "DJANGO_SETTINGS_MODULE": "bench.public_settings",
            "REDIS_URL": REDIS_URL,
            "BENCH_CACHE_PREFIX": CACHE_PREFIX,
            "DJANGO_DEBUG": "false",
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.pop("CELERY_BROKER_URL", None)  # tasks eager: the bench needs no worker
    return env


SEED = r"""
import datetime as dt, hashlib, json
import django
django.setup()
from django.contrib.auth.models import Group, User
from django.utils import timezone
from claims.extraction.normalize import normalize_key
from claims.models import Article, Attribution, AttributionKind, Rating, Source
from claims.roles import ensure_roles
from claims.services.claims import (
    claim_correct,
    claim_create,
    claim_publish,
    claim_rate,
    claim_submit,
    evidence_add,
)
from claims.services.sources import sources_load

sources_load()
ensure_roles()
senior = User.objects.create_user("bench-senior", password="x")
senior.groups.add(Group.objects.get(name="senior_editor"))
people = list(Source.objects.filter(kind__in=["person", "military_command", "government_body"])[:12])
outlets = list(Source.objects.filter(kind__in=["news_agency", "media_group"])[:6])
ratings = list(Rating.values)
first = None
for i in range(60):
    who = people[i % len(people)]
    content = f"در حملهٔ شمارهٔ {i} بیش از {i + 3} موشک به سوی پایگاه شلیک شد"
    text = (
        "به گزارش خبرنگاران، گزارش‌ها از منطقه ادامه دارد. "
        f"{who.name_fa} اعلام کرد که {content}. "
        "جزئیات بیشتر هنوز منتشر نشده است. " * 3
    )
    article = Article.objects.create(
        text=text, title=f"گزارش شمارهٔ {i}", url=f"https://news.example/{i}",
        publisher=outlets[i % len(outlets)], content_hash=hashlib.sha256(text.encode()).hexdigest(),
        state="done", published_at=timezone.now() - dt.timedelta(days=i),
    )
    s = text.index(who.name_fa); c = text.index("اعلام کرد", s); k = text.index(content, c)
    attribution = Attribution.objects.create(
        article=article, source=who, source_text=who.name_fa, source_start=s, source_end=s + len(who.name_fa),
        source_resolved=who.name_fa, cue_text="اعلام کرد", cue_start=c, cue_end=c + 9,
        kind=AttributionKind.INDIRECT, content_text=content, content_start=k, content_end=k + len(content),
        content_key=normalize_key(content), confidence=0.9,
    )
    claim = claim_create(text=content, actor=senior, attribution=attribution)
    evidence_add(claim=claim, url=f"https://evidence.example/{i}", title=f"شاهد {i}", actor=senior)
    claim_rate(claim=claim, rating=ratings[i % len(ratings)], rationale="گزارش‌های مستقل " * 20, actor=senior)
    claim_submit(claim=claim, actor=senior)
    claim = claim_publish(claim=claim, actor=senior)
    if i % 7 == 0:
        claim = claim_correct(
            claim=claim, rating=Rating.MISLEADING, rationale="اصلاح شد.", note="شواهد تازه.", actor=senior
        )
    first = first or claim
print(json.dumps({"claim_url": first.get_absolute_url(), "source_slug": people[0].slug}))
"""


def prepare() -> dict:
    env = bench_env()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    out = subprocess.run(
        [sys.executable, "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=600, help="requests per target per round")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    concurrency = args.concurrency

    try:
        recreate_database(DB_NAME)
    except Exception as exc:  # any connection failure means "no PostgreSQL here"
        print(f"skipped: PostgreSQL at {PG} is not reachable ({exc.__class__.__name__}: {exc})")
        return 0
    seed = prepare()
    claim_path = quote(seed["claim_url"])
    targets = {
        "trivial view": ["/bench/trivial/"],
        "home (cached)": ["/"],
        "claim page (cached)": [claim_path],
        "source page (cached)": [f"/sources/{seed['source_slug']}/"],
        # A unique querystring per request is a cache miss: the page rendered from PostgreSQL.
        "claim page (uncached)": [claim_path + "?n={n}"],
    }
    results: dict[str, list[dict]] = {name: [] for name in targets}
    try:
        with gunicorn(bench_env(), workers=args.workers) as (port, proc):
            for paths in targets.values():  # warm up every worker and the cache
                run_phase(port, [p.replace("{n}", "warm") for p in paths], 100, concurrency=concurrency)
            for round_no in range(args.rounds):
                for name, paths in targets.items():
                    total = args.requests if "uncached" not in name else max(200, args.requests // 4)
                    results[name].append(
                        run_phase(
                            port,
                            paths,
                            total,
                            concurrency=concurrency,
                            salt=f"r{round_no}-",
                            master_pid=proc.pid,
                        )
                    )
    finally:
        delete_prefixed(REDIS_URL, CACHE_PREFIX)

    summary = {name: summarize(runs) for name, runs in results.items()}
    for name, row in summary.items():
        row["ratio_to_trivial"] = median_round_ratio(results[name], results["trivial view"])
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(
        f"gunicorn sync x{args.workers}, {concurrency} connections, PostgreSQL {DB_NAME}, "
        f"Redis cache db 5, {args.rounds} interleaved rounds"
    )
    print(
        f"{'target':24} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6}"
    )
    for name, row in summary.items():
        print(
            f"{name:24} {row['requests']:8d} {row['errors']:6d} {row['req_per_s']:8.0f} "
            f"{row['p50_ms']:7.1f} {row['p99_ms']:7.1f} {row['ratio_to_trivial']:6.2f}"
        )
    for name in ("home (cached)", "claim page (cached)"):
        row = summary[name]
        ok = row["ratio_to_trivial"] >= 0.5 and row["p99_ms"] < 25
        print(f"target {name}: ratio >= 0.5 and p99 < 25 ms: {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
