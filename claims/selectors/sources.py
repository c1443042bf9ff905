"""Reads of the source registry."""

from __future__ import annotations

from claims.models import SourceAlias


def alias_table() -> dict[str, int]:
    """normalize_key(alias) -> source id, for the extractor's registry resolution.

    A key shared by two sources is ambiguous; the lower id wins so the answer is stable."""
    table: dict[str, int] = {}
    for key, source_id in SourceAlias.objects.order_by("-source_id").values_list("key", "source_id"):
        table[key] = source_id
    return table
