"""``manage.py ingest``: files, directories, JSONL, stdin and URLs, with a summary."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims.models import Article, ArticleState, Attribution

from .helpers import gold_texts

TASNIM = "خبرگزاری تسنیم"

pytestmark = pytest.mark.django_db

# The command commits each article, so extraction runs on commit as it does for
# real: these tests need real transactions.
committing = pytest.mark.django_db(transaction=True)


def _run(*args: str) -> tuple[str, str]:
    """Standard output and error; a run with failed rows ends with status 1, noted as
    ``exit: 1`` at the end of the error output."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", *args, "--no-progress", stdout=out, stderr=err)
    except CommandError as exc:
        assert "rows failed" in str(exc), exc  # only failed rows may end a run that got this far
        err.write(f"exit: {exc.returncode}\n")
    return out.getvalue(), err.getvalue()


def _summary(out: str) -> dict[str, int]:
    first = out.splitlines()[0]
    parts = first.replace(":", "").split()
    return {parts[i]: int(parts[i + 1]) for i in range(0, len(parts), 2)}


@committing
def test_jsonl_then_again_counts_new_duplicate_and_attributions(tmp_path, eager, registry):
    rows = gold_texts(6)
    batch = tmp_path / "batch.jsonl"
    lines = [
        json.dumps(
            {"text": r["text"], "title": f"خبر {n}", "publisher": TASNIM, "published": "2026-05-02"},
            ensure_ascii=False,
        )
        for n, r in enumerate(rows)
    ]
    batch.write_text("\n".join([*lines, "", "{not json", '"a string"']) + "\n", encoding="utf-8")
    out, err = _run(str(batch))
    summary = _summary(out)
    assert summary["new"] == len(rows) and summary["duplicate"] == 0 and summary["failed"] == 2
    assert summary["attributions"] == Attribution.objects.count() > 0
    assert "error: " in err and f"batch.jsonl:{len(rows) + 2}: JSON" in err and err.endswith("exit: 1\n")
    article = Article.objects.get(title="خبر 0")
    assert article.publisher.slug == "tasnim-news-agency"
    # A bare date is midnight in the desk's time zone.
    assert timezone.localtime(article.published_at).date().isoformat() == "2026-05-02"
    assert set(Article.objects.values_list("state", flat=True)) == {ArticleState.DONE}

    out, _ = _run(str(batch))
    again = _summary(out)
    assert again["new"] == 0 and again["duplicate"] == len(rows)
    assert Article.objects.count() == len(rows)


@committing
def test_directory_of_files_with_bad_ones(tmp_path, eager, registry):
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    text = gold_texts(1)[0]["text"]
    (folder / "good.txt").write_text(text, encoding="utf-8")
    (folder / "sub" / "html.txt").write_text(
        "<script>alert('x')</script><p>" + gold_texts(2)[1]["text"] + "</p>", encoding="utf-8"
    )
    (folder / "latin1.txt").write_bytes("café au lait".encode("latin-1") + b"\xff\xfe")
    (folder / "image.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 4)
    (folder / "empty.txt").write_text("   \n\n ", encoding="utf-8")
    (folder / ".hidden.txt").write_text(text + " hidden", encoding="utf-8")
    out, err = _run(str(folder))
    summary = _summary(out)
    assert summary["new"] == 2 and summary["failed"] == 3 and "exit: 1" in err
    assert "latin1.txt" in err and "UTF-8" in err
    assert "image.bin" in err and "دودویی" in err
    assert "empty.txt" in err and "خالی" in err
    stored = Article.objects.get(text__startswith="<script>")
    assert stored.text.startswith("<script>alert('x')</script>")


@committing
def test_stdin_text_and_jsonl(monkeypatch, eager, registry):
    text = gold_texts(1)[0]["text"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    out, _ = _run("-")
    assert _summary(out)["new"] == 1
    payload = json.dumps({"text": "۲\n" + text}, ensure_ascii=False) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload.encode("utf-8"))))
    out, _ = _run("-")
    assert _summary(out)["new"] == 1
    assert Article.objects.count() == 2


def test_too_large_file_is_refused_with_the_limit(tmp_path, settings):
    settings.INGEST_MAX_CHARS = 1000
    big = tmp_path / "big.txt"
    big.write_text("خبر " * 2000, encoding="utf-8")
    out, err = _run(str(big))
    assert _summary(out)["failed"] == 1
    assert "1,000" in err
    assert not Article.objects.exists()


@committing
def test_url_ingest(http_server, eager, registry):
    body = gold_texts(3)[2]["text"].replace("\n", "</p><p>")
    page = f"<html><head><title>گزارش</title></head><body><p>{body}</p></body></html>"
    url = http_server.add("/story", page)
    out, _ = _run("--url", url)
    assert _summary(out)["new"] == 1
    article = Article.objects.get()
    assert article.url == url and article.origin == Article.Origin.URL and article.title == "گزارش"


def test_nothing_to_do_is_an_error():
    with pytest.raises(CommandError):
        call_command("ingest")


