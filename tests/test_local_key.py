"""The web app's local key for `make run`: created once, kept private, loopback only."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

from live_server import service_env

from service.db import make_engine, make_sessionmaker
from service.keys import Role, find_key, revoke_key
from service.local_key import KEY_FILE, ensure_local_key


def test_local_key_is_created_once_kept_private_and_renewed_after_revocation(
    tmp_path: Path,
) -> None:
    sessions = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}"))
    with sessions() as session:
        key, created = ensure_local_key(session, tmp_path)
        assert created
        principal = find_key(session, key)
        assert principal is not None and principal.role is Role.ADMIN
        path = tmp_path / KEY_FILE
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_text(encoding="utf-8").strip() == key
        assert ensure_local_key(session, tmp_path) == (key, False)
        assert revoke_key(session, principal.key_id or "")
        renewed, created = ensure_local_key(session, tmp_path)
        assert created and renewed != key and find_key(session, renewed) is not None


def test_local_key_is_refused_off_loopback(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "st_nlp", "serve", "--host", "0.0.0.0", "--local-web-key"]
    result = subprocess.run(
        command, env=service_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "--local-web-key needs a loopback --host" in result.stderr
    assert not (tmp_path / KEY_FILE).exists()
