"""The tables of the audit store: merchants, audits (one per saved document) and their findings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# named constraints, so that migrations can refer to them on SQLite and PostgreSQL alike
_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=_NAMING)


class Merchant(Base):
    __tablename__ = "merchants"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)

    audits: Mapped[list[Audit]] = relationship(back_populates="merchant")


class Audit(Base):
    """One audited document as saved: a document audited twice gives two rows with one content hash."""

    __tablename__ = "audits"
    __table_args__ = (Index("ix_audits_content_hash", "content_hash"), Index("ix_audits_audited_at", "audited_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    merchant_id: Mapped[int | None] = mapped_column(ForeignKey("merchants.id"))
    domain: Mapped[str] = mapped_column(String(20))
    rules_version: Mapped[str] = mapped_column(String(64))
    clause_count: Mapped[int] = mapped_column(Integer)
    audited_at: Mapped[datetime]  # UTC, without tzinfo (SQLite keeps none)

    merchant: Mapped[Merchant | None] = relationship(back_populates="audits")
    findings: Mapped[list[FindingRow]] = relationship(
        back_populates="audit", cascade="all, delete-orphan", order_by="FindingRow.id"
    )


class FindingRow(Base):
    """A finding of one audit, with its review decision. `version` guards concurrent reviews."""

    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_fingerprint", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(10))
    clause_number: Mapped[str] = mapped_column(String(60))
    clause_text: Mapped[str] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[list[str]] = mapped_column(JSON)
    suggestion: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default="open")
    reviewer: Mapped[str] = mapped_column(String(100), default="")
    reviewer_note: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    audit: Mapped[Audit] = relationship(back_populates="findings")

    __mapper_args__ = {"version_id_col": version}