def test_unknown_publisher_is_an_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("سخنگو گفت که همه چیز آرام است.", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("ingest", str(path), "--publisher", "no-such-outlet")


# --- bad rows: a numbered error line each, the next row still goes in ----------------


def _good_rows(n: int) -> list[str]:
    return [
        json.dumps({"text": r["text"], "title": f"خبر {i}"}, ensure_ascii=False)
        for i, r in enumerate(gold_texts(n))
    ]


@committing
def test_bad_rows_each_get_a_numbered_error_and_the_rest_go_in(tmp_path, eager, registry):
    good = _good_rows(3)
    text = gold_texts(4)[3]["text"]
    bad = [
        json.dumps({"text": text, "title": "عنوان\x00با NUL"}),  # 2
        json.dumps({"text": text, "url": 12345}),  # 3
        "{not json",  # 4
        "[" * 100_000 + "]" * 100_000,  # 5
        '{"a":' * 50 + "1" + "}" * 50,  # 6
        json.dumps({"text": 123}),  # 7
        json.dumps({"text": ["a"]}),  # 8
        json.dumps({"text": text + "\x00"}),  # 9
        json.dumps({"text": text, "url": "javascript:alert(1)"}),  # 10
        json.dumps({"title": "no text and no url"}),  # 11
    ]
    batch = tmp_path / "rows.jsonl"
    batch.write_text("\n".join([good[0], *bad, good[1], good[2]]) + "\n", encoding="utf-8")
    out, err = _run(str(batch))
    summary = _summary(out)
    assert summary["new"] == 3 and summary["failed"] == len(bad)
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert [line.split(":")[2] for line in errors] == [str(n) for n in range(2, 2 + len(bad))]
    assert "title" in errors[0] or "عنوان" in errors[0]
    assert "url" in errors[1]
    assert "JSON" in errors[2] and "32" in errors[3] and "32" in errors[4]
    assert "text" in errors[5] and "text" in errors[6]
    assert err.endswith("exit: 1\n")
    assert sorted(Article.objects.values_list("title", flat=True)) == ["خبر 0", "خبر 1", "خبر 2"]


def test_exit_status_is_zero_without_failures_and_one_with(tmp_path, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ok = tmp_path / "ok.jsonl"
    ok.write_text(_good_rows(1)[0] + "\n", encoding="utf-8")
    call_command("ingest", str(ok), "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{nope\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("ingest", str(bad), "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
    assert raised.value.returncode == 1


def test_a_huge_line_is_one_error_and_is_not_held(tmp_path, settings):
    settings.INGEST_MAX_CHARS = 1000
    batch = tmp_path / "huge.jsonl"
    with batch.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"text": "خبر " * 100_000}, ensure_ascii=False) + "\n")
        handle.write(json.dumps({"text": "سخنگو گفت که همه چیز آرام است و خبر تازه‌ای نیست."}) + "\n")
    out, err = _run(str(batch), "--no-wait")
    assert _summary(out)["failed"] == 1 and _summary(out)["new"] == 1
    assert "huge.jsonl:1:" in err


def test_stdin_jsonl_is_streamed_with_errors_per_line(monkeypatch, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    lines = [*_good_rows(2), '{"text": 5}']
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(("\n".join(lines) + "\n").encode())))
    out, err = _run("-", "--no-wait")
    assert _summary(out)["new"] == 2 and "stdin:3:" in err


# --- streaming: memory does not grow with the file ----------------------------------


def _peak_ingest_memory(path, monkeypatch) -> int:
    """Peak traced memory of one run of the command over ``path``. The article service is
    replaced by a stand-in that checks the row's text and keeps nothing: what is measured is
    the command's own reading and bookkeeping, which is what must not grow with the file."""
    import tracemalloc
    from types import SimpleNamespace

    from claims.management.commands import ingest as command

    def stand_in(*, text, **fields):
        assert isinstance(text, str) and text
        return SimpleNamespace(pk=1), True

    monkeypatch.setattr(command, "article_ingest", stand_in)
    tracemalloc.start()
    try:
        _run(str(path), "--no-wait")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _write_batch(path, rows: int, base: str) -> int:
    with path.open("w", encoding="utf-8") as handle:
        for n in range(rows):
            handle.write(json.dumps({"text": f"{base} شمارهٔ {n}.", "title": f"خبر {n}"}, ensure_ascii=False))
            handle.write("\n")
    return path.stat().st_size


def test_ingest_memory_stays_flat_as_the_file_grows(tmp_path, monkeypatch):
    # A file five times larger must not need noticeably more memory: rows are read one at a
    # time and nothing is kept per row (the old command held every row's text and every id:
    # its growth here was about the file's size).
    base = "\n".join(r["text"] for r in gold_texts(12))[:6_000]
    _write_batch(tmp_path / "warm.jsonl", 5, base)
    small_size = _write_batch(tmp_path / "small.jsonl", 100, base)
    big_size = _write_batch(tmp_path / "big.jsonl", 500, base)
    _peak_ingest_memory(tmp_path / "warm.jsonl", monkeypatch)  # imports and caches, once
    small = _peak_ingest_memory(tmp_path / "small.jsonl", monkeypatch)
    big = _peak_ingest_memory(tmp_path / "big.jsonl", monkeypatch)
    assert big - small < (big_size - small_size) / 20, (small, big, small_size, big_size)


def test_wait_counts_the_batch_not_every_id(tmp_path, monkeypatch, settings):
    """The wait loop runs one COUNT over the batch's articles a turn, however many there are."""
    from claims.management.commands import ingest as command
    from claims.services import articles

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(articles, "_queue_extraction", lambda article_id: None)
    _write_batch(tmp_path / "b.jsonl", 40, gold_texts(1)[0]["text"][:500])
    turns = []
    real_sleep = command.time.sleep

    def finish_after_two_turns(seconds):
        turns.append(seconds)
        if len(turns) == 2:
            Article.objects.update(state=ArticleState.DONE)
        real_sleep(0)

    monkeypatch.setattr(command.time, "sleep", finish_after_two_turns)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        out, _ = _run(str(tmp_path / "b.jsonl"), "--timeout", "30")
    waits = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and '"state" IN' in q["sql"]]
    assert len(waits) == 3, waits
    assert all('"job_id" =' in sql and '"id" IN (' not in sql for sql in waits), "no list of ids"
    assert "done 40" in out
