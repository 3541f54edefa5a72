"""The web app: three static pages and their ES modules, served by the service itself.

No build step and no third-party assets: the pages work offline. Every page and asset is sent
with a strict Content-Security-Policy (scripts only from this origin, no inline script), so
note text rendered into the page can never run as code. The API key lives in the browser's
sessionStorage and travels as `Authorization: Bearer`; these routes themselves need no key
because they hold no data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse
from starlette.staticfiles import StaticFiles

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
PAGES = {"/": "index.html", "/audits": "audits.html", "/example-sets": "example-sets.html"}
SECURITY_HEADERS = {
    # The audit report is shown in a sandboxed srcdoc iframe and carries inline CSS.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
        " img-src 'self' data: blob:; frame-src 'self' blob:; connect-src 'self';"
        " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


def _page(name: str) -> Any:
    def serve_page() -> FileResponse:
        return FileResponse(WEB_DIR / name, media_type="text/html", headers=SECURITY_HEADERS)

    serve_page.__name__ = f"page_{name.split('.')[0].replace('-', '_')}"
    return serve_page


for path, page in PAGES.items():
    router.add_api_route(path, _page(page), methods=["GET"])


class WebAssets(StaticFiles):
    """Static files with the pages' security headers."""

    def file_response(self, *args: Any, **kwargs: Any) -> Any:
        response = super().file_response(*args, **kwargs)
        response.headers.update(SECURITY_HEADERS)
        return response
