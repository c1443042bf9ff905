"""Cost at a newsroom's scale: 1k, 10k and 100k articles, with claims, as a desk would have them.

``make bench BENCH=scale``. Standalone and bounded (well under 30 minutes on two
cores): it creates its own database, grows a corpus made from the real texts in
``../shared/gold`` and measures at each size:

- ingest through the real pipeline: ``article_ingest`` -> Redis -> two Celery
  workers (extraction, then claim matching after the extraction's commit) ->
  PostgreSQL, for a batch of new articles on top of the held corpus: articles/s
  from the first ingest to the last match;
- matching + consistency per new article: in the workers (``matched_at`` minus
  ``extracted_at``: the extraction's commit and the match), and the same service
  timed in this process on 200 of them, p50 and p99;
- req/s, p50 and p99 of the public pages, the API and the desk, uncached (a
  unique querystring per request) and cached, next to a trivial view measured in
  the same rounds (gunicorn, two sync workers, eight keep-alive connections);
- the workers' RSS, and EXPLAIN of the matching lookups on the held corpus.

Then the growth ratios (100k against 1k, and against 10k for memory).

The corpus: every gold text in ten figure variants (digits shifted, so the
same report recurs with different numbers), each copy with a numbered first line
(deduplication keeps it), dated 90 s apart, published by a rotating outlet.
Most of it is loaded in bulk by this process through the project's own pieces
(the extractor once per text variant, the resolver, ``article_ingest``'s hash,
the matching services for every claim and index row); only the measured batches
go through the queue and the workers. About 1% of attributions are accepted into
claims: a claim per recurring statement for about one statement in twelve, a few
"hot" claims that take every variant (hundreds of appearances at 100k), a third
of the claims published.

Environment: BENCH_POSTGRES (postgres://postgres@127.0.0.1:5432), BENCH_DB
(factcheck_bench_scale), BENCH_REDIS_URL (redis://127.0.0.1:6379/11: the broker
queue and the page cache, under keys this run names and deletes at the end; the
db is never flushed), BENCH_SIZES (1000,10000,100000), BENCH_PIPELINE (articles
through the workers per size: 500,1000,1500), BENCH_ROUNDS (2), BENCH_PHASE_SECONDS (5: each
target's share of a round), BENCH_KEEP_DB=1, BENCH_PAGES=0 (no page rounds),
BENCH_BATCH (articles per extraction message, as the doors that ingest many send
them; 1: a message per article).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"
GOLD_FILES = (
    "seed.jsonl",
    "dev.jsonl",
    "dev2.jsonl",
    "dev3.jsonl",
    "heldout-texts.jsonl",
    "reserve-texts.jsonl",
)
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB_NAME = os.environ.get("BENCH_DB", "factcheck_bench_scale")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
PIPELINE = [int(x) for x in os.environ.get("BENCH_PIPELINE", "500,1000,1500").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
PHASE_SECONDS = float(os.environ.get("BENCH_PHASE_SECONDS", "5"))
RUN = uuid.uuid4().hex[:8]
QUEUE = f"bench-scale-{RUN}"
CACHE_PREFIX = f"bench-scale-{RUN}"
VARIANTS = 10
CLAIM_EVERY = 12  # one recurring statement in twelve becomes a claim
ACCEPT_SHARE = 0.12  # of a claim statement's copies, the share editors accept
HOT_CLAIMS = 4
HOT_ACCEPT_SHARE = 0.6
BASE_TIME = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def configure() -> None:
    """The environment of a run (before Django is set up)."""
    os.environ.update(
        {
            "DATABASE_URL": f"{POSTGRES}/{DB_NAME}",
            "CELERY_BROKER_URL": REDIS_URL,
            "REDIS_URL": REDIS_URL,
            "BENCH_CACHE_PREFIX": CACHE_PREFIX,
            "DJANGO_SETTINGS_MODULE": "bench.scale_settings",
            "HF_HUB_OFFLINE": "1",
            "LOG_LEVEL": "WARNING",
            "DJANGO_DEBUG": "false",
            "API_THROTTLE_RATE": "1000000/min",
        }
    )


PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"


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


def shift_digits(text: str, k: int) -> str:
    """The same report with other figures: every digit moved by ``k`` (lengths kept)."""
    if k == 0:
        return text
    table = {ord(str(d)): str((d + k) % 10) for d in range(10)}
    table.update({ord(PERSIAN_DIGITS[d]): PERSIAN_DIGITS[(d + k) % 10] for d in range(10)})
    return text.translate(table)


class Corpus:
    def __init__(self, texts: list[str]) -> None:
        self.texts = texts

    def template(self, n: int) -> tuple[int, int]:
        return n % len(self.texts), (n // len(self.texts)) % VARIANTS

    def header(self, n: int) -> str:
        return f"گزارش شمارهٔ {n:07d}"  # one length for every n: offsets stay those of the template

    def text(self, n: int) -> str:
        t, k = self.template(n)
        return f"{self.header(n)}\n{shift_digits(self.texts[t], k)}"

    def published(self, n: int) -> dt.datetime:
        return BASE_TIME + dt.timedelta(seconds=90 * n)


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(
        f"{POSTGRES.replace('postgres://', 'postgresql://')}/postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    python = sys.executable
    env = dict(os.environ)
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=REPO, check=True, env=env)
    subprocess.run(
        [python, "manage.py", "load_sources"], cwd=REPO, check=True, stdout=subprocess.DEVNULL, env=env
    )


def start_worker(n: int, log_dir: Path) -> subprocess.Popen:
    log = (log_dir / f"bench-scale-worker-{n}.log").open("wb")
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "factcheck",
            "worker",
            "-Q",
            QUEUE,
            "-n",
            f"scale{n}-{RUN}@%h",
            "-P",
            "prefork",
            "--concurrency",
            "1",
            "--prefetch-multiplier",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
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


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


# --- the held corpus, in bulk ----------------------------------------------------

COPIED: list = []  # Attribution's columns but the id, filled once Django is set up


class Builder:
    """Grows the held corpus in bulk through the project's own pieces."""

    def __init__(self, corpus: Corpus) -> None:
        from django.contrib.auth.models import Group, User

        from claims.models import Attribution, Source
        from claims.roles import ensure_roles
        from claims.selectors.sources import alias_table
        from claims.services.articles import load_extractor

        ensure_roles()
        COPIED[:] = [f.attname for f in Attribution._meta.concrete_fields if f.attname != "id"]
        self.corpus = corpus
        self.extractor = load_extractor()
        self.aliases = alias_table()
        self.editor = User.objects.create_user("bench-senior", password=uuid.uuid4().hex)
        self.editor.groups.add(Group.objects.get(name="senior_editor"))
        self.outlets = list(
            Source.objects.filter(kind__in=["news_agency", "media_group"]).order_by("id")[:12]
        )
        self.templates: dict[tuple[int, int], list] = {}
        self.claims: dict[tuple, int] = {}  # statement -> claim id
        self.indexed: set[tuple] = set()  # (claim, key, source) already in the candidate index
        self.matches: dict[tuple[int, int, int], list[tuple[int, float]]] = {}
        self.rng = random.Random(14)
        self.held = 0
        statements = sorted(
            (t, j) for t in range(len(corpus.texts)) for j in range(8) if self._hash(t, j) % CLAIM_EVERY == 0
        )
        self.hot = set(statements[:: max(1, len(statements) // HOT_CLAIMS)][:HOT_CLAIMS])

    @staticmethod
    def _hash(*parts) -> int:
        return int(hashlib.sha256(repr(parts).encode()).hexdigest()[:8], 16)

    def _template(self, t: int, k: int, sample) -> list:
        """Attribution rows of one text variant, extracted and resolved once."""
        from claims.services.articles import _attribution_row
        from claims.services.resolution import attributions_resolve

        if (t, k) not in self.templates:
            text = self.corpus.text(t + k * len(self.corpus.texts))
            found = self.extractor.extract(text, published=None, aliases=self.aliases)
            rows = [_attribution_row(sample, item, self.extractor.version) for item in found]
            attributions_resolve(attributions=rows, aliases=self.aliases)
            self.templates[(t, k)] = rows
        return self.templates[(t, k)]

    def _statement(self, t: int, j: int, k: int) -> tuple | None:
        """The claim an appearance belongs to, if editors made one: a hot claim takes
        every variant of its statement, an ordinary one a single variant."""
        if (t, j) in self.hot:
            return ("hot", t, j)
        if self._hash(t, j) % CLAIM_EVERY == 0:
            return ("one", t, j, k)
        return None

    def grow(self, upto: int) -> float:
        from django.db import connection, transaction

        from claims.models import Article, ArticleState, Attribution, ClaimMatch, ReviewState
        from claims.services.articles import content_hash

        started = time.perf_counter()
        now = dt.datetime.now(dt.UTC)
        for first in range(self.held, upto, 1000):
            numbers = range(first, min(upto, first + 1000))
            with transaction.atomic():
                articles = Article.objects.bulk_create(
                    [
                        Article(
                            text=self.corpus.text(n),
                            title=self.corpus.header(n),
                            publisher=self.outlets[n % len(self.outlets)],
                            published_at=self.corpus.published(n),
                            content_hash=content_hash(self.corpus.text(n)),
                            state=ArticleState.DONE,
                            extractor_version=self.extractor.version,
                            extracted_at=now,
                            matched_at=now,
                        )
                        for n in numbers
                    ]
                )
                rows, firsts, later = [], {}, []
                for article, n in zip(articles, numbers, strict=True):
                    t, k = self.corpus.template(n)
                    for j, template in enumerate(self._template(t, k, article)):
                        row = Attribution(**{name: getattr(template, name) for name in COPIED})
                        row.article_id = article.pk
                        row.bench_template = (t, k, j)
                        rows.append(row)
                        statement = self._statement(t, j, k)
                        if statement is None:
                            continue
                        share = HOT_ACCEPT_SHARE if statement[0] == "hot" else ACCEPT_SHARE
                        if statement not in self.claims and statement not in firsts:
                            firsts[statement] = row
                        elif self.rng.random() < share:
                            if statement in self.claims:
                                row.review_state, row.claim_id = ReviewState.ACCEPTED, self.claims[statement]
                                row.reviewed_at = now
                            else:
                                later.append((row, statement))
                Attribution.objects.bulk_create(rows, batch_size=2000)
                self._new_claims(firsts)
                if firsts:
                    self.matches.clear()  # new claims: pending rows may match them now
                for row, statement in later:
                    row.review_state, row.claim_id, row.reviewed_at = (
                        ReviewState.ACCEPTED,
                        self.claims[statement],
                        now,
                    )
                Attribution.objects.bulk_update(
                    [row for row, _ in later], ["review_state", "claim_id", "reviewed_at"]
                )
                self._index_new_appearances(rows)
                ClaimMatch.objects.bulk_create(
                    self._pending_matches(rows), batch_size=5000, ignore_conflicts=True
                )
            self.held = numbers[-1] + 1
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        return time.perf_counter() - started

    def _new_claims(self, firsts) -> None:
        """The first appearance of a statement editors take: a claim through the service."""
        from claims.models import ReviewState
        from claims.services.claims import claim_create

        for statement, row in firsts.items():
            claim = claim_create(text=row.content_text[:500], actor=self.editor, attribution=row)
            self.claims[statement] = claim.pk
            row.review_state, row.claim_id = ReviewState.ACCEPTED, claim.pk
            self.indexed.add((claim.pk, row.content_key, row.source_id))

    def _index_new_appearances(self, rows) -> None:
        """Accepted appearances with a wording the claim's index has not seen: what
        ``attribution_link`` does for each (index row, figures check)."""
        from claims.models import Article, Claim
        from claims.services.matching import appearances_check, claim_key_add

        for row in rows:
            if row.claim_id is None or (row.claim_id, row.content_key, row.source_id) in self.indexed:
                continue
            self.indexed.add((row.claim_id, row.content_key, row.source_id))
            article = Article.objects.only("id", "sort_at").get(pk=row.article_id)
            claim = Claim(pk=row.claim_id)
            claim_key_add(claim=claim, key=row.content_key, source_id=row.source_id, seen_at=article.sort_at)
            appearances_check(pairs=[(row.claim_id, row)])

    def _pending_matches(self, rows) -> list:
        """The suggestions matching would have written for pending rows (computed once
        per text variant and statement with the real candidate lookup)."""
        from claims.models import ClaimMatch, ReviewState
        from claims.services.matching import Probe, candidate_claims

        out = []
        for row in rows:
            if row.review_state != ReviewState.PENDING:
                continue
            t, k, j = row.bench_template
            if (t, k, j) not in self.matches:
                at = self.corpus.published(t + k * len(self.corpus.texts))
                self.matches[(t, k, j)] = candidate_claims([Probe(row.content_key, row.source_id, at)])[0]
            out += [
                ClaimMatch(attribution_id=row.pk, claim_id=c, score=s) for c, s in self.matches[(t, k, j)]
            ]
        return out

    def publish_some(self) -> None:
        """A third of the claims rated and published (the hot ones always)."""
        from claims.models import Claim, ClaimStatus, Rating
        from claims.services.claims import claim_publish, claim_rate, claim_submit

        ratings = list(Rating.values)
        hot_ids = {cid for s, cid in self.claims.items() if s[0] == "hot"}
        for claim in Claim.objects.filter(status=ClaimStatus.NEW).order_by("id"):
            if claim.pk in hot_ids or self._hash(claim.pk) % 3 == 0:
                claim_rate(
                    claim=claim,
                    rating=ratings[claim.pk % len(ratings)],
                    rationale="بررسی شد.",
                    actor=self.editor,
                )
                claim_submit(claim=claim, actor=self.editor)
                claim_publish(claim=claim, actor=self.editor)


# --- through the pipeline ------------------------------------------------------------


def cpu_seconds(processes: list[subprocess.Popen]) -> float:
    """User and system CPU of the processes and their children so far."""
    import psutil

    total = 0.0
    for process in processes:
        try:
            parent = psutil.Process(process.pid)
            for proc in (parent, *parent.children(recursive=True)):
                times = proc.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def backend_cpu_seconds() -> dict[int, float]:
    """CPU so far of this database's server backends but this process's own (the
    workers'), by backend process id."""
    import psutil
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [DB_NAME]
        )
        pids = [row[0] for row in cursor.fetchall()]
    found = {}
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
            found[pid] = times.user + times.system
        except psutil.Error:
            pass
    return found


def backend_cpu_since(before: dict[int, float]) -> float:
    """The backends' CPU since ``before``: a backend that closed meanwhile is left out
    (its share is lost, so this is a lower bound), a new one counts from its start."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in backend_cpu_seconds().items())


def through_pipeline(
    corpus: Corpus, first: int, count: int, timeout: float, workers: list, batch: int | None = None
) -> dict:
    """Ingest ``count`` new articles as a door that ingests many does (the extractions
    queued a batch at a time; BENCH_BATCH=1: a message per article) and wait for the
    workers to match them all."""
    import contextlib

    from claims.models import Article
    from claims.services.articles import EXTRACTION_BATCH_SIZE, article_ingest, extraction_batches

    batch = batch or int(os.environ.get("BENCH_BATCH", str(EXTRACTION_BATCH_SIZE)))
    ids = []
    cpu_before, db_before = cpu_seconds(workers), backend_cpu_seconds()
    ingest_cpu = time.process_time()
    with extraction_batches(batch) if batch > 1 else contextlib.nullcontext():
        for n in range(first, first + count):
            article, _ = article_ingest(text=corpus.text(n), published_at=corpus.published(n))
            ids.append(article.pk)
    ingest_cpu = time.process_time() - ingest_cpu
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Article.objects.filter(pk__in=ids, matched_at__isnull=True).exists():
            break
        time.sleep(0.25)
    else:
        raise RuntimeError("the workers did not finish in time; see artifacts/bench-scale-worker-*.log")
    rows = list(Article.objects.filter(pk__in=ids).values_list("ingested_at", "extracted_at", "matched_at"))
    wall = (max(r[2] for r in rows) - min(r[0] for r in rows)).total_seconds()
    in_worker = [(m - e).total_seconds() * 1000 for _, e, m in rows]
    return {
        "ids": ids,
        "batch": batch,
        "worker_cpu_ms": (cpu_seconds(workers) - cpu_before) * 1000 / len(ids),
        "db_cpu_ms": backend_cpu_since(db_before) * 1000 / len(ids),
        "ingest_cpu_ms": ingest_cpu * 1000 / len(ids),
        "rate": len(ids) / wall,
        "worker_p50": pct(in_worker, 0.5),
        "worker_p99": pct(in_worker, 0.99),
    }


def matching_in_process(ids: list[int]) -> dict:
    """``article_match`` on articles the workers matched, done again here and timed."""
    from django.db import connection

    from claims.models import Article
    from claims.services.matching import article_match

    chosen = ids[-200:]
    Article.objects.filter(pk__in=chosen).update(matched_at=None)
    times, queries = [], []
    for article_id in chosen:
        before = len(connection.queries) if connection.queries_logged else 0
        t0 = time.perf_counter()
        article_match(article_id=article_id)
        times.append((time.perf_counter() - t0) * 1000)
        queries.append(len(connection.queries) - before if connection.queries_logged else 0)
    return {"p50": pct(times, 0.5), "p99": pct(times, 0.99)}


def explain_matching() -> list[str]:
    from django.db import connection

    from claims.models import Attribution, MatchBand, MatchKey, ReviewState
    from claims.services import minhash

    attribution = (
        Attribution.objects.filter(review_state=ReviewState.PENDING, source__isnull=False)
        .order_by("-id")
        .first()
    )
    bands = minhash.bands(attribution.content_key)
    at = attribution.article.sort_at
    lines = []
    with connection.cursor():
        for name, qs in (
            ("bands", MatchBand.objects.filter(band__in=bands).values_list("band", "key_id")),
            (
                "speaker",
                MatchKey.objects.filter(
                    source_id=attribution.source_id,
                    seen_at__range=(at - dt.timedelta(days=14), at + dt.timedelta(days=14)),
                ).order_by("-seen_at")[:20],
            ),
        ):
            plan = qs.explain(analyze=True)
            lines += [
                f"  {name}: {line.strip()}"
                for line in plan.splitlines()
                if "Scan" in line or "Execution" in line
            ]
        from claims.selectors import review as desk

        for name, qs in (("inbox page", desk.inbox_articles(desk.InboxFilters())[:50]),):
            plan = qs.explain(analyze=True)
            lines += [
                f"  {name}: {line.strip()}"
                for line in plan.splitlines()
                if "Scan" in line or "Execution" in line
            ]
    return lines


# --- pages ------------------------------------------------------------------------------


def page_targets(builder: Builder) -> tuple[dict[str, list[str]], dict[str, dict[str, str]]]:
    from urllib.parse import quote

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from claims.models import Article, ArticleState, Claim, ClaimStatus, Partner, Source
    from claims.services.partners import api_key_create, partner_create

    hot_ids = sorted(cid for s, cid in builder.claims.items() if s[0] == "hot")
    claim = Claim.objects.filter(pk__in=hot_ids, status=ClaimStatus.PUBLISHED).order_by("id").first()
    claim_path = quote(claim.get_absolute_url())
    source = Source.objects.filter(attributions__claim=claim).first()
    article = Article.objects.filter(state=ArticleState.DONE).order_by("-id").first()
    partner = Partner.objects.first() or partner_create(name="bench partner")
    _, key = api_key_create(partner=partner, scopes=["read"])
    session = SessionStore()
    session[SESSION_KEY] = str(builder.editor.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = builder.editor.get_session_auth_hash()
    session.save()
    api = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    desk = {"Cookie": f"sessionid={session.session_key}"}
    targets = {
        "trivial view": ["/bench/trivial/"],
        "home (cached)": ["/"],
        "home": ["/?n={n}"],
        "claim list": ["/claims/?page=2&n={n}"],
        "search": ["/claims/?q=%D8%AD%D9%85%D9%84%D9%87&n={n}"],
        "claim page (cached)": [claim_path],
        "claim page": [claim_path + "?n={n}"],
        "source page": [f"/sources/{quote(source.slug)}/?n={{n}}"] if source else ["/?n={n}"],
        # The API's response cache is bypassed in this bench (bench/scale_urls.py).
        "api claims": ["/api/v1/claims/"],
        "api claim": [f"/api/v1/claims/{claim.pk}/"],
        "api sources": ["/api/v1/sources/"],
        "desk inbox": ["/review/?n={n}"],
        "desk article": [f"/review/articles/{article.pk}/?n={{n}}"],
    }
    headers = {name: api for name in targets if name.startswith("api")}
    headers.update({name: desk for name in targets if name.startswith("desk")})
    return targets, headers


def measure_pages(targets, headers) -> dict:
    from bench import loadgen
    from bench.loadgen import gunicorn, median_round_ratio, run_phase, summarize

    loadgen.MAX_SECONDS_PER_PHASE = PHASE_SECONDS  # thirteen targets, three sizes: bounded

    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "bench.scale_settings"
    env["PYTHONPATH"] = str(REPO)
    env.pop("CELERY_BROKER_URL", None)
    results = {name: [] for name in targets}
    with gunicorn(env, workers=2) as (port, proc):
        for name, paths in targets.items():
            run_phase(
                port, [p.replace("{n}", "warm") for p in paths], 40, concurrency=8, headers=headers.get(name)
            )
        for round_no in range(ROUNDS):
            for name, paths in targets.items():
                total = 600 if "cached" in name or name == "trivial view" else 150
                results[name].append(
                    run_phase(
                        port,
                        paths,
                        total,
                        concurrency=8,
                        headers=headers.get(name),
                        salt=f"r{round_no}-",
                        master_pid=proc.pid,
                    )
                )
    summary = {name: summarize(runs) for name, runs in results.items()}
    for name in summary:
        summary[name]["ratio"] = median_round_ratio(results[name], results["trivial view"])
    return summary


# --- main -------------------------------------------------------------------------------


def cleanup_redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.delete(QUEUE, f"{QUEUE}\x06\x161", f"{QUEUE}\x06\x162")
    for pattern in (f"{CACHE_PREFIX}:*", f"*{QUEUE}*"):
        for key in client.scan_iter(match=pattern, count=1000):
            client.delete(key)


def main() -> int:
    started = time.monotonic()
    configure()
    texts = gold_texts()
    corpus = Corpus(texts)
    print(
        f"{len(texts)} gold texts x {VARIANTS} variants; sizes {SIZES}; queue {QUEUE}; db {DB_NAME}",
        flush=True,
    )
    recreate_database()

    import django

    django.setup()
    from django.conf import settings

    from claims.models import Attribution, Claim, ClaimFigure, ConsistencyFlag, MatchKey, ReviewState

    settings.INGEST_QUEUE = QUEUE
    builder = Builder(corpus)
    log_dir = REPO / "artifacts"
    log_dir.mkdir(exist_ok=True)
    workers = [start_worker(n, log_dir) for n in (1, 2)]
    report = []
    next_number = 10_000_000  # pipeline articles get numbers of their own
    try:
        for size, batch in zip(SIZES, PIPELINE, strict=True):
            grown = builder.grow(size - batch)
            if not Claim.objects.filter(status="published").exists() or size == SIZES[0]:
                builder.publish_some()
            # Warm-up: each worker process loads the extractor and the registry once.
            through_pipeline(corpus, next_number, 8, timeout=300, workers=workers, batch=2)
            next_number += 8
            step = through_pipeline(corpus, next_number, batch, timeout=max(300, batch), workers=workers)
            next_number += batch
            step.update(size=size, bulk_seconds=grown, rss=rss_mb(workers), load=os.getloadavg())
            step["in_process"] = matching_in_process(step["ids"])
            attributions = Attribution.objects.count()
            accepted = Attribution.objects.filter(review_state=ReviewState.ACCEPTED).count()
            step["corpus"] = {
                "articles": size,
                "attributions": attributions,
                "accepted_share": accepted / attributions if attributions else 0.0,
                "claims": Claim.objects.count(),
                "index_rows": MatchKey.objects.count(),
                "figures": ClaimFigure.objects.count(),
                "flags": ConsistencyFlag.objects.count(),
                "largest_claim": _largest_claim(),
            }
            step["explain"] = explain_matching()
            targets, headers = page_targets(builder)
            step["pages"] = measure_pages(targets, headers) if os.environ.get("BENCH_PAGES") != "0" else {}
            report.append(step)
            print_step(step, time.monotonic() - started)
    finally:
        for worker in workers:
            try:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(worker.pid, signal.SIGKILL)
        cleanup_redis()
    print_summary(report, time.monotonic() - started)
    if os.environ.get("BENCH_KEEP_DB") != "1":
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(
            f"{POSTGRES.replace('postgres://', 'postgresql://')}/postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    return 0


def _largest_claim() -> int:
    from django.db.models import Count

    from claims.models import Attribution, ReviewState

    row = (
        Attribution.objects.filter(review_state=ReviewState.ACCEPTED, claim__isnull=False)
        .values("claim_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return row["n"] if row else 0


def print_step(step: dict, elapsed: float) -> None:
    c = step["corpus"]
    load = step["load"]
    print(
        f"\n--- {step['size']:,} articles held ({elapsed / 60:.1f} min in; "
        f"load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}) ---\n"
        f"corpus: {c['attributions']:,} attributions, {c['accepted_share']:.2%} accepted, "
        f"{c['claims']} claims "
        f"(largest {c['largest_claim']} appearances), index {c['index_rows']} rows, {c['figures']} figures, "
        f"{c['flags']} flags; bulk part built in {step['bulk_seconds']:.0f} s",
        flush=True,
    )
    print(
        f"pipeline ({len(step['ids'])} new articles, 2 workers): {step['rate']:.1f} articles/s; "
        f"match in worker p50 {step['worker_p50']:.1f} ms p99 {step['worker_p99']:.1f} ms; "
        f"in process p50 {step['in_process']['p50']:.1f} ms p99 {step['in_process']['p99']:.1f} ms; "
        f"worker RSS {step['rss']:.0f} MB\n"
        f"CPU per article (extraction batches of {step['batch']}): workers {step['worker_cpu_ms']:.1f} ms, "
        f"their database backends {step['db_cpu_ms']:.1f} ms, ingest (this process) "
        f"{step['ingest_cpu_ms']:.1f} ms"
    )
    print("\n".join(step["explain"]))
    print(f"{'target':22} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6} {'errors':>6}")
    for name, row in step["pages"].items():
        print(
            f"{name:22} {row['req_per_s']:7.0f} {row['p50_ms']:7.1f} {row['p99_ms']:7.1f} "
            f"{row['ratio']:6.2f} {row['errors']:6d}",
            flush=True,
        )


def print_summary(report: list[dict], elapsed: float) -> None:
    if not report:
        return
    print(f"\n=== summary ({elapsed / 60:.1f} min) ===")
    print(f"{'articles':>9} {'ingest/s':>9} {'match p50':>9} {'p99':>7} {'RSS MB':>7} {'load':>5}")
    for step in report:
        print(
            f"{step['size']:9,} {step['rate']:9.1f} {step['in_process']['p50']:9.1f} "
            f"{step['in_process']['p99']:7.1f} "
            f"{step['rss']:7.0f} {step['load'][0]:5.1f}"
        )
    first, last = report[0], report[-1]
    ratio = last["in_process"]["p50"] / first["in_process"]["p50"] if first["in_process"]["p50"] else 0.0
    print(
        f"growth {first['size']:,} -> {last['size']:,}: matching p50 x{ratio:.2f} (target <= 2, and < 20 ms: "
        f"{'met' if ratio <= 2 and last['in_process']['p50'] < 20 else 'NOT met'})"
    )
    print(
        f"ingest at {last['size']:,}: {last['rate']:.1f} articles/s "
        f"(target >= 150: {'met' if last['rate'] >= 150 else 'NOT met'})"
    )
    if len(report) >= 2:
        mid = report[-2]
        growth = last["rss"] / mid["rss"] - 1 if mid["rss"] else 0.0
        verdict = "met" if abs(growth) <= 0.10 else "NOT met"
        print(f"worker RSS {mid['size']:,} -> {last['size']:,}: {growth:+.1%} (target within 10%: {verdict})")
    for name in last["pages"]:
        if name == "trivial view" or "cached" in name:
            continue
        row = last["pages"][name]
        base = first["pages"][name]
        limit, share = (100, 0.0) if name.startswith("desk") else (60, 0.20)
        ok = row["p99_ms"] < limit and row["ratio"] >= share
        growth = row["p50_ms"] / base["p50_ms"] if base["p50_ms"] else 0.0
        print(
            f"  {name:14} p50 {base['p50_ms']:6.1f} -> {row['p50_ms']:6.1f} ms (x{growth:.2f}), "
            f"p99 {row['p99_ms']:6.1f} ms, {row['ratio']:.2f} of trivial: {'met' if ok else 'NOT met'}"
        )


if __name__ == "__main__":
    sys.exit(main())
