"""Query plans at a newsroom's shape: a corpus whose tables look to the planner as they
grow (most candidates on no claim, a few accepted, one claim quoted hundreds of times),
and the plan lines of a page's queries that read a big table whole."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import ReviewState
from tests.factories import PublishedClaimFactory, SourceFactory, bulk_appearances

BIG_TABLES = ("claims_attribution", "claims_article")


def newsroom(articles: int = 6000) -> dict:
    """A desk's tables in the shape they grow in: most candidates pending or dismissed
    and on no claim, a few percent accepted into claims, a third of the claims public,
    one claim quoted hundreds of times; then ANALYZE, so the planner sees that shape."""
    from claims import models as m

    outlets = [SourceFactory(kind="news_agency") for _ in range(8)]
    speakers = [SourceFactory() for _ in range(40)]
    made = m.Article.objects.bulk_create(
        [
            m.Article(
                text=f"سخنگو گفت که خبر {i} درست است. وزیر گفت که خبر {i} نادرست است.",
                title=f"خبر {i}",
                content_hash=f"newsroom-{i}",
                state="done",
                publisher=outlets[i % len(outlets)],
            )
            for i in range(articles)
        ]
    )
    m.Attribution.objects.bulk_create(
        [
            m.Attribution(
                article=article,
                source_text="سخنگو",
                source_start=0,
                source_end=5,
                cue_text="گفت",
                cue_start=6,
                cue_end=9,
                content_text=f"خبر {i}",
                content_start=13,
                content_end=18,
                kind="indirect",
                source=speakers[(i + j) % len(speakers)],
                review_state=ReviewState.DISMISSED if j else ReviewState.PENDING,
            )
            for i, article in enumerate(made)
            for j in range(2)
        ]
    )
    claims = [PublishedClaimFactory() for _ in range(40)]
    for i, claim in enumerate(claims):
        bulk_appearances(claim, 3 + i % 5, source=speakers[i % len(speakers)], publisher=outlets[i % 8])
    hot = claims[0]
    bulk_appearances(hot, 300, source=speakers[0], publisher=outlets[0], start=10)
    with connection.cursor() as cursor:
        for table in ("claims_article", "claims_attribution", "claims_claim", "claims_source"):
            cursor.execute(f"ANALYZE {table}")
    return {"hot": hot, "speaker": speakers[0], "outlet": outlets[0]}


def _node(line: str) -> tuple[int, str]:
    """A plan line's depth and node name ("Seq Scan", "Limit", ...); a depth of -1 for
    lines that are not nodes (conditions, keys)."""
    text = line.lstrip()
    depth = len(line) - len(text)
    if text.startswith("->  "):
        return depth + 4, text[4:].split("  (")[0]
    if depth == 0 or text.split(":")[0] in {"InitPlan 1", "SubPlan 1"} or "(cost=" in text:
        return depth, text.split("  (")[0]
    return -1, ""


# Nodes that pass rows on as they read them: a Limit above them stops the scan below.
_STREAMING = ("Subquery Scan", "Result", "Append")


def _bounded_by_limit(plan: list[str], at: int) -> bool:
    """The scan at line ``at`` stops at a LIMIT: a Limit is above it with only streaming
    nodes between (never a Sort, Hash or aggregate, which read all they are given)."""
    depth = _node(plan[at])[0]
    for line in reversed(plan[:at]):
        d, name = _node(line)
        if d < 0 or d >= depth:
            continue
        depth = d
        if name.startswith("Limit"):
            return True
        if not name.startswith(_STREAMING):
            return False
    return False


def scans_of_big_tables(get, url: str) -> list[str]:
    """Every plan line of the queries of ``get(url)`` (a test client's get) that reads a
    big table whole: a sequential scan that no LIMIT right above it stops (a capped count
    reads at most its cap)."""
    with CaptureQueriesContext(connection) as ctx:
        response = get(url)
    assert response.status_code == 200, (url, response.status_code)
    found = []
    for query in ctx.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            plan = [row[0] for row in cursor.fetchall()]
        found += [
            f"{line.strip()}  <-  {sql[:200]}"
            for at, line in enumerate(plan)
            if any(f"Seq Scan on {table} " in line for table in BIG_TABLES)
            and not _bounded_by_limit(plan, at)
        ]
    return found
