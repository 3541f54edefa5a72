"""The web app in a real headless Chromium against a real service process.

Chromium is Debian's (`make setup-browser` installs it); Playwright's own browser download is
never used. Without it these tests fail under CI (CI=true) and skip elsewhere.
Set ST_NLP_SCREENSHOT_DIR=docs/screenshots to refresh the README's screenshots.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_server import LiveServer, keyed_server

CHROMIUM = Path("/usr/bin/chromium")
NOTE = (
    "Home visit on 3/14/24. FOB pushed BM into the wall while the children watched.\n"
    "The parents have a volatile relationship and mother failed to protect the children.\n"
    "BM called 911 and took the children to MGM's apartment."
)
EMOJI_NOTE = "🙂 CW met BM on 3/4. 👍🏽 The parents have a volatile relationship."

if not CHROMIUM.exists():
    message = f"{CHROMIUM} is missing: run `make setup-browser` (apt-get install chromium)"
    if os.environ.get("CI"):
        raise RuntimeError(f"browser tests cannot run in CI: {message}")
    pytest.skip(message, allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    keys = {
        "caseworker": ("caseworker", "north"),
        "supervisor": ("supervisor", "north"),
        "trainer": ("trainer", "north"),
    }
    data_dir = tmp_path_factory.mktemp("web-service")
    with keyed_server(data_dir, keys, rate_limit_per_minute="10000") as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    # The browser logs every 4xx answer as "Failed to load resource"; error states are tested.
    opened.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    yield opened
    context.close()
    assert errors == [], errors


def _review(server: LiveServer, key: str, text: str) -> dict[str, Any]:
    response = httpx.post(
        f"{server.url}/v1/review",
        json={"text": text},
        headers={"Authorization": f"Bearer {key}"},
        timeout=60,
    )
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def _sign_in(page: Page, key: str) -> None:
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#signed-in")).to_be_visible()


def _screenshot(page: Page, name: str) -> None:
    folder = os.environ.get("ST_NLP_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name))


def _expected_findings(result: dict[str, Any], text: str) -> list[str]:
    """The blamed words, cut from the text by the API's code-point offsets."""
    return [text[f["start"] : f["end"]] for s in result["sentences"] for f in s["findings"]]


def test_web_typing_a_note_highlights_sentences_and_blaming_words(
    web: tuple[LiveServer, dict[str, str]], page: Page
) -> None:
    server, keys = web
    expected = _review(server, keys["caseworker"], NOTE)
    page.goto(server.url + "/")
    _sign_in(page, keys["caseworker"])
    page.get_by_label("Case note text").press_sequentially(NOTE)
    marks = page.locator("#backdrop mark.finding")
    expect(marks).to_have_count(len(_expected_findings(expected, NOTE)))
    assert marks.all_inner_texts() == _expected_findings(expected, NOTE)
    assert _expected_findings(expected, NOTE), "the note must have findings to test anything"
    # Each sentence is drawn with its label's style; labels are also named in words.
    sentences = page.locator("#backdrop span.sentence")
    expect(sentences).to_have_count(len(expected["sentences"]))
    for element, sentence in zip(sentences.all(), expected["sentences"], strict=True):
        assert element.inner_text() == sentence["text"]
        if sentence["labels"]:
            assert any(
                f"lab-{label}" in element.get_attribute("class") for label in sentence["labels"]
            )
    expect(page.locator("#score-value")).to_have_text(str(round(expected["quality"]["score"])))
    documented = [name for name, done in expected["quality"]["components"].items() if done]
    expect(page.locator("#quality .components li.documented")).to_have_count(len(documented))
    expect(page.locator("#status")).to_contain_text("Reviewed")
    # An edit at the end rebuilds only the edited sentence's element; the others are kept.
    page.evaluate("document.querySelectorAll('#backdrop span.sentence').forEach(e => e.probe = 1)")
    note = page.get_by_label("Case note text")
    note.press("Control+End")
    note.press_sequentially(" Luis hid under the bed.")
    longer = NOTE + " Luis hid under the bed."
    relabeled = _review(server, keys["caseworker"], longer)
    expect(sentences).to_have_count(len(relabeled["sentences"]))
    expect(page.locator("#backdrop span.sentence").last).to_have_text(
        relabeled["sentences"][-1]["text"]
    )
    kept = page.evaluate(
        "[...document.querySelectorAll('#backdrop span.sentence')].map(e => e.probe === 1)"
    )
    unchanged = [
        old["text"] == new["text"] and old["labels"] == new["labels"]
        for old, new in zip(expected["sentences"], relabeled["sentences"], strict=False)
    ]
    assert kept[: len(unchanged) - 1] == unchanged[:-1] and not kept[-1]


