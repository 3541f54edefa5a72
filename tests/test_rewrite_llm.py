"""The optional LLM backend against real local HTTP stubs speaking chat-completions."""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from st_nlp import Reviewer
from st_nlp.rewrite.llm import ChatCompletionsBackend, LLMConfigError, LLMSettings, check_endpoint
from st_nlp.rewrite.rewriter import FactBasedRewriter

NOTE = "FOB Daniel Reyes punched BM on 3/9.\nThe parents have a volatile relationship."
GOOD = "FOB Daniel Reyes [specific behavior toward BM: what, when]; BM [what BM did to stay safe]."
INVENTED = 'FOB Daniel Reyes choked BM on 4/4/22 and told her "you\'re dead".'


class _Stub:
    """A chat-completions server on 127.0.0.1 (a real socket) with a configurable reply."""

    def __init__(self, reply: str, delay: float = 0.0) -> None:
        self.reply, self.delay = reply, delay
        self.requests: list[dict[str, Any]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                stub.requests.append(
                    {"path": self.path, "body": json.loads(self.rfile.read(length))}
                )
                time.sleep(stub.delay)
                body = json.dumps(
                    {
                        "id": "chatcmpl-1",
                        "object": "chat.completion",
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": stub.reply},
                                "finish_reason": "stop",
                            }
                        ],
                    }
                ).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub() -> Iterator[_Stub]:
    server = _Stub(GOOD)
    yield server
    server.close()


def _with_llm(reviewer: Reviewer, url: str, timeout: float = 5.0) -> Reviewer:
    backend = ChatCompletionsBackend(
        LLMSettings(enabled=True, base_url=url, model="local-test", timeout_s=timeout)
    )
    clone = copy.copy(reviewer)
    clone.rewriter = FactBasedRewriter(clone, None, backend)
    return clone


def _mutual(reviewer: Reviewer) -> list[dict[str, Any]]:
    sentence = reviewer.review(NOTE).sentences[1]
    return sentence.suggestions


def test_llm_draft_that_passes_the_checks_comes_first(
    rewriting_reviewer: Reviewer, stub: _Stub
) -> None:
    suggestions = _mutual(_with_llm(rewriting_reviewer, stub.url))
    assert suggestions[0]["strategy"] == "llm"
    assert suggestions[0]["text"] == GOOD
    assert 1 <= len(suggestions) <= 3
    request = stub.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["body"]["model"] == "local-test"
    assert request["body"]["temperature"] == 0
    assert request["body"]["messages"][0]["role"] == "system"
    assert "volatile relationship" in request["body"]["messages"][-1]["content"]


def test_llm_draft_with_an_invented_fact_is_rejected(
    rewriting_reviewer: Reviewer, stub: _Stub
) -> None:
    stub.reply = INVENTED
    suggestions = _mutual(_with_llm(rewriting_reviewer, stub.url))
    assert stub.requests, "the stub was asked"
    assert suggestions, "the built-in suggestions remain"
    assert all(s["strategy"] != "llm" for s in suggestions)
    assert all("4/4/22" not in s["text"] for s in suggestions)


def test_llm_timeout_falls_back_to_the_built_in_suggestions(rewriting_reviewer: Reviewer) -> None:
    slow = _Stub(GOOD, delay=3.0)
    try:
        reviewer = _with_llm(rewriting_reviewer, slow.url, timeout=0.5)
        suggestions = _mutual(reviewer)
    finally:
        slow.close()
    assert suggestions
    assert all(s["strategy"] != "llm" for s in suggestions)
    built_in = _mutual(rewriting_reviewer)
    assert [s["text"] for s in suggestions] == [s["text"] for s in built_in]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/v1",
        "http://localhost:8000/v1",
        "http://10.1.2.3/v1",
        "http://[::1]:9/",
    ],
)
def test_llm_local_and_private_endpoints_are_allowed(url: str) -> None:
    check_endpoint(url)


@pytest.mark.parametrize("url", ["http://8.8.8.8/v1", "https://1.1.1.1/v1"])
def test_llm_public_endpoints_are_refused_unless_allowed(url: str) -> None:
    with pytest.raises(LLMConfigError, match="must not leave the agency"):
        check_endpoint(url)
    check_endpoint(url, allow_remote=True)


def test_llm_is_off_by_default_and_needs_url_and_model(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ENABLED", "BASE_URL", "MODEL"):
        monkeypatch.delenv(f"ST_NLP_LLM_{name}", raising=False)
    assert ChatCompletionsBackend.from_env() is None
    monkeypatch.setenv("ST_NLP_LLM_ENABLED", "true")
    with pytest.raises(LLMConfigError, match="BASE_URL and ST_NLP_LLM_MODEL"):
        ChatCompletionsBackend.from_env()
    monkeypatch.setenv("ST_NLP_LLM_BASE_URL", "http://8.8.8.8/v1")
    monkeypatch.setenv("ST_NLP_LLM_MODEL", "m")
    with pytest.raises(LLMConfigError):
        ChatCompletionsBackend.from_env()
