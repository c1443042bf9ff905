"""Reads of the proposals to change published claims (the senior editors' queue)."""

from __future__ import annotations

from django.db.models import QuerySet

from claims.models import Claim, ClaimChangeProposal


def _proposals() -> QuerySet[ClaimChangeProposal]:
    return ClaimChangeProposal.objects.select_related(
        "claim",
        "source_claim",
        "proposed_by",
        "attribution",
        "attribution__article",
        "attribution__article__publisher",
        "attribution__source",
    )


def open_proposals() -> QuerySet[ClaimChangeProposal]:
    """Every open proposal, oldest first (the order they should be decided in)."""
    return _proposals().filter(state=ClaimChangeProposal.State.OPEN).order_by("created_at", "id")


def open_proposals_for(claim: Claim) -> list[ClaimChangeProposal]:
    return list(open_proposals().filter(claim=claim))


def open_proposal_count() -> int:
    # Bounded by the partial index on open proposals (state, created_at).
    return ClaimChangeProposal.objects.filter(state=ClaimChangeProposal.State.OPEN).count()