def test_web_clicking_a_finding_shows_reason_and_applies_a_suggestion(
    web: tuple[LiveServer, dict[str, str]], page: Page
) -> None:
    server, keys = web
    expected = _review(server, keys["caseworker"], NOTE)
    blaming = next(s for s in expected["sentences"] if s["findings"] and s["suggestions"])
    finding = blaming["findings"][0]
    page.goto(server.url + "/")
    _sign_in(page, keys["caseworker"])
    page.get_by_label("Case note text").fill(NOTE)
    mark = page.locator("#backdrop mark.finding").first
    expect(mark).to_have_text(NOTE[finding["start"] : finding["end"]])
    # The textarea lies over the highlights: clicking the words puts the caret in the finding.
    box = mark.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popover = page.get_by_role("dialog")
    expect(popover).to_be_visible()
    expect(popover).to_contain_text(finding["message"])
    expect(popover).to_contain_text(blaming["suggestions"][0]["principle"])
    expect(popover).to_contain_text(blaming["suggestions"][0]["text"])
    _screenshot(page, "editor.png")
    popover.get_by_role("button", name="Apply suggestion 1").click()
    replaced = NOTE[: blaming["start"]] + blaming["suggestions"][0]["text"] + NOTE[blaming["end"] :]
    expect(page.get_by_label("Case note text")).to_have_value(replaced)
    expect(page.locator("#status")).to_contain_text("Reviewed")
    # Undo is kept: the browser's undo brings the original sentence back.
    page.get_by_label("Case note text").press("Control+z")
    expect(page.get_by_label("Case note text")).to_have_value(NOTE)


def test_web_emoji_before_a_finding_highlights_the_right_words(
    web: tuple[LiveServer, dict[str, str]], page: Page
) -> None:
    server, keys = web
    expected = _review(server, keys["caseworker"], EMOJI_NOTE)
    words = _expected_findings(expected, EMOJI_NOTE)
    assert words == ["volatile relationship"]  # the API's own answer, cut by code points
    page.goto(server.url + "/")
    _sign_in(page, keys["caseworker"])
    page.get_by_label("Case note text").fill(EMOJI_NOTE)
    expect(page.locator("#backdrop mark.finding")).to_have_text(words)
    # The highlight sits at the same UTF-16 offset as the words in the textarea.
    offset = page.evaluate(
        """() => {
          const mark = document.querySelector('#backdrop mark.finding');
          const range = document.createRange();
          range.setStart(document.getElementById('backdrop'), 0);
          range.setEndBefore(mark);
          return range.toString().length;
        }"""
    )
    assert offset == len(EMOJI_NOTE[: EMOJI_NOTE.index("volatile")].encode("utf-16-le")) // 2
    # Applying a suggestion replaces exactly that sentence, after both emoji.
    sentence = next(s for s in expected["sentences"] if s["findings"])
    assert sentence["suggestions"]
    page.locator("#findings button").first.click()
    page.get_by_role("button", name="Apply suggestion 1").click()
    replaced = (
        EMOJI_NOTE[: sentence["start"]]
        + sentence["suggestions"][0]["text"]
        + EMOJI_NOTE[sentence["end"] :]
    )
    expect(page.get_by_label("Case note text")).to_have_value(replaced)


def test_web_findings_are_keyboard_operable(
    web: tuple[LiveServer, dict[str, str]], page: Page
) -> None:
    server, keys = web
    expected = _review(server, keys["caseworker"], NOTE)
    words = _expected_findings(expected, NOTE)
    assert len(words) >= 2
    page.goto(server.url + "/")
    _sign_in(page, keys["caseworker"])
    note = page.get_by_label("Case note text")
    note.fill(NOTE)
    expect(page.locator("#findings button")).to_have_count(len(words))
    note.focus()
    page.keyboard.press("Tab")  # from the note straight to the findings list
    first = page.locator("#findings button").nth(0)
    expect(first).to_be_focused()
    page.keyboard.press("ArrowDown")
    second = page.locator("#findings button").nth(1)
    expect(second).to_be_focused()
    expect(second).to_contain_text(words[1])
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(second).to_be_focused()
    # Alt+Enter in the note opens the finding under the caret; Enter on Apply rewrites it.
    cut = NOTE.index(words[1]) + 1
    note.focus()
    page.evaluate(f"document.getElementById('note').setSelectionRange({cut}, {cut})")
    page.keyboard.press("Alt+Enter")
    apply = page.get_by_role("button", name="Apply suggestion 1")
    expect(apply).to_be_focused()
    page.keyboard.press("Enter")
    expect(note).not_to_have_value(NOTE)


def test_web_sign_in_keeps_the_key_in_session_storage_only(
    web: tuple[LiveServer, dict[str, str]], page: Page
) -> None:
    server, keys = web
    page.goto(server.url + "/")
    page.get_by_label("API key").fill("stnlp_not-a-real-key")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#status")).to_contain_text("not valid")
    # The link `make run` prints signs in through the fragment, which is then removed.
    page.goto(f"{server.url}/audits#key={keys['caseworker']}")
    expect(page.locator("#signed-in")).to_be_visible()
    assert "#" not in page.url
    stored = page.evaluate("[sessionStorage.length, localStorage.length, document.cookie]")
    assert stored == [1, 0, ""]


