"""`st-nlp serve` and `st-nlp keys`: run the review service and manage its API keys."""

from __future__ import annotations

import logging
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from st_nlp.cli.inputs import fail

keys_app = typer.Typer(help="Create, list and revoke API keys (stored hashed).")


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    local_web_key: bool = typer.Option(
        False,
        "--local-web-key",
        help="Loopback only: create (first run) or reuse an admin key kept in the data directory"
        " and print a sign-in link for the web app.",
    ),
) -> None:
    """Start the review service (web app, API, LanguageTool-compatible endpoint)."""
    import os

    import uvicorn

    from service.local_key import is_loopback

    os.environ["ST_NLP_HOST"] = host
    os.environ["ST_NLP_PORT"] = str(port)
    from service.app import create_app
    from service.settings import get_settings

    get_settings.cache_clear()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    url = f"http://{host}:{port}"
    if local_web_key:
        if not is_loopback(host):
            raise fail(
                f"--local-web-key needs a loopback --host (127.0.0.1 or localhost), not {host!r};"
                " create keys with `st-nlp keys create --role ROLE` instead"
            )
        from service.local_key import KEY_FILE, ensure_local_key

        with _sessions()() as session:
            key, created = ensure_local_key(session, get_settings().data_dir)
        where = get_settings().data_dir / KEY_FILE
        typer.echo(
            f"{'Created' if created else 'Using'} the local web-app key (admin, kept in {where})."
        )
        typer.echo(f"Open this link to sign in and paste a note:  {url}/#key={key}")
    typer.echo(f"st-nlp web app on {url}/  (API docs: {url}/docs)")
    # uvicorn's own access log prints raw paths, which can hold a per-key URL: ours is used.
    uvicorn.run(create_app(), host=host, port=port, access_log=False, log_level="info")


def _sessions() -> Any:
    from service.db import make_engine, make_sessionmaker
    from service.settings import get_settings

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_sessionmaker(make_engine(settings.sqlalchemy_url))


@keys_app.command("create")
def keys_create(
    role: str = typer.Option(..., "--role", help="caseworker, supervisor, trainer or admin."),
    owner: str = typer.Option("unnamed", "--owner", help="Who holds the key."),
    unit: str | None = typer.Option(None, "--unit", help="The holder's unit (for supervisors)."),
) -> None:
    """Create a key and print it on stdout (shown once; only its hash is stored)."""
    from service.keys import Role, create_key

    try:
        parsed = Role(role)
    except ValueError:
        raise fail(
            f"--role must be one of {', '.join(r.value for r in Role)}, not {role!r}"
        ) from None
    with _sessions()() as session:
        key, row = create_key(session, parsed, owner, unit)
    typer.echo(key)
    typer.echo(f"created key {row.id} ({parsed.value}) for {owner}", err=True)


@keys_app.command("list")
def keys_list() -> None:
    """List keys: id, prefix, role, owner, unit, created, revoked."""
    from service.keys import list_keys

    with _sessions()() as session:
        rows = list_keys(session)
    table = Table()
    for column in ("id", "prefix", "role", "owner", "unit", "created", "revoked"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row.id,
            row.prefix + "…",
            row.role,
            row.owner,
            row.unit or "-",
            row.created_at.isoformat(timespec="seconds"),
            row.revoked_at.isoformat(timespec="seconds") if row.revoked_at else "-",
        )
    Console().print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: str = typer.Argument(..., help="The key's id (from `keys list`).")) -> None:
    """Revoke a key; requests with it get 401 from then on."""
    from service.keys import revoke_key

    with _sessions()() as session:
        if not revoke_key(session, key_id):
            raise fail(f"no active key with id {key_id}")
    typer.echo(f"revoked {key_id}")
