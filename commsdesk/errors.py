"""Domain errors; the web layer turns each into a clear message and status code."""


class DomainError(Exception):
    """Base class: a request the domain refuses, with a message for the user."""

    status = 400

    def __init__(self, message, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class ValidationError(DomainError):
    status = 422


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class RateLimited(DomainError):
    status = 429
