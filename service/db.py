"""Persistence with SQLAlchemy: API keys (hashed), audit jobs, example sets and the append-only
access log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, UniqueConstraint, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker


class Base(DeclarativeBase):
    pass


def utcnow() -> datetime:
    return datetime.now(UTC)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    prefix: Mapped[str] = mapped_column(String(12))
    role: Mapped[str] = mapped_column(String(16))
    owner: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str | None] = mapped_column(String(120), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AccessLogEntry(Base):
    """Who did what to which object, when, with what outcome. Never any note text."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    request_id: Mapped[str] = mapped_column(String(36))
    key_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[int] = mapped_column(Integer)


class AuditJob(Base):
    """A batch audit submitted over HTTP. Holds counts and states, never note text.

    The uploaded file and the outputs live in the job's folder under the data directory, and
    are deleted (state `purged`) once the retention period after the job ended has passed.
    """

    __tablename__ = "audit_jobs"
    __table_args__ = (UniqueConstraint("key_id", "idempotency_key", name="uq_job_idempotency"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    key_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    unit: Mapped[str | None] = mapped_column(String(120), nullable=True, index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    input_format: Mapped[str] = mapped_column(String(8))
    input_bytes: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    sentences: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    failure: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ExampleSetRow(Base):
    """A trainer's de-identified example set. The files live under `example_sets/<id>/`."""

    __tablename__ = "example_sets"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    key_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    unit: Mapped[str | None] = mapped_column(String(120), nullable=True, index=True)
    label: Mapped[str] = mapped_column(String(40))
    subtype: Mapped[str | None] = mapped_column(String(40), nullable=True)
    source: Mapped[str] = mapped_column(String(64))
    items: Mapped[int] = mapped_column(Integer, default=0)
    reviewed_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def make_engine(url: str) -> Engine:
    sqlite = url.startswith("sqlite")
    # Audit workers write progress from another process: wait for SQLite's lock, don't fail.
    connect_args: dict[str, object] = {"check_same_thread": False, "timeout": 30} if sqlite else {}
    engine = create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    if sqlite:
        event.listen(engine, "connect", _sqlite_write_ahead_log)
    Base.metadata.create_all(engine)
    return engine


def _sqlite_write_ahead_log(connection: Any, _: Any) -> None:
    """Write-ahead logging, every commit still synced to disk (`synchronous=FULL`).

    Each review writes an access-log entry before it answers. In SQLite's default rollback
    journal a commit syncs the journal and the database, 0.7 ms on this project's 2-core VM and
    more while the model worker keeps the machine busy; appending to the write-ahead log syncs
    once, 0.2 ms, and is as durable. Readers (job status) no longer wait for the audit worker's
    writes either. The mode is stored in the database file; the `-wal` and `-shm` files beside
    it hold the same rows as the database, never note text. An in-memory database ignores it.
    """
    cursor = connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
    finally:
        cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker:  # type: ignore[type-arg]
    return sessionmaker(engine, expire_on_commit=False)
