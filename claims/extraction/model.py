"""The frozen result types of the extractor."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Quantity:
    text: str
    start: int
    end: int
    value: float
    unit: str
    qualifier: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class DateMention:
    text: str
    start: int
    end: int
    iso: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attributed statement. Offsets index the raw input text."""

    source: str
    source_start: int
    source_end: int
    source_resolved: str
    cue: str
    cue_start: int
    cue_end: int
    content: str
    content_start: int
    content_end: int
    kind: str
    source_id: int | None = None
    via: str | None = None
    via_start: int | None = None
    via_end: int | None = None
    via_id: int | None = None
    hedged: bool = False
    confidence: float = 0.5
    quantities: tuple[Quantity, ...] = field(default_factory=tuple)
    dates: tuple[DateMention, ...] = field(default_factory=tuple)
    # Filled from a registry (``extract(..., registry=...)``): the entry the source
    # names (the person when known) and the office spoken for.
    source_slug: str | None = None
    office_slug: str | None = None
    office_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "source_start": self.source_start,
            "source_end": self.source_end,
            "source_resolved": self.source_resolved,
            "source_id": self.source_id,
            "source_slug": self.source_slug,
            "office_slug": self.office_slug,
            "office_id": self.office_id,
            "cue": self.cue,
            "cue_start": self.cue_start,
            "cue_end": self.cue_end,
            "content": self.content,
            "content_start": self.content_start,
            "content_end": self.content_end,
            "kind": self.kind,
            "via": self.via,
            "via_start": self.via_start,
            "via_end": self.via_end,
            "via_id": self.via_id,
            "hedged": self.hedged,
            "confidence": round(self.confidence, 3),
            "quantities": [q.to_dict() for q in self.quantities],
            "dates": [d.to_dict() for d in self.dates],
        }
