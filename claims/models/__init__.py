from .articles import Article, ArticleState, Attribution, AttributionKind, IngestJob, IngestRow, ReviewState
from .claims import (
    Claim,
    ClaimChangeProposal,
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
from .exchange import ExternalReview
from .feeds import Feed, FeedEntry
from .partners import APIKey, ArticleSubmission, Partner, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .sources import Position, Source, SourceAlias, SourceCandidate, SourceKind
from .statements import ArticleBand, Statement, StatementBand

__all__ = [
    "APIKey",
    "Article",
    "ArticleBand",
    "ArticleState",
    "ArticleSubmission",
    "Attribution",
    "AttributionKind",
    "Claim",
    "ClaimChangeProposal",
    "ClaimEvent",
    "ClaimFigure",
    "ClaimMatch",
    "ClaimStatus",
    "ConsistencyFlag",
    "Evidence",
    "ExternalReview",
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
    "Statement",
    "StatementBand",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
