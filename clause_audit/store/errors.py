"""What can go wrong with the audit store, each with a Chinese message a staff member can act on."""

from __future__ import annotations


class StoreError(Exception):
    """The store cannot be opened or used (bad URL, unreadable file, missing driver, database down)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class CaseNotFound(StoreError):
    pass


class ReviewConflict(StoreError):
    """A review decision that would overwrite someone else's: it is refused, never applied silently."""
