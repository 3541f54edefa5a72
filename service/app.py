"""The FastAPI application: built by `create_app`, model loaded once in the lifespan.

Privacy rules enforced here, for every route:
- logs carry request ids, routes, sizes, timings and status codes only, never note text or
  the raw path (a per-key LanguageTool URL contains the key);
- validation errors never echo the submitted input (pydantic v2 puts the whole object in
  `input` for a missing field), and server errors return a generic message and the request id;
- request bodies are limited by the bytes actually streamed, not by `Content-Length`.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from threading import Lock
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.db import AccessLogEntry, make_engine, make_sessionmaker
from service.settings import Settings, get_settings

logger = logging.getLogger("st_nlp.service")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class BodyLimitMiddleware:
    """Rejects bodies larger than the limit with 413, counting the bytes actually received.

    Ordinary requests are read whole (they are small) and replayed to the app. Uploads to
    `upload_paths` stream through a counting `receive` with their own, larger limit, so a large
    audit file is never held in memory.
    """

    def __init__(
        self, app: Any, limit: int, upload_limit: int = 0, upload_paths: tuple[str, ...] = ()
    ) -> None:
        self.app = app
        self.limit = limit
        self.upload_limit = upload_limit
        self.upload_paths = upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "POST" and scope["path"] in self.upload_paths:
            await self._stream(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:
                response = JSONResponse(
                    {"detail": f"request body larger than {self.limit} bytes"}, status_code=413
                )
                await response(scope, receive, send)
                return
            chunks.append(body)
            more = message.get("more_body", False)
        payload = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": payload, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _stream(self, scope: Scope, receive: Receive, send: Send) -> None:
        size = 0

        async def counting() -> Message:
            nonlocal size
            message = await receive()
            size += len(message.get("body", b""))
            if size > self.upload_limit:
                # FastAPI re-raises an HTTPException met while reading the body: a clean 413.
                raise HTTPException(
                    status_code=413, detail=f"upload larger than {self.upload_limit} bytes"
                )
            return message

        await self.app(scope, counting, send)


class RequestContextMiddleware:
    """Per request: an id (`request.state.request_id`, echoed in `X-Request-ID`), one log line
    with the route, status, timings and size (never the path or the body), and a generic 500
    naming only the request id when the app raises.

    Pure ASGI rather than `@app.middleware("http")` (Starlette's `BaseHTTPMiddleware`), which
    runs the rest of the app in a task of its own and passes the response through a memory
    stream, on every request; here the messages go straight through. The route's
    `request.state` is `scope["state"]`, so the model's share (`model_ms`) is read from there.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = str(uuid.uuid4())
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.perf_counter()
        status: int | None = None

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as error:  # never echo the exception text: it may quote the note
            logger.error(
                "request_id=%s route=%s error=%s",
                request_id,
                _route_name(scope),
                type(error).__name__,
            )
            if status is not None:
                raise  # the response has begun: nothing else can be sent
            await JSONResponse(
                {"detail": "internal server error", "request_id": request_id},
                status_code=500,
                headers={"X-Request-ID": request_id},
            )(scope, receive, send)
            status = 500
        model_ms = state.get("model_ms")
        logger.info(
            "request_id=%s method=%s route=%s status=%s ms=%.1f model_ms=%s bytes_in=%s",
            request_id,
            scope["method"],
            _route_name(scope),
            status,
            (time.perf_counter() - started) * 1000,
            "-" if model_ms is None else f"{model_ms:.1f}",
            Headers(scope=scope).get("content-length", "0"),
        )


class RateLimiter:
    """Sliding one-minute window per key."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.calls: dict[str, deque[float]] = defaultdict(deque)
        self.lock = Lock()

    def retry_after(self, key: str) -> int:
        """0 when the call may go ahead (and is counted), else seconds to wait."""
        now = time.monotonic()
        with self.lock:
            window = self.calls[key]
            while window and now - window[0] > 60:
                window.popleft()
            if len(window) >= self.per_minute:
                return max(1, int(60 - (now - window[0])) + 1)
            window.append(now)
            return 0


def _route_name(scope: Scope) -> str:
    """The route's template ("/v2/check"), never the raw path: a per-key URL holds the key."""
    return getattr(scope.get("route"), "path", "unmatched")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import anyio

        from service.worker import ModelWorker

        app.state.reviewer = None
        worker = ModelWorker(settings.model)
        await anyio.to_thread.run_sync(worker.wait_ready)
        app.state.reviewer = worker
        audit_worker.start()
        yield
        audit_worker.close()
        worker.close()

    app = FastAPI(
        title="st-nlp review service",
        version="1.0.0",
        description=(
            "Safe & Together™-informed review of child-welfare case notes. Offsets in /v1"
            " responses are Unicode code points into the submitted text; /v2/check offsets are"
            " UTF-16 code units, as LanguageTool clients expect."
        ),
        lifespan=lifespan,
    )
    app.state.settings = settings
    engine = make_engine(settings.sqlalchemy_url)
    app.state.sessions = make_sessionmaker(engine)
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute)
    app.add_middleware(
        BodyLimitMiddleware,
        limit=settings.max_body_bytes,
        upload_limit=settings.max_upload_bytes,
        upload_paths=("/v1/audits",),
    )
    from service.audit_worker import AuditWorker

    audit_worker = AuditWorker(
        app.state.sessions,
        settings.data_dir,
        settings.sqlalchemy_url,
        settings.model,
        settings.audit_retention_days,
        settings.job_poll_seconds,
    )
    app.state.audit_worker = audit_worker

    # Outside the body limit, so a request refused for its size is logged with an id too.
    app.add_middleware(RequestContextMiddleware)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {
                "loc": list(item.get("loc", ())),
                "msg": item.get("msg", "invalid"),
                "type": item.get("type", "value_error"),
            }
            for item in error.errors()
        ]
        return JSONResponse(
            {"detail": details, "request_id": getattr(request.state, "request_id", None)},
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        headers = getattr(error, "headers", None)
        status, detail = error.status_code, error.detail
        if status == 400 and detail == "There was an error parsing the body":
            # FastAPI's answer to undecodable bytes; it is a validation problem of the body.
            status, detail = 422, "request body is not valid UTF-8 JSON"
        return JSONResponse(
            {"detail": detail, "request_id": getattr(request.state, "request_id", None)},
            status_code=status,
            headers=headers,
        )

    from service.routes import audits, check, example_sets, meta, review, web

    app.include_router(meta.router)
    app.include_router(review.router)
    app.include_router(check.router)
    app.include_router(audits.router)
    app.include_router(example_sets.router)
    app.include_router(web.router)
    app.mount("/static", web.WebAssets(directory=web.WEB_DIR), name="static")
    return app


def record_access(
    request: Request, key_id: str | None, action: str, object_id: str | None, status: int
) -> None:
    """Append to the access log: who did what to which object, and the outcome."""
    with request.app.state.sessions() as session:
        session.add(
            AccessLogEntry(
                request_id=getattr(request.state, "request_id", "-"),
                key_id=key_id,
                action=action,
                object_id=object_id,
                status=status,
            )
        )
        session.commit()
