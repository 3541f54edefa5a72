"""Optional LLM drafts from an OpenAI-compatible chat-completions endpoint the agency hosts.

Off by default. WARNING: case notes must not leave the agency. The backend only talks to
loopback or private-network hosts (127.0.0.0/8, ::1, 10/8, 172.16/12, 192.168/16, fc00::/7,
`localhost`); any other host is refused at load time unless `ST_NLP_LLM_ALLOW_REMOTE=true` is
set deliberately (for an endpoint inside the agency's network under a public name).

Settings (environment variables):
  ST_NLP_LLM_ENABLED=true          turn the backend on
  ST_NLP_LLM_BASE_URL=http://127.0.0.1:8080/v1   the endpoint's base URL (`/chat/completions`
                                   is appended)
  ST_NLP_LLM_MODEL=<name>          the model name the endpoint expects
  ST_NLP_LLM_TIMEOUT_S=10          seconds per request; on timeout the built-in draft is used
  ST_NLP_LLM_API_KEY=<key>         optional bearer token
  ST_NLP_LLM_ALLOW_REMOTE=false    see the warning above

A model's draft passes the same run-time checks as a built-in one (facts kept, no invented
names, numbers or quotes, not blaming, no control characters); when it fails them, or the
request fails or times out, the built-in suggestions are returned. Nothing about the request
or response text is logged: errors are reduced to their type.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SYSTEM_PROMPT = (
    "You rewrite one sentence of a child-welfare case note following the Safe & Together"
    " Model. Name the person who caused harm and what they did; record the survivor's"
    " protective efforts and the children's actual experience; never blame the survivor, never"
    " describe violence as mutual, never minimize or excuse it, never use a label instead of a"
    " behavior. Keep every name, date, time, number and quoted span of the sentence exactly."
    " Never invent facts: anything the note does not say goes in a [bracketed prompt] for the"
    " caseworker to fill in. Answer with the rewritten sentence only."
)


class LLMConfigError(ValueError):
    """The LLM settings are incomplete or point outside the agency."""


class LLMSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ST_NLP_LLM_", extra="forbid")

    enabled: bool = False
    base_url: str | None = None
    model: str | None = None
    timeout_s: float = 10.0
    api_key: SecretStr | None = None
    allow_remote: bool = False
    max_tokens: int = 400


def _is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_loopback or ip.is_private or ip.is_link_local


def check_endpoint(base_url: str, allow_remote: bool = False) -> None:
    """Refuse an endpoint outside loopback/private networks unless explicitly allowed."""
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise LLMConfigError("ST_NLP_LLM_BASE_URL must be an http(s) URL with a host")
    if allow_remote:
        return
    host = parts.hostname
    try:
        addresses = [host] if _literal_ip(host) else _resolve(host)
    except OSError:
        raise LLMConfigError(f"cannot resolve the LLM host {host!r}") from None
    if not addresses or not all(_is_internal(a) for a in addresses):
        raise LLMConfigError(
            f"refusing LLM host {host!r}: case notes must not leave the agency; use a loopback"
            " or private-network endpoint, or set ST_NLP_LLM_ALLOW_REMOTE=true if this host is"
            " inside the agency"
        )


def _literal_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _resolve(host: str) -> list[str]:
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})


class ChatCompletionsBackend:
    """Asks an OpenAI-compatible endpoint for one rewrite; returns None on any failure."""

    def __init__(self, settings: LLMSettings) -> None:
        if not settings.base_url or not settings.model:
            raise LLMConfigError("ST_NLP_LLM_BASE_URL and ST_NLP_LLM_MODEL must both be set")
        check_endpoint(settings.base_url, settings.allow_remote)
        self.settings = settings
        self.url = settings.base_url.rstrip("/") + "/chat/completions"
        headers = {}
        if settings.api_key is not None:
            headers["Authorization"] = f"Bearer {settings.api_key.get_secret_value()}"
        self.client = httpx.Client(timeout=settings.timeout_s, headers=headers, trust_env=False)

    @classmethod
    def from_env(cls) -> ChatCompletionsBackend | None:
        """The configured backend, or None when `ST_NLP_LLM_ENABLED` is not true."""
        settings = LLMSettings()
        return cls(settings) if settings.enabled else None

    def messages(
        self,
        sentence: str,
        note: str,
        parties: dict[str, str | None],
        problems: Sequence[str],
        examples: Sequence[tuple[str, str]],
    ) -> list[dict[str, str]]:
        """System rules, the curated examples as turns, then the note and the sentence."""
        messages = [{"role": "system", "content": SYSTEM_PROMPT}]
        for original, rewrite in examples:
            messages.append({"role": "user", "content": f"Sentence: {original}"})
            messages.append({"role": "assistant", "content": rewrite})
        known = ", ".join(f"{role}: {name}" for role, name in parties.items() if name)
        messages.append(
            {
                "role": "user",
                "content": (
                    f"Note (context only):\n{note}\n\nParties: {known or 'unknown'}\n"
                    f"Problems: {', '.join(problems) or 'vague characterization'}\n"
                    f"Sentence: {sentence}"
                ),
            }
        )
        return messages

    def complete(self, messages: list[dict[str, str]]) -> str | None:
        """The first choice's text, or None on timeout, HTTP error or a malformed reply."""
        body: dict[str, Any] = {
            "model": self.settings.model,
            "messages": messages,
            "temperature": 0,
            "seed": 0,
            "max_tokens": self.settings.max_tokens,
        }
        try:
            response = self.client.post(self.url, json=body)
            response.raise_for_status()
            content = response.json()["choices"][0]["message"]["content"]
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError):
            return None
        if not isinstance(content, str) or not content.strip():
            return None
        return content.strip().splitlines()[0].strip()
