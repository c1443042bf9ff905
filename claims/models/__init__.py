from .articles import Article, ArticleState, Attribution, AttributionKind, IngestJob, IngestRow, ReviewState
from .claims import (
    Claim,
    ClaimEvent,
    ClaimFigure,
    ClaimMatch,
    ClaimStatus,
    ConsistencyFlag,
    Evidence,
    MatchBand,
    MatchKey,
    Rating,
)
from .feeds import Feed, FeedEntry
from .partners import APIKey, ArticleSubmission, Partner, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .sources import Position, Source, SourceAlias, SourceCandidate, SourceKind

__all__ = [
    "APIKey",
    "Article",
    "ArticleState",
    "ArticleSubmission",
    "Attribution",
    "AttributionKind",
    "Claim",
    "ClaimEvent",
    "ClaimFigure",
    "ClaimMatch",
    "ClaimStatus",
    "ConsistencyFlag",
    "Evidence",
    "Feed",
    "FeedEntry",
    "IngestJob",
    "IngestRow",
    "MatchBand",
    "MatchKey",
    "Partner",
    "Position",
    "Rating",
    "ReviewState",
    "Source",
    "SourceAlias",
    "SourceCandidate",
    "SourceKind",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
