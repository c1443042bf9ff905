"""Partner API under concurrent load, next to a trivial Django JSON view in the same run.

Creates (or recreates) the PostgreSQL database ``factcheck_bench_api``, migrates it, builds
data with the services (the shipped source registry, articles with accepted appearances,
published and corrected claims with evidence, and unpublished ones around them), makes a
partner key with ``read`` scope, starts gunicorn on a free port of 127.0.0.1 with the
bench-only settings (bench/api_settings.py: the product plus a trivial JSON view) and drives
it with 16 threads of http.client, each on its own connection, sending the key. Each target
gets a bounded number of requests and seconds, in interleaved rounds; the bench prints
req/s, p50 and p99 per target and the ratio to the trivial view, and the gunicorn workers'
CPU time per request (from /proc), which stays steady when other work shares the machine.
The cache (responses, key identities, throttle counters) is Redis db 6, as in production
shared by the workers; it is deleted at the end (keys under this run's prefix only; the db is never flushed).

    python bench/bench_api.py [--requests 1500] [--rounds 3] [--workers 2] [--json]

Target (issue 7): the claims list (20 per page) and claim detail with a valid key at least
half the trivial view's throughput, with p99 under 25 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.loadgen import PG, cache_prefix, delete_prefixed, gunicorn, recreate_database, run_phase, summarize  # noqa: E402

DB_NAME = os.environ.get("BENCH_DB", "factcheck_bench_api")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
CACHE_PREFIX = cache_prefix("bench-api")
CONCURRENCY = 16
CLAIMS = 120


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"{PG}/{DB_NAME}",
            "DJANGO_SETTINGS_MODULE": "bench.api_settings",
            "REDIS_URL": REDIS_URL,
            "BENCH_CACHE_PREFIX": CACHE_PREFIX,
            "DJANGO_DEBUG": "false",
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": str(ROOT),
            # Throttling stays on (its counter is part of every request's cost) but is never hit.
            "API_THROTTLE_RATE": "100000000/min",
        }
    )
    env.pop("CELERY_BROKER_URL", None)  # tasks eager: the bench needs no worker
    return env


SEED = r"""
import datetime as dt, hashlib, json, sys
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
from claims.services.partners import api_key_create, partner_create
from claims.services.sources import sources_load

