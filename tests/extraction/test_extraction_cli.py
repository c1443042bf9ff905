"""The command line, run as a subprocess the way a newsroom would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLD = Path("/work/shared/gold")
TEXT = (
    "به گزارش خبرگزاری فارس، سخنگوی وزارت امور خارجه گفت: «هیچ توافقی حاصل نشده است.»\n"
    "بنابر اعلام پنتاگون، دست‌کم ۵۸ حمله انجام شد."
)


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "claims.extraction", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_extract_file(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    out = run("extract", str(f))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    attrs = data["attributions"]
    assert len(attrs) == 2
    for a in attrs:
        for k in ("source", "source_start", "source_end", "source_resolved", "cue", "cue_start", "cue_end"):
            assert k in a
        for k in ("content", "content_start", "content_end", "kind", "via", "hedged", "confidence"):
            assert k in a
        assert "quantities" in a and "dates" in a
        assert TEXT[a["content_start"] : a["content_end"]] == a["content"]
    first = attrs[0]
    assert first["source"] == "سخنگوی وزارت امور خارجه"
    assert first["via"] == "خبرگزاری فارس"
    assert first["kind"] == "direct"
    assert attrs[1]["quantities"][0]["value"] == 58.0


def test_extract_jsonl(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    f.write_text(
        json.dumps({"id": "x1", "text": TEXT}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "x2", "text": ""}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    out = run("extract", "--jsonl", str(f))
    assert out.returncode == 0, out.stderr
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["x1", "x2"]
    assert len(lines[0]["attributions"]) == 2
    assert lines[1]["attributions"] == []


def test_extract_table(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    out = run("extract", str(f), "--format", "table")
    assert out.returncode == 0, out.stderr
    assert "منبع" in out.stdout and "سخنگوی وزارت امور خارجه" in out.stdout


@pytest.mark.skipif(not (GOLD / "seed.jsonl").exists(), reason="gold files not present")
def test_evaluate_prints_summary_last() -> None:
    out = run("evaluate", str(GOLD / "seed.jsonl"), "--per-doc")
    assert out.returncode == 0, out.stderr
    last = out.stdout.strip().splitlines()[-3:]
    assert last[0].startswith("extractor ")
    assert last[1].startswith("full:") and "F1" in last[1]
    assert last[2].startswith("content:")


def test_missing_file_is_a_clean_error() -> None:
    out = run("extract", "/nonexistent/file.txt")
    assert out.returncode == 2
    assert "error" in out.stderr
