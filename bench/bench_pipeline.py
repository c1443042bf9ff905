"""End-to-end ingestion benchmark: article_ingest -> Redis -> 2 Celery workers -> PostgreSQL.

Standalone: creates its own database (``factcheck_bench_pipeline``), migrates it,
loads the source registry, starts two worker processes on a queue of its own,
ingests the gold texts repeated to a few thousand distinct articles (a numbered
first line keeps deduplication from merging the copies), waits until every one
is extracted, and prints:

- articles/s and attributions/s end to end (first ingest to last extraction),
- p50 and p99 time from ingest to extracted, for the burst (mostly queueing) and
  for a steady trickle of BENCH_PACED_ARTICLES at BENCH_PACED_RATE per second,
- the same texts through ``claims.extraction.extract`` in one process, and the
  ratio (the pipeline's overhead),
- the workers' memory (RSS, parent and pool children) after warm-up and at the end.

The database holds claims before the timed run, so matching and the consistency
check do their real work: BENCH_HELD articles (5000) are loaded first the way
``bench_scale`` grows its corpus (the same gold texts, about 1% of attributions
accepted into claims, a few claims with many appearances, a third published).

Environment: BENCH_ARTICLES (3000), BENCH_POSTGRES (postgres://postgres@127.0.0.1:5432),
BENCH_REDIS_URL (redis://127.0.0.1:6379/9), BENCH_POOL (prefork|solo), BENCH_CONCURRENCY
(pool processes per worker, 1), BENCH_PREFETCH (1), BENCH_LOGLEVEL, BENCH_PACED_RATE,
BENCH_PACED_ARTICLES, BENCH_HELD (articles held before the run, 5000), BENCH_KEEP_DB=1.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
GOLD_FILES = ("seed.jsonl", "dev.jsonl", "dev2.jsonl", "heldout-texts.jsonl", "reserve-texts.jsonl")
DB_NAME = os.environ.get("BENCH_DB", "factcheck_bench_pipeline")
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "3000"))
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
POOL = os.environ.get("BENCH_POOL", "prefork")
CONCURRENCY = os.environ.get("BENCH_CONCURRENCY", "1")
# The project's setting (1) by default; a few more can hide the broker round trip
# between short tasks, and with acks_late nothing is lost if a worker dies holding them.
PREFETCH = os.environ.get("BENCH_PREFETCH", "1")
PACED_RATE = float(os.environ.get("BENCH_PACED_RATE", "20"))
PACED_ARTICLES = int(os.environ.get("BENCH_PACED_ARTICLES", "200"))
QUEUE = f"bench-pipeline-{uuid.uuid4().hex[:8]}"
HELD = int(os.environ.get("BENCH_HELD", "5000"))
TARGET_PER_SECOND = 100

os.environ.update(
    {
        "DATABASE_URL": f"{POSTGRES}/{DB_NAME}",
        "CELERY_BROKER_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings.base",
        "HF_HUB_OFFLINE": "1",
        "LOG_LEVEL": "WARNING",
        "DJANGO_DEBUG": "false",
    }
)
sys.path.insert(0, str(REPO))


def gold_texts() -> list[str]:
    texts = []
    for name in GOLD_FILES:
        path = SHARED / "gold" / name
        if path.exists():
            texts += [
                json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line.strip()
            ]
    if not texts:
        sys.exit(f"no gold texts under {SHARED / 'gold'}")
    return texts


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(
        f"{POSTGRES.replace('postgres://', 'postgresql://')}/postgres", autocommit=True
    ) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [DB_NAME])
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=REPO, check=True)
    subprocess.run([python, "manage.py", "load_sources"], cwd=REPO, check=True, stdout=subprocess.DEVNULL)


def start_worker(n: int, log_dir: Path) -> subprocess.Popen:
    log = (log_dir / f"bench-worker-{n}.log").open("wb")
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "factcheck",
            "worker",
            "-Q",
            QUEUE,
            "-n",
            f"bench{n}-{QUEUE}@%h",
            "-P",
            POOL,
            "--concurrency",
            CONCURRENCY,
            "--prefetch-multiplier",
            PREFETCH,
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            os.environ.get("BENCH_LOGLEVEL", "WARNING"),
        ],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def rss_mb(processes: list[subprocess.Popen]) -> float:
    import psutil

    total = 0
    for process in processes:
        try:
            parent = psutil.Process(process.pid)
            total += parent.memory_info().rss
            total += sum(child.memory_info().rss for child in parent.children(recursive=True))
        except psutil.NoSuchProcess:
            pass
    return total / 1024 / 1024


def cpu_seconds(processes: list[subprocess.Popen]) -> float:
    """User + system CPU of the workers, parents and pool children."""
    import psutil

    total = 0.0
    for process in processes:
        try:
            parent = psutil.Process(process.pid)
            for proc in [parent, *parent.children(recursive=True)]:
                times = proc.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def database_cpu_seconds() -> float:
    """CPU of the PostgreSQL backends serving this database (CONN_MAX_AGE keeps
    them for the whole run), read from /proc."""
    import psutil
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [DB_NAME])
        pids = [row[0] for row in cursor.fetchall()]
    total = 0.0
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
            total += times.user + times.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def wait_done(ids: list[int], timeout: float) -> bool:
    from claims.models import Article, ArticleState

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Article.objects.filter(pk__in=ids).exclude(state=ArticleState.DONE).exists():
            return True
        time.sleep(0.2)
    return False


def direct_rate(texts: list[str]) -> tuple[float, float]:
    """The extraction package alone, one process, the same texts."""
    from claims.extraction import extract
    from claims.selectors.sources import alias_table

    aliases = alias_table()
    extract(texts[0], aliases=aliases)
    started = time.perf_counter()
    found = sum(len(extract(text, aliases=aliases)) for text in texts)
    elapsed = time.perf_counter() - started
    return len(texts) / elapsed, found / elapsed


def main() -> int:
    texts = gold_texts()
    print(
        f"{len(texts)} gold texts, {ARTICLES} articles, 2 workers "
        f"(-P {POOL} --concurrency {CONCURRENCY} --prefetch-multiplier {PREFETCH}), "
        f"queue {QUEUE}",
        flush=True,
    )
    recreate_database()

    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count

    from bench.bench_scale import Builder, Corpus
    from claims.models import Article, Attribution, Claim
    from claims.services.articles import article_ingest

    builder = Builder(Corpus(texts))
    held_seconds = builder.grow(HELD)
    builder.publish_some()
    held_claims = Claim.objects.count()
    print(
        f"held before the run: {HELD} articles, {Attribution.objects.count()} attributions, "
        f"{held_claims} claims ({held_seconds:.0f} s to load)",
        flush=True,
    )

    settings.INGEST_QUEUE = QUEUE
    corpus = [f"نسخهٔ {n + 1}\n{texts[n % len(texts)]}" for n in range(ARTICLES)]

    log_dir = REPO / "artifacts"
    log_dir.mkdir(exist_ok=True)
    workers = [start_worker(n, log_dir) for n in (1, 2)]
    try:
        warm = [article_ingest(text=f"گرم‌کردن {n}\n{texts[n]}")[0].pk for n in range(20)]
        if not wait_done(warm, timeout=120):
            print("workers did not warm up; see artifacts/bench-worker-*.log")
            return 1
        memory_start = rss_mb(workers)
        cpu_workers = cpu_seconds(workers)
        cpu_database = database_cpu_seconds()
        cpu_producer = time.process_time()

        started = time.perf_counter()
        ids = [article_ingest(text=text)[0].pk for text in corpus]
        ingest_seconds = time.perf_counter() - started
        cpu_producer = time.process_time() - cpu_producer
        if not wait_done(ids, timeout=max(120, ARTICLES / 10)):
            print("timed out waiting for extraction; see artifacts/bench-worker-*.log")
            return 1
        memory_end = rss_mb(workers)
        cpu_workers = cpu_seconds(workers) - cpu_workers
        cpu_database = database_cpu_seconds() - cpu_database

        # Latency without a backlog: a steady trickle well under capacity.
        paced_ids = []
        interval = 1 / PACED_RATE
        next_at = time.perf_counter()
        for n in range(PACED_ARTICLES):
            paced_ids.append(article_ingest(text=f"آهسته {n + 1}\n{texts[n % len(texts)]}")[0].pk)
            next_at += interval
            time.sleep(max(0.0, next_at - time.perf_counter()))
        if not wait_done(paced_ids, timeout=120):
            print("timed out waiting for the paced articles")
            return 1
    finally:
        for worker in workers:
            try:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(worker.pid, signal.SIGKILL)
        import redis

        redis.Redis.from_url(REDIS_URL).delete(QUEUE)

    rows = list(Article.objects.filter(pk__in=ids).values_list("ingested_at", "extracted_at"))
    first_in = min(r[0] for r in rows)
    last_out = max(r[1] for r in rows)
    wall = (last_out - first_in).total_seconds()
    latencies = sorted((out - into).total_seconds() * 1000 for into, out in rows)
    attributions = Attribution.objects.filter(article_id__in=ids).count()
    per_article = dict(
        Article.objects.filter(pk__in=ids).annotate(n=Count("attributions")).values_list("id", "n")
    )
    direct_articles, direct_attributions = direct_rate(corpus[: min(len(corpus), 1000)])
    rate = len(ids) / wall
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    paced = sorted(
        (out - into).total_seconds() * 1000
        for into, out in Article.objects.filter(pk__in=paced_ids).values_list("ingested_at", "extracted_at")
    )
    paced_p99 = paced[min(len(paced) - 1, int(len(paced) * 0.99))]

    print(f"articles:            {len(ids)} ({sum(1 for n in per_article.values() if n)} with attributions)")
    print(f"ingest (producer):   {len(ids) / ingest_seconds:.0f} articles/s")
    print(
        f"pipeline:            {rate:.1f} articles/s, {attributions / wall:.0f} attributions/s "
        f"({wall:.1f}s end to end; target >= {TARGET_PER_SECOND} articles/s)"
    )
    print(
        f"ingest -> extracted: p50 {statistics.median(latencies):.0f} ms, p99 {p99:.0f} ms "
        f"(all {len(ids)} queued at once: mostly time in the queue)"
    )
    print(
        f"  at {PACED_RATE:g} articles/s: p50 {statistics.median(paced):.0f} ms, p99 {paced_p99:.0f} ms "
        f"({len(paced)} articles ingested at a steady rate)"
    )
    print(
        f"extraction alone:    {direct_articles:.0f} articles/s, {direct_attributions:.0f} attributions/s "
        "(one process, no database)"
    )
    print(
        f"pipeline / direct:   {rate / direct_articles:.3f} (the pipeline's overhead is "
        f"{direct_articles / rate:.1f}x)"
    )
    per = 1000 / len(ids)
    total_ms = (cpu_workers + cpu_producer + cpu_database) * per
    print(
        f"CPU per article:     workers {cpu_workers * per:.1f} ms, producer {cpu_producer * per:.1f} ms, "
        f"PostgreSQL {cpu_database * per:.1f} ms (total {total_ms:.1f} ms: about "
        f"{2000 / total_ms:.0f} articles/s on two otherwise idle cores)"
    )
    load = os.getloadavg()
    print(f"machine load:        {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (1/5/15 min; shared cores)")
    print(
        f"worker RSS:          {memory_start:.0f} MB after warm-up, {memory_end:.0f} MB at the end "
        f"({memory_end - memory_start:+.0f} MB)"
    )
    if os.environ.get("BENCH_KEEP_DB") != "1":
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(
            f"{POSTGRES.replace('postgres://', 'postgresql://')}/postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