N = int(sys.argv[1])
sources_load()
ensure_roles()
senior = User.objects.create_user("bench-senior", password="x")
senior.groups.add(Group.objects.get(name="senior_editor"))
people = list(Source.objects.filter(kind__in=["person", "military_command", "government_body"])[:12])
outlets = list(Source.objects.filter(kind__in=["news_agency", "media_group"])[:6])
ratings = list(Rating.values)
published = []
for i in range(N + N // 5):
    who = people[i % len(people)]
    content = f"در حملهٔ شمارهٔ {i} بیش از {i + 3} موشک به سوی پایگاه شلیک شد"
    text = (
        "به گزارش خبرنگاران، گزارش‌ها از منطقه ادامه دارد. "
        f"{who.name_fa} اعلام کرد که {content}. " + "جزئیات بیشتر هنوز منتشر نشده است. " * 3
    )
    article = Article.objects.create(
        text=text, title=f"گزارش شمارهٔ {i}", url=f"https://news.example/{i}",
        publisher=outlets[i % len(outlets)], content_hash=hashlib.sha256(text.encode()).hexdigest(),
        state="done", published_at=timezone.now() - dt.timedelta(hours=i),
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
    if i >= N:
        continue  # rated, never published: must stay out of every answer
    claim_submit(claim=claim, actor=senior)
    claim = claim_publish(claim=claim, actor=senior)
    if i % 7 == 0:
        claim = claim_correct(
            claim=claim, rating=Rating.MISLEADING, rationale="اصلاح شد.", note="شواهد تازه.", actor=senior
        )
    published.append(claim.pk)
partner = partner_create(name="Bench outlet")
_, key = api_key_create(partner=partner, scopes=["read"])
print(json.dumps({"key": key, "claim_ids": published}))
"""


def prepare() -> dict:
    env = bench_env()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    out = subprocess.run(
        [sys.executable, "-c", SEED, str(CLAIMS)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def check_answers(port: int, headers: dict[str, str], claim_ids: list[int]) -> None:
    """Before measuring: the API answers what it should (20 claims, JSON, a hit when cached)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/api/v1/claims/", headers=headers)
    response = conn.getresponse()
    body = json.loads(response.read())
    if response.status != 200 or len(body["results"]) != 20:
        raise RuntimeError(f"claims list answered {response.status}: {str(body)[:200]}")
    if not {c["id"] for c in body["results"]} <= set(claim_ids):
        raise RuntimeError("the list shows a claim that is not published")
    conn.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1500, help="requests per target per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="gthread worker threads (1: sync workers)")
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    try:
        recreate_database(DB_NAME)
    except Exception as exc:  # any connection failure means "no PostgreSQL here"
        print(f"skipped: PostgreSQL at {PG} is not reachable ({exc.__class__.__name__}: {exc})")
        return 0
    seed = prepare()
    headers = {"Authorization": f"Bearer {seed['key']}", "Accept": "application/json"}
    ids = seed["claim_ids"]
    targets = {
        "trivial JSON view": ["/bench/trivial/"],
        "claims list (cached)": ["/api/v1/claims/"],
        "claim detail (cached)": [f"/api/v1/claims/{pk}/" for pk in ids[:50]],
        # A unique filter value per request is a cache miss: the page built from PostgreSQL.
        "claims list (uncached)": ["/api/v1/claims/?published_after=2000-01-01T00:00:00.{n}"],
    }
    results: dict[str, list[dict]] = {name: [] for name in targets}
    try:
        with gunicorn(bench_env(), workers=args.workers, threads=args.threads) as (port, proc):
            check_answers(port, headers, ids)
            for paths in targets.values():  # warm up every worker and the cache
                run_phase(port, paths, 200, concurrency=args.concurrency, headers=headers)
            for _ in range(args.rounds):
                for name, paths in targets.items():
                    total = args.requests if "uncached" not in name else max(200, args.requests // 4)
                    results[name].append(
                        run_phase(
                            port,
                            paths,
                            total,
                            concurrency=args.concurrency,
                            headers=headers,
                            master_pid=proc.pid,
                        )
                    )
    finally:
        delete_prefixed(REDIS_URL, CACHE_PREFIX)

    summary = {name: summarize(runs) for name, runs in results.items()}
    base = summary["trivial JSON view"]["req_per_s"] or 1.0
    base_cpu = summary["trivial JSON view"]["server_cpu_ms_per_request"]
    for row in summary.values():
        row["ratio_to_trivial"] = row["req_per_s"] / base
        cpu = row["server_cpu_ms_per_request"]
        row["cpu_ratio_to_trivial"] = base_cpu / cpu if cpu else 0.0
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(
        f"gunicorn {'sync' if args.threads == 1 else f'gthread/{args.threads}'} x{args.workers}, "
        f"{args.concurrency} connections, PostgreSQL {DB_NAME}, "
        f"Redis cache db 6, {args.rounds} interleaved rounds, key with read scope"
    )
    print(
        f"{'target':24} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6}"
        f" {'cpu ms/req':>10} {'cpu ratio':>9}"
    )
    for name, row in summary.items():
        print(
            f"{name:24} {row['requests']:8d} {row['errors']:6d} {row['req_per_s']:8.0f} "
            f"{row['p50_ms']:7.1f} {row['p99_ms']:7.1f} {row['ratio_to_trivial']:6.2f}"
            f" {row['server_cpu_ms_per_request']:10.2f} {row['cpu_ratio_to_trivial']:9.2f}"
        )
    print(
        f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
        "(figures from a busy machine are lower and noisier; cpu ms/req is the steadier measure)"
    )
    for name in ("claims list (cached)", "claim detail (cached)"):
        row = summary[name]
        ok = row["ratio_to_trivial"] >= 0.5 and row["p99_ms"] < 25 and row["errors"] == 0
        print(f"target {name}: ratio >= 0.5 and p99 < 25 ms: {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
