"""Command line: ``python -m claims.extraction extract FILE``,
``extract --jsonl IN.jsonl``, ``evaluate GOLD.jsonl [--per-doc] [--flatten]``, with
``--format json|table``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import unicodedata

from . import EXTRACTOR_VERSION, MAX_INPUT_CHARS, InputTooLarge, extract
from .evaluate import evaluate_docs, read_jsonl


def _date(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None


def _width(s: str) -> int:
    return sum(0 if unicodedata.category(c) in ("Mn", "Cf") else 1 for c in s)


def _clip(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _table(rows: list[list[str]], headers: list[str]) -> str:
    """A plain right-to-left table for a bidi-aware terminal or viewer.

    Each line opens with a right-to-left mark, so the first column shows on
    the right; every cell is an RLI...PDI isolate (mixed Persian, Latin and
    numbers keep their order) followed by its padding, which lands on the
    cell's left, so cells read right-aligned."""
    rows = [headers, *rows]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(rows):
        cells = ["\u2067" + c + "\u2069" + " " * (widths[i] - _width(c)) for i, c in enumerate(r)]
        lines.append("\u200f" + " │ ".join(cells))
        if n == 0:
            lines.append("\u200f" + "─┼─".join("─" * w for w in widths))
    return "\n".join(lines)


def _attr_table(attrs: list[dict]) -> str:
    rows = [
        [
            str(i + 1),
            _clip(a["source"], 30),
            _clip(a["source_resolved"], 20),
            _clip(a["cue"], 14),
            a["kind"],
            _clip(a["content"], 60),
            _clip(a["via"] or "", 16),
            "✓" if a["hedged"] else "",
        ]
        for i, a in enumerate(attrs)
    ]
    return _table(rows, ["#", "منبع", "منبع نهایی", "نشانه", "نوع", "محتوا", "به واسطه", "مشروط"])


def _read_text(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def _registry(args: argparse.Namespace):
    from .registry import default_registry, registry_from_file

    if args.no_registry:
        return None
    return registry_from_file(args.registry) if args.registry else default_registry()


def cmd_extract(args: argparse.Namespace) -> int:
    out = sys.stdout
    registry = _registry(args)
    if args.jsonl:
        lines = _read_text(args.jsonl).splitlines()
        for line in lines:
            line = line.strip()
            if not line:
                continue
            d = json.loads(line)
            attrs = [
                a.to_dict()
                for a in extract(d.get("text") or "", published=_date(d.get("published")), registry=registry)
            ]
            if args.format == "table":
                out.write(f"== {d.get('id')}\n{_attr_table(attrs)}\n\n")
            else:
                out.write(json.dumps({"id": d.get("id"), "attributions": attrs}, ensure_ascii=False) + "\n")
        return 0
    if not args.file:
        print("extract: give FILE or --jsonl IN.jsonl", file=sys.stderr)
        return 2
    text = _read_text(args.file)
    attrs = [a.to_dict() for a in extract(text, published=_date(args.published), registry=registry)]
    if args.format == "table":
        out.write(_attr_table(attrs) + "\n")
    else:
        out.write(json.dumps({"attributions": attrs}, ensure_ascii=False, indent=2) + "\n")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    docs = []
    for path in args.gold:
        docs.extend(read_jsonl(path))
    sc = evaluate_docs(docs, flat=args.flatten)
    out = sys.stdout
    if args.per_doc:
        for d in sc.docs:
            if not d["misses"] and not d["false_positives"]:
                continue
            out.write(
                f"== {d['id']}: matched {d['matched']} of {d['gold']} gold, {d['predicted']} predicted\n"
            )
            for g in d["misses"]:
                out.write(f"  MISS [{g['source']}] {g['cue']} :: {_clip(g['content'], 100)}\n")
            for p in d["false_positives"]:
                out.write(f"  FP   [{p['source']}] {p['cue']} :: {_clip(p['content'], 100)}\n")
        out.write("\n")
    pf, rf, ff = sc.full
    pc, rc, fc = sc.content_only
    if args.format == "table":
        out.write(
            _table(
                [
                    ["کامل (full)", f"{pf:.3f}", f"{rf:.3f}", f"{ff:.3f}"],
                    ["فقط محتوا (content)", f"{pc:.3f}", f"{rc:.3f}", f"{fc:.3f}"],
                ],
                ["سنجه", "P", "R", "F1"],
            )
            + "\n"
        )
    flat = "; flattened" if args.flatten else ""
    out.write(
        f"extractor {EXTRACTOR_VERSION}; docs {len(docs)}; gold {sc.gold}; predicted {sc.predicted}{flat}\n"
    )
    out.write(f"full:    P {pf:.3f}  R {rf:.3f}  F1 {ff:.3f}  (matched {sc.matched})\n")
    out.write(f"content: P {pc:.3f}  R {rc:.3f}  F1 {fc:.3f}  (matched {sc.matched_content})\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m claims.extraction", description="Persian attribution extraction"
    )
    p.add_argument("--version", action="version", version=EXTRACTOR_VERSION)
    sub = p.add_subparsers(dest="cmd", required=True)
    pe = sub.add_parser("extract", help="extract attributions from a text file or a JSONL file")
    pe.add_argument("file", nargs="?", help="UTF-8 text file ('-' for stdin)")
    pe.add_argument("--jsonl", metavar="IN.jsonl", help='lines of {"id", "text"[, "published"]}')
    pe.add_argument("--published", help="publication date YYYY-MM-DD for FILE")
    pe.add_argument("--format", choices=["json", "table"], default="json")
    pe.add_argument(
        "--registry",
        metavar="FILE",
        help="registry JSON file, or a folder with sources.json and registry/*.json "
        "(default: the shipped registry); fills source_slug and office_slug",
    )
    pe.add_argument("--no-registry", action="store_true", help="do not resolve sources against a registry")
    pe.set_defaults(func=cmd_extract)
    pv = sub.add_parser("evaluate", help="score the extractor on gold JSONL files")
    pv.add_argument("gold", nargs="+")
    pv.add_argument("--per-doc", action="store_true", help="show misses and false positives per document")
    pv.add_argument("--format", choices=["text", "table"], default="text")
    pv.add_argument(
        "--flatten", action="store_true", help="replace every line break of each text by a space first"
    )
    pv.set_defaults(func=cmd_evaluate)
    args = p.parse_args(argv)
    try:
        return args.func(args)
    except InputTooLarge as e:
        print(f"error: {e} (limit {MAX_INPUT_CHARS:,})", file=sys.stderr)
        return 2
    except (OSError, ValueError) as e:  # RegistryError is a ValueError naming file and slug
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
