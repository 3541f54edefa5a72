"""A LanguageTool-compatible endpoint, so caseworkers get feedback in the editors they use.

LanguageTool's browser add-on, LibreOffice and LTeX can point at a self-hosted server URL.
Matches are the blaming-language findings (the exact words) plus one `ST_NLP_REWRITE` match per
sentence with a fact-based rewrite as its replacement. Offsets and lengths are UTF-16 code
units, as LanguageTool clients expect. The key comes from `Authorization: Bearer`, the `apiKey`
form field, or the per-key base URL `/lt/{key}/v2/...` for clients that can send neither.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request

from service.app import record_access
from service.deps import (
    ANONYMOUS,
    anonymous_allowed,
    authenticate,
    bearer_key,
    error_responses,
    get_reviewer,
)
from service.keys import Principal
from service.routes.review import review_text
from service.text import has_lone_surrogate, utf16_offset
from st_nlp import __version__
from st_nlp.text_view import TextView, ViewBuilder

router = APIRouter(tags=["languagetool"])
LANGUAGES = [
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "English (Canadian)", "code": "en", "longCode": "en-CA"},
    {"name": "English (Australian)", "code": "en", "longCode": "en-AU"},
]
REWRITE_RULE = "ST_NLP_REWRITE"
CONTEXT_CHARS = 40
DOCS_URL = "https://safeandtogetherinstitute.com/the-safe-together-model"
ERRORS = error_responses(
    e400="unsupported language or neither text nor data given",
    e403="the key's role may not check",
    e413="request body too large",
    e422="invalid form fields",
)


def _annotated_text(text: str | None, data: str | None) -> tuple[str, TextView]:
    """The text as the client sent it and the plain text to check, with the map between them.

    `text` is checked as it is. Of LanguageTool's annotated `data`, the text parts are checked
    with each markup part read as its `interpretAs` (or as nothing), and, as LanguageTool's own
    server does, offsets are reported in the text with its markup: the text and markup parts
    joined, which is what the client's editor holds.
    """
    if text is not None:
        return text, TextView(text)
    if data is None:
        raise HTTPException(status_code=400, detail="give either 'text' or 'data'")
    try:
        annotation = json.loads(data)["annotation"]
        sent: list[str] = []
        shown = ViewBuilder()
        position = 0
        for item in annotation:
            if "text" in item:
                part = str(item["text"])
                shown.copy(part, position)
            else:  # markup: checked as its interpretation, or as nothing
                part = str(item.get("markup", ""))
                shown.show(str(item.get("interpretAs", "")), position, position + len(part))
            sent.append(part)
            position += len(part)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise HTTPException(
            status_code=400, detail="'data' must be LanguageTool annotation JSON"
        ) from None
    return "".join(sent), shown.view()


def _match(
    text: str,
    start: int,
    end: int,
    sentence: str,
    message: str,
    short: str,
    rule: dict[str, Any],
    replacements: list[str],
) -> dict[str, Any]:
    ctx_start = max(0, start - CONTEXT_CHARS)
    ctx_end = min(len(text), end + CONTEXT_CHARS)
    context = text[ctx_start:ctx_end]
    offset = utf16_offset(text, start)
    length = utf16_offset(text, end) - offset
    ctx_offset = utf16_offset(context, start - ctx_start)
    return {
        "message": message,
        "shortMessage": short,
        "replacements": [{"value": value} for value in replacements],
        "offset": offset,
        "length": length,
        "context": {"text": context, "offset": ctx_offset, "length": length},
        "sentence": sentence,
        "type": {"typeName": "Other"},
        "rule": rule,
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }


def _rule(rule_id: str, description: str, issue_type: str, category: str) -> dict[str, Any]:
    return {
        "id": rule_id,
        "description": description,
        "issueType": issue_type,
        "category": {"id": category.upper().replace(" ", "_"), "name": category},
        "urls": [{"value": DOCS_URL}],
    }


def build_matches(
    result: dict[str, Any], text: str, view: TextView | None = None
) -> list[dict[str, Any]]:
    """LanguageTool matches for `result`, a review of `view.text` (of `text` itself when no
    view is given), with offsets in `text`."""
    view = view or TextView(text)
    matches = []
    for sentence in result["sentences"]:
        for finding in sentence["findings"]:
            matches.append(
                _match(
                    text,
                    *view.span(finding["start"], finding["end"]),
                    sentence["text"],
                    finding["message"],
                    finding["subtype"].replace("_", " "),
                    _rule(finding["rule_id"], finding["message"], "style", "Blaming language"),
                    [],
                )
            )
        if sentence["suggestions"]:
            first = sentence["suggestions"][0]
            matches.append(
                _match(
                    text,
                    *view.span(sentence["start"], sentence["end"]),
                    sentence["text"],
                    f"Fact-based rewrite: {first['rationale']}",
                    "fact-based rewrite",
                    _rule(REWRITE_RULE, "Fact-based rewrite (Safe & Together)", "style", "Rewrite"),
                    [s["text"] for s in sentence["suggestions"]],
                )
            )
    return sorted(matches, key=lambda m: (m["offset"], m["length"]))


def _filter(
    matches: list[dict[str, Any]], enabled: str | None, disabled: str | None, only: str | None
) -> list[dict[str, Any]]:
    enabled_ids = {r.strip() for r in (enabled or "").split(",") if r.strip()}
    disabled_ids = {r.strip() for r in (disabled or "").split(",") if r.strip()}
    if (only or "").lower() == "true":
        return [m for m in matches if m["rule"]["id"] in enabled_ids]
    return [m for m in matches if m["rule"]["id"] not in disabled_ids]


def _check(request: Request, principal: Principal, form: dict[str, Any]) -> dict[str, Any]:
    language = form["language"] or "auto"
    if language != "auto" and language not in {x["longCode"] for x in LANGUAGES} | {"en"}:
        raise HTTPException(status_code=400, detail=f"unsupported language: {language[:20]}")
    text, view = _annotated_text(form["text"], form["data"])
    if has_lone_surrogate(text) or has_lone_surrogate(view.text):
        raise HTTPException(status_code=422, detail="text contains a lone surrogate")
    limit = request.app.state.settings.max_note_chars
    if len(view.text) > limit:
        raise HTTPException(status_code=422, detail=f"text longer than {limit} characters")
    result = review_text(get_reviewer(request), view.text, None, request)
    matches = _filter(
        build_matches(result, text, view),
        form["enabledRules"],
        form["disabledRules"],
        form["enabledOnly"],
    )
    record_access(request, principal.key_id, "check", None, 200)
    long_code = "en-US" if language in {"auto", "en"} else language
    name = next(x["name"] for x in LANGUAGES if x["longCode"] == long_code)
    return {
        "software": {
            "name": "st-nlp",
            "version": __version__,
            "buildDate": None,
            "apiVersion": 1,
            "premium": False,
            "status": "",
        },
        "language": {
            "name": name,
            "code": long_code,
            "detectedLanguage": {"name": name, "code": long_code, "confidence": 1.0},
        },
        "matches": matches,
    }


def _principal_for(request: Request, key: str | None) -> Principal:
    key = key or bearer_key(request)
    if key is None and anonymous_allowed(request):
        return ANONYMOUS
    principal = authenticate(request, key)
    if not principal.can("check"):
        raise HTTPException(status_code=403, detail="this key's role may not check")
    return principal


def check_form(
    text: str | None = Form(None),
    data: str | None = Form(None),
    language: str = Form("auto"),
    enabledOnly: str | None = Form(None),
    enabledRules: str | None = Form(None),
    disabledRules: str | None = Form(None),
    apiKey: str | None = Form(None),
    username: str | None = Form(None),
) -> dict[str, Any]:
    """LanguageTool's form fields, with its own names."""
    return {
        "text": text,
        "data": data,
        "language": language,
        "enabledOnly": enabledOnly,
        "enabledRules": enabledRules,
        "disabledRules": disabledRules,
        "apiKey": apiKey,
    }


CheckForm = Annotated[dict[str, Any], Depends(check_form)]


@router.post("/v2/check", responses=ERRORS)
def check(request: Request, form: CheckForm) -> dict[str, Any]:
    """LanguageTool-compatible check (form fields as in LanguageTool's HTTP API)."""
    return _check(request, _principal_for(request, form["apiKey"]), form)


@router.post("/lt/{key}/v2/check", responses=ERRORS)
def check_with_key_url(key: str, request: Request, form: CheckForm) -> dict[str, Any]:
    """The same check with the key in the base URL, for editors that can only set a URL."""
    return _check(request, _principal_for(request, key), form)


@router.get("/v2/languages")
def languages() -> list[dict[str, str]]:
    """Languages this server checks (English)."""
    return LANGUAGES


@router.get("/lt/{key}/v2/languages", responses={401: {"description": "invalid key"}})
def languages_with_key_url(key: str, request: Request) -> list[dict[str, str]]:
    _principal_for(request, key)
    return LANGUAGES
