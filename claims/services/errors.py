"""Typed application errors raised by services. Views and the API map them to answers."""

from __future__ import annotations


class ApplicationError(Exception):
    """A request the service refuses, with a message a person can act on (Persian for the desk)."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, details: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InvalidInput(ApplicationError):
    code = "invalid_input"


class InputTooLarge(ApplicationError):
    code = "too_large"
    status = 413


class NotPermitted(ApplicationError):
    code = "forbidden"
    status = 403


class Conflict(ApplicationError):
    """The record already exists (a second registration of the same thing)."""

    code = "conflict"
    status = 409


class InvalidTransition(ApplicationError):
    code = "invalid_transition"
    status = 409


class NotFound(ApplicationError):
    code = "not_found"
    status = 404


def require_perm(actor, perm: str, message: str) -> None:
    """Refuse with ``message`` unless ``actor`` holds ``perm`` (services check this
    themselves, so a door that forgets is still refused)."""
    if actor is None or not actor.has_perm(perm):
        raise NotPermitted(message)