def _audit_file(tmp_path: Path, count: int) -> Path:
    rows = [
        {"note_id": f"n{i}", "text": NOTE, "worker_id": f"w{i % 2}", "unit": "north"}
        for i in range(count)
    ]
    path = tmp_path / "notes.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_web_audit_upload_runs_to_a_report(
    web: tuple[LiveServer, dict[str, str]], page: Page, tmp_path: Path
) -> None:
    server, keys = web
    page.goto(server.url + "/audits")
    _sign_in(page, keys["supervisor"])
    page.get_by_label("Notes file (.jsonl or .csv)").set_input_files(_audit_file(tmp_path, 6))
    page.get_by_role("button", name="Start audit").click()
    expect(page.locator("#progress-text")).to_contain_text("Done: 6 notes", timeout=120_000)
    expect(page.locator("#progress")).to_have_js_property("value", 1)
    report = page.frame_locator("#report")
    expect(report.locator("svg").first).to_be_attached()
    expect(page.locator("#jobs tbody tr")).to_have_count(1)
    job_id = page.locator("#jobs td.job-id").first.inner_text()
    assert re.fullmatch(r"[0-9a-f-]{36}", job_id)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download notes CSV").click()
    rows = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("note_id,") and len(rows) == 7
    page.evaluate("document.getElementById('job').scrollIntoView()")
    _screenshot(page, "audits.png")


def test_web_audits_page_explains_a_wrong_role(
    web: tuple[LiveServer, dict[str, str]], page: Page
) -> None:
    server, keys = web
    page.goto(server.url + "/audits")
    _sign_in(page, keys["caseworker"])
    expect(page.locator("#status")).to_contain_text("supervisor or admin key")


def test_web_example_sets_page_builds_a_set(
    web: tuple[LiveServer, dict[str, str]], page: Page
) -> None:
    server, keys = web
    page.goto(server.url + "/example-sets")
    _sign_in(page, keys["trainer"])
    for label in ("Label", "Blaming subtype (optional)", "Number of examples", "Download format"):
        expect(page.get_by_label(label)).to_be_visible()
    expect(page.get_by_label("Blaming subtype (optional)").locator("option")).not_to_have_count(1)
    page.get_by_label("A finished audit").check()
    expect(page.get_by_label("Audit job id")).to_be_enabled()
    page.get_by_label("The annotated corpus").check()
    page.get_by_label("Number of examples").fill("3")
    _screenshot(page, "example-sets.png")
    with page.expect_response("**/v1/example-sets", timeout=180_000) as answer:
        page.get_by_role("button", name="Build example set").click()
    assert answer.value.status == 201
    expect(page.locator("#ex-items tbody tr")).to_have_count(3, timeout=30_000)
    # The text shown is de-identified: role tokens, never the corpus's invented names.
    expect(page.locator("#ex-items")).to_contain_text("[")


def test_web_pages_are_self_contained_and_locked_down(
    web: tuple[LiveServer, dict[str, str]],
) -> None:
    server, _ = web
    static = Path(__file__).resolve().parent.parent / "service" / "web"
    assets = ["/", "/audits", "/example-sets"] + [
        "/static/" + p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file()
    ]
    for path in assets:
        response = httpx.get(server.url + path, timeout=10)
        assert response.status_code == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        # No CDN or other third-party asset: everything works offline.
        assert not re.search(r"(src|href)=[\"']?(https?:)?//", response.text), path
        assert "import(" not in response.text and "http://" not in response.text, path


@pytest.mark.parametrize("path", ["/", "/audits", "/example-sets"])
def test_web_pages_pass_axe_wcag_aa_checks(
    web: tuple[LiveServer, dict[str, str]], page: Page, path: str
) -> None:
    """axe-core (labels, names, contrast, ARIA) on each page, signed in and in use."""
    server, keys = web
    page.goto(server.url + path)
    assert Axe().run(page, options=WCAG_AA).violations_count == 0  # signed out
    role = {"/": "caseworker", "/audits": "supervisor", "/example-sets": "trainer"}[path]
    _sign_in(page, keys[role])
    if path == "/":
        page.get_by_label("Case note text").fill(NOTE)
        page.locator("#findings button").first.click()
        expect(page.get_by_role("dialog")).to_be_visible()
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_web_note_text_never_reaches_the_server_log(
    web: tuple[LiveServer, dict[str, str]],
) -> None:
    """Runs last in this module: every page above sent NOTE and EMOJI_NOTE to the server."""
    server, _ = web
    log = server.log.read_text(encoding="utf-8", errors="replace")
    assert "/v1/review" in log  # the log did record the requests
    for fragment in ("volatile relationship", "pushed BM", "🙂", "Luis hid"):
        assert fragment not in log
