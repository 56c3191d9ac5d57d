"""The review status of a stored finding, as staff decide it, and its Chinese name."""

from __future__ import annotations

REVIEW_STATUSES = ("open", "confirmed", "dismissed")
REVIEW_DECISIONS = ("confirmed", "dismissed")
REVIEW_STATUS_NAMES = {"open": "待复核", "confirmed": "确认", "dismissed": "驳回"}
