"""Service configuration from environment variables (prefix `ST_NLP_`) or a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting can be set as `ST_NLP_<NAME>` (e.g. `ST_NLP_DATA_DIR=/srv/st-nlp`)."""

    model_config = SettingsConfigDict(env_prefix="ST_NLP_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="SQLite file, keys, audit files.")
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL (e.g. postgresql+psycopg://...); default SQLite in data_dir.",
    )
    model: str | None = Field(None, description="Model folder; default: the bundled model.")
    max_body_bytes: int = Field(1_000_000, description="Largest request body (413 above).")
    max_note_chars: int = Field(100_000, description="Longest note text (422 above).")
    max_sentences: int = Field(500, description="Most sentences per classify request.")
    max_upload_bytes: int = Field(
        100_000_000,
        description="Largest audit upload (413 above); other bodies use max_body_bytes.",
    )
    audit_retention_days: float = Field(
        30.0, description="Days an audit's input and outputs are kept after it ends, then purged."
    )
    job_poll_seconds: float = Field(1.0, description="How often the audit worker looks for work.")
    rate_limit_per_minute: int = Field(120, description="Requests per key per minute (429 above).")
    allow_anonymous_on_loopback: bool = Field(
        False, description="Allow LanguageTool checks without a key, only when bound to loopback."
    )
    host: str = "127.0.0.1"
    port: int = 8000

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'st-nlp.sqlite3').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
