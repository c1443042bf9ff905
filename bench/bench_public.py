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
workers); it is flushed at the end.

    python bench/bench_public.py [--requests 600] [--rounds 8] [--workers 2] [--json]

Target (issue 6): cached claim and home pages at least half the trivial view's
throughput, with p99 under 25 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB_NAME = "factcheck_bench_public"
PG = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/5"
CONCURRENCY = 16
MAX_SECONDS_PER_PHASE = 20.0


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"{PG}/{DB_NAME}",
            "DJANGO_SETTINGS_MODULE": "bench.public_settings",
            "REDIS_URL": REDIS_URL,
            "DJANGO_DEBUG": "false",
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.pop("CELERY_BROKER_URL", None)  # tasks eager: the bench needs no worker
    return env


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


SEED = r"""
import datetime as dt, hashlib, json
import django
django.setup()
from django.contrib.auth.models import Group, User
from django.utils import timezone
from claims.extraction.normalize import normalize_key
from claims.models import Article, Attribution, AttributionKind, Rating, Source
from claims.roles import ensure_roles
from claims.services.claims import claim_correct, claim_create, claim_publish, claim_rate, evidence_add
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited before it was ready")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/trivial/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def run_phase(
    port: int, paths: list[str], total: int, concurrency: int = CONCURRENCY, salt: str = ""
) -> dict:
    """``total`` requests (or MAX_SECONDS_PER_PHASE) over CONCURRENCY threads, each on its
    own connection (http.client reconnects when the sync worker closes it)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + MAX_SECONDS_PER_PHASE

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        bad = 0
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            path = paths[n % len(paths)].replace("{n}", f"{salt}{n}")
            t0 = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append(time.perf_counter() - t0)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return {"latencies": latencies, "elapsed": elapsed, "errors": errors[0]}


def summarize(runs: list[dict]) -> dict:
    latencies = sorted(x for r in runs for x in r["latencies"])
    elapsed = sum(r["elapsed"] for r in runs)
    n = len(latencies)
    q = statistics.quantiles(latencies, n=100, method="inclusive") if n >= 2 else [0.0] * 99
    return {
        "requests": n,
        "errors": sum(r["errors"] for r in runs),
        "req_per_s": n / elapsed if elapsed else 0.0,
        "p50_ms": q[49] * 1000,
        "p99_ms": q[98] * 1000,
    }


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
        recreate_database()
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
    port = free_port()
    env = bench_env()
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "factcheck.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    results: dict[str, list[dict]] = {name: [] for name in targets}
    try:
        wait_ready(port, proc)
        for paths in targets.values():  # warm up every worker and the cache
            run_phase(port, [p.replace("{n}", "warm") for p in paths], 100)
        for round_no in range(args.rounds):
            for name, paths in targets.items():
                total = args.requests if "uncached" not in name else max(200, args.requests // 4)
                results[name].append(run_phase(port, paths, total, concurrency, salt=f"r{round_no}-"))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()

    summary = {name: summarize(runs) for name, runs in results.items()}
    trivial_rounds = results["trivial view"]
    for name, row in summary.items():
        ratios = [
            (len(r["latencies"]) / r["elapsed"]) / (len(t["latencies"]) / t["elapsed"])
            for r, t in zip(results[name], trivial_rounds, strict=True)
            if r["elapsed"] and t["elapsed"] and t["latencies"]
        ]
        row["ratio_to_trivial"] = statistics.median(ratios) if ratios else 0.0
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
