"""Rectification checks (整改复查): an earlier version's findings against its revision's."""

from clause_audit.recheck.comparison import SIMILARITY_THRESHOLD, STATUS_NAMES, Flag, Outcome, Recheck, compare

__all__ = ["SIMILARITY_THRESHOLD", "STATUS_NAMES", "Flag", "Outcome", "Recheck", "compare"]
