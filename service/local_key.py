"""The web UI's local key for `make run`: one admin key for the person at this machine.

`st-nlp serve --local-web-key` creates it on first run and keeps the plaintext in
`<data_dir>/web-ui.key` (mode 0600, like an SSH key) so later runs can print the same sign-in
link; only its hash is in the database, as for every key. It is refused unless the service
listens on loopback: on a shared host, keys are created by an admin with `st-nlp keys create`.
Revoking it (`st-nlp keys revoke`) makes the next run create a fresh one.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

from sqlalchemy.orm import Session

from service.keys import Role, create_key, find_key

KEY_FILE = "web-ui.key"
OWNER = "local-web-ui"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def ensure_local_key(session: Session, data_dir: Path) -> tuple[str, bool]:
    """The local key (reused while it is valid) and whether it was created now."""
    path = data_dir / KEY_FILE
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if find_key(session, key) is not None:
            return key, False
    key, _ = create_key(session, Role.ADMIN, OWNER)
    data_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    path.chmod(0o600)
    return key, True
