"""The service's SQLite settings, on a real database file."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import text

from service.db import AccessLogEntry, make_engine, make_sessionmaker


def test_sqlite_commits_append_to_a_synced_write_ahead_log(tmp_path: Path) -> None:
    path = tmp_path / "st-nlp.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        session.add(AccessLogEntry(request_id="r-1", key_id=None, action="review", status=200))
        session.commit()
    # A plain connection, as the audit worker or a backup tool opens one, sees the row.
    with closing(sqlite3.connect(path)) as other:
        rows = other.execute("SELECT action, status FROM access_log").fetchall()
    assert rows == [("review", 200)]
    engine.dispose()
