"""CSV and JSON Lines exports of published claims and accepted statements, streamed.

Used by the desk (``/review/exports/...``) and the partner API
(``/api/v1/claims/?format=csv``). Rows are read in chunks and written as they
come (``StreamingHttpResponse``), so an export of 100k rows takes flat memory.
The columns are documented in ``docs/exports.md``; dates are ISO 8601 in UTC.

CSV: one row per claim appearance (claim columns repeated), UTF-8 with a BOM so
spreadsheet programs read Persian correctly. JSON Lines: one claim per line with
its ``appearances`` list; statements are one per line in both formats.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from claims.models import Rating
from claims.selectors import exports as sel
from claims.services.errors import InvalidInput

CLAIM_COLUMNS = list(sel.CLAIM_FIELDS)
STATEMENT_COLUMNS = list(sel.STATEMENT_FIELDS)
_APPEARANCE_COLUMNS = [
    c for c in CLAIM_COLUMNS if CLAIM_COLUMNS.index(c) >= CLAIM_COLUMNS.index("appearance_id")
]
_CLAIM_ONLY = [c for c in CLAIM_COLUMNS if c not in _APPEARANCE_COLUMNS]
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
SLUG_MAX = 120


def _value(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _clean(row: Mapping) -> dict:
    return {key: _value(value) for key, value in row.items()}


def _csv_lines(columns: list[str], rows: Iterable[Mapping]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writeheader()
    for count, row in enumerate(rows, start=1):
        writer.writerow({k: ("" if v is None else v) for k, v in _clean(row).items()})
        if count % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _jsonl_lines(objects: Iterable[Mapping]) -> Iterator[str]:
    for obj in objects:
        yield json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def _claims_grouped(rows: Iterable[Mapping]) -> Iterator[dict]:
    """Consecutive rows of one claim as one object with its appearances (rows come ordered by claim)."""
    for _, group in itertools.groupby(rows, key=lambda row: row["claim_id"]):
        appearances, claim = [], None
        for row in group:
            row = _clean(row)
            if claim is None:
                claim = {key: row[key] for key in _CLAIM_ONLY}
            if row["appearance_id"] is not None:
                appearances.append({key: row[key] for key in _APPEARANCE_COLUMNS})
        claim["appearances"] = appearances
        yield claim


# --- filters from a query string ---------------------------------------------------


def _slug(params: Mapping, name: str) -> str | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    if len(value) > SLUG_MAX or not all(c.isascii() and (c.isalnum() or c in "-_") for c in value):
        raise InvalidInput(f"{name}: not a source slug")
    return value


def _moment(params: Mapping, name: str) -> dt.datetime | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    moment = None
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            moment = dt.datetime(day.year, day.month, day.day) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise InvalidInput(f"{name}: not an ISO 8601 date (YYYY-MM-DD)")
    return timezone.make_aware(moment, dt.UTC) if timezone.is_naive(moment) else moment


def _format(fmt: str) -> str:
    fmt = (fmt or "csv").lower()
    if fmt not in FORMATS:
        raise InvalidInput("format: csv or jsonl")
    return fmt


def claim_filters(params: Mapping) -> dict:
    ratings = [r for r in (params.get("rating") or "").split(",") if r]
    unknown = [r for r in ratings if r not in Rating.values]
    if unknown:
        raise InvalidInput(f"rating: unknown value {unknown[0]!r}")
    return {
        "source": _slug(params, "source"),
        "outlet": _slug(params, "outlet"),
        "ratings": ratings,
        "published_after": _moment(params, "published_after"),
        "published_before": _moment(params, "published_before"),
    }


def statement_filters(params: Mapping) -> dict:
    return {
        "source": _slug(params, "source"),
        "outlet": _slug(params, "outlet"),
        "published_after": _moment(params, "published_after"),
        "published_before": _moment(params, "published_before"),
    }


def _response(lines: Iterator[str], fmt: str, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse((line.encode("utf-8") for line in lines), content_type=FORMATS[fmt])
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def claims_lines(params: Mapping, *, fmt: str) -> Iterator[str]:
    rows = sel.claim_export_rows(**claim_filters(params))
    return _csv_lines(CLAIM_COLUMNS, rows) if fmt == "csv" else _jsonl_lines(_claims_grouped(rows))


def statements_lines(params: Mapping, *, fmt: str) -> Iterator[str]:
    rows = sel.statement_export_rows(**statement_filters(params))
    return _csv_lines(STATEMENT_COLUMNS, rows) if fmt == "csv" else _jsonl_lines(_clean(r) for r in rows)


def claims_stream(filters: dict, *, fmt: str) -> StreamingHttpResponse:
    """The export with filters already read (the partner API's own parameters)."""
    fmt = _format(fmt)
    rows = sel.claim_export_rows(**filters)
    lines = _csv_lines(CLAIM_COLUMNS, rows) if fmt == "csv" else _jsonl_lines(_claims_grouped(rows))
    return _response(lines, fmt, "claims")


def claims_response(params: Mapping, *, fmt: str = "csv") -> StreamingHttpResponse:
    """Filters are checked before the first byte is sent (a bad one raises InvalidInput)."""
    fmt = _format(fmt)
    claim_filters(params)
    return _response(claims_lines(params, fmt=fmt), fmt, "claims")


def statements_stream(filters: dict, *, fmt: str) -> StreamingHttpResponse:
    """The statements export with filters already read (the partner API's own parameters)."""
    fmt = _format(fmt)
    rows = sel.statement_export_rows(**filters)
    lines = _csv_lines(STATEMENT_COLUMNS, rows) if fmt == "csv" else _jsonl_lines(_clean(r) for r in rows)
    return _response(lines, fmt, "statements")


def statements_response(params: Mapping, *, fmt: str = "csv") -> StreamingHttpResponse:
    fmt = _format(fmt)
    statement_filters(params)
    return _response(statements_lines(params, fmt=fmt), fmt, "statements")
