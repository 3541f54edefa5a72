// The note editor: a textarea over a mirrored "backdrop" that carries the highlights.
//
// Typing never waits for the server. On each edit the previous review is kept for sentences
// before and after the edit (shifted by the edit's length) and the edited sentences turn
// "being checked"; after a pause the whole note is reviewed once (suggestions and the quality
// score depend on the whole note: names, roles, which components are documented), and only
// spans whose sentence changed are rebuilt in the backdrop. Results are cached per note text in
// memory (undo/redo is instant), never stored.

import { announce, api, ApiError, apiKey, humanize, loadTaxonomy, setupSignIn } from "./common.js";
import { codePointToUtf16 } from "./offsets.js";

const DEBOUNCE_MS = 450;
const CACHE_SIZE = 20;
const LABEL_PRIORITY = [
  "blaming_language",
  "perpetrator_pattern",
  "child_impact",
  "survivor_protective_action",
  "behavioral_fact",
];

const note = document.getElementById("note");
const backdrop = document.getElementById("backdrop");
const popover = document.getElementById("popover");
const findingsList = document.getElementById("findings");
const qualityBox = document.getElementById("quality");
const caretInfo = document.getElementById("caret-info");

/** Sentences of the current text, offsets in UTF-16 units:
 * {start, end, labels, findings: [{start, end, ...}], suggestions, pending}. */
let sentences = [];
let quality = null;
let shownText = "";
let timer = null;
let inflight = null;
let openFinding = null;
const cache = new Map();

function toUtf16(review, text) {
  const map = codePointToUtf16(text);
  return review.sentences.map((s) => ({
    ...s,
    start: map[s.start],
    end: map[s.end],
    findings: s.findings.map((f) => ({ ...f, start: map[f.start], end: map[f.end] })),
    pending: false,
  }));
}

/** Keep results outside the edited region; mark the sentences it touched as pending. */
function shiftForEdit(before, after) {
  let prefix = 0;
  const limit = Math.min(before.length, after.length);
  while (prefix < limit && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < limit - prefix &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  ) {
    suffix++;
  }
  const editEnd = before.length - suffix;
  const delta = after.length - before.length;
  const move = (x) => ({ ...x, start: x.start + delta, end: x.end + delta });
  const kept = [];
  const moved = [];
  let touched = null;
  for (const s of sentences) {
    if (s.end < prefix) kept.push(s);
    else if (s.start > editEnd) moved.push({ ...move(s), findings: s.findings.map(move) });
    else touched = touched ? { ...touched, end: s.end } : { start: s.start, end: s.end };
  }
  if (touched) {
    const end = Math.max(touched.start, touched.end + delta);
    if (end > touched.start) {
      kept.push({ start: touched.start, end, labels: [], findings: [], suggestions: [], pending: true });
    }
  }
  sentences = [...kept, ...moved];
}

function primaryLabel(labels) {
  return LABEL_PRIORITY.find((label) => labels.includes(label)) || null;
}

/** What a sentence's element shows, independent of where the sentence sits in the note. */
function sentenceKey(s, text) {
  const findings = s.findings.map((f) => [f.start - s.start, f.end - s.start]);
  return JSON.stringify([text.slice(s.start, s.end), s.labels, s.pending, findings]);
}

function buildSentence(s, text, index) {
  const span = document.createElement("span");
  const label = primaryLabel(s.labels);
  span.className = `sentence${label ? ` lab-${label}` : ""}${s.pending ? " pending" : ""}`;
  span.dataset.sentence = String(index);
  let cursor = s.start;
  s.findings.forEach((finding, n) => {
    if (finding.start < cursor) return;
    span.append(text.slice(cursor, finding.start));
    const mark = document.createElement("mark");
    mark.className = "finding";
    mark.dataset.finding = `${index}:${n}`;
    mark.textContent = text.slice(finding.start, finding.end);
    span.append(mark);
    cursor = finding.end;
  });
  span.append(text.slice(cursor, s.end));
  span.dataset.key = sentenceKey(s, text);
  return span;
}

/** Rebuild the backdrop, reusing the element of every sentence that did not change. */
function renderBackdrop() {
  const text = note.value;
  const previous = new Map();
  for (const element of backdrop.querySelectorAll("span.sentence")) {
    previous.set(element.dataset.key, element);
  }
  const nodes = [];
  let cursor = 0;
  sentences.forEach((s, index) => {
    if (s.start > cursor) nodes.push(text.slice(cursor, s.start));
    const key = sentenceKey(s, text);
    const reused = previous.get(key);
    if (reused) {
      previous.delete(key);
      reused.dataset.sentence = String(index);
      reused.querySelectorAll("mark").forEach((mark, n) => {
        mark.dataset.finding = `${index}:${n}`;
      });
      nodes.push(reused);
    } else {
      nodes.push(buildSentence(s, text, index));
    }
    cursor = s.end;
  });
  // A trailing space keeps the backdrop as tall as the textarea after a final newline.
  nodes.push(text.slice(cursor) + " ");
  backdrop.replaceChildren(...nodes);
  backdrop.scrollTop = note.scrollTop;
}

function allFindings() {
  return sentences.flatMap((s, i) =>
    s.findings.map((f, n) => ({ sentence: s, finding: f, id: `${i}:${n}` })),
  );
}

function renderFindings() {
  const text = note.value;
  const items = allFindings().map(({ finding, id }, n) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "finding-item";
    button.dataset.finding = id;
    button.tabIndex = n === 0 ? 0 : -1;
    const words = document.createElement("span");
    words.className = "finding-words";
    words.textContent = `“${text.slice(finding.start, finding.end)}”`;
    const kind = document.createElement("span");
    kind.className = "finding-kind";
    kind.textContent = `${humanize(finding.subtype)} · ${finding.severity}`;
    button.append(words, kind);
    button.addEventListener("click", () => openPopover(id, button));
    li.append(button);
    return li;
  });
  if (!items.length) {
    const li = document.createElement("li");
    li.className = "muted";
    li.textContent = sentences.length ? "No blaming language found." : "No review yet.";
    items.push(li);
  }
  findingsList.replaceChildren(...items);
}

let componentTitles = {};

/** Component titles for the quality panel; until they arrive, component names are shown. */
async function loadComponentTitles() {
  if (!apiKey()) return;
  try {
    const { components } = await loadTaxonomy();
    componentTitles = Object.fromEntries(components.map((c) => [c.name, `${c.number}. ${c.title}`]));
    renderQuality();
  } catch {
    /* signed out or offline: names stay */
  }
}

function renderQuality() {
  if (!quality) {
    qualityBox.innerHTML = '<p class="muted">No review yet.</p>';
    return;
  }
  const titles = componentTitles;
  const score = Math.round(quality.score);
  const items = Object.entries(quality.components)
    .map(([name, documented]) => {
      const li = document.createElement("li");
      li.className = documented ? "documented" : "missing";
      const mark = document.createElement("span");
      mark.className = "check";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = documented ? "✓" : "✗";
      const words = document.createElement("span");
      words.textContent = `${titles[name] || humanize(name)}: ${documented ? "documented" : "not documented"}`;
      li.append(mark, words);
      return li;
    });
  const scoreLine = document.createElement("p");
  scoreLine.className = "score";
  scoreLine.innerHTML = `<span id="score-value"></span> <span class="muted">/ 100</span>`;
  scoreLine.querySelector("#score-value").textContent = String(score);
  const meter = document.createElement("meter");
  Object.assign(meter, { min: 0, max: 100, low: 50, high: 75, optimum: 100, value: score });
  meter.setAttribute("aria-label", "Quality score");
  const facts = document.createElement("p");
  facts.className = "muted";
  facts.textContent =
    `${quality.sentences} sentences · ${quality.blaming_findings} blaming findings · ` +
    `${Math.round(quality.fact_share * 100)}% of DV sentences are behavioral facts`;
  const heading = document.createElement("h3");
  heading.textContent = "Critical components";
  const list = document.createElement("ul");
  list.className = "components";
  list.append(...items);
  qualityBox.replaceChildren(scoreLine, meter, facts, heading, list);
}

function render() {
  renderBackdrop();
  renderFindings();
  updateCaretInfo();
}

async function review() {
  const text = note.value;
  if (!apiKey()) {
    announce("Sign in with an API key to review the note.");
    return;
  }
  if (!text.trim()) {
    sentences = [];
    quality = null;
    render();
    renderQuality();
    return;
  }
  let result = cache.get(text);
  if (!result) {
    inflight?.abort();
    inflight = new AbortController();
    announce("Checking…");
    try {
      const response = await api("/v1/review", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text }),
        signal: inflight.signal,
      });
      result = await response.json();
    } catch (error) {
      if (error.name === "AbortError") return;
      announce(error instanceof ApiError ? `Review failed: ${error.detail}` : "Review failed: the service did not answer.");
      return;
    }
    cache.set(text, result);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value);
  }
  if (note.value !== text) return; // typed meanwhile: the next review is already scheduled
  shownText = text;
  sentences = toUtf16(result, text);
  quality = result.quality;
  closePopover(false);
  render();
  renderQuality();
  const count = allFindings().length;
  announce(`Reviewed ${sentences.length} sentences: ${count} finding${count === 1 ? "" : "s"}.`);
}

function scheduleReview() {
  clearTimeout(timer);
  timer = setTimeout(review, DEBOUNCE_MS);
}

function findById(id) {
  return allFindings().find((entry) => entry.id === id) || null;
}

async function principleFor(finding, sentence) {
  const fromSuggestion = sentence.suggestions.find((s) => s.principle)?.principle;
  if (fromSuggestion) return fromSuggestion;
  try {
    const rule = (await loadTaxonomy()).rules.find((r) => r.id === finding.rule_id);
    return rule?.principle || "";
  } catch {
    return "";
  }
}

async function openPopover(id, invoker, moveFocus = true) {
  const entry = findById(id);
  if (!entry) return;
  const { finding, sentence } = entry;
  const text = note.value;
  openFinding = { id, invoker };
  popover.replaceChildren();
  const title = document.createElement("h2");
  title.id = "popover-title";
  title.textContent = `${humanize(finding.subtype)}: “${text.slice(finding.start, finding.end)}”`;
  const reason = document.createElement("p");
  reason.className = "reason";
  reason.textContent = finding.message;
  const principleText = await principleFor(finding, sentence);
  const principle = document.createElement("p");
  principle.className = "principle";
  principle.innerHTML = "<strong>Safe &amp; Together principle:</strong> ";
  principle.append(principleText || "—");
  popover.append(title, reason, principle);
  if (sentence.suggestions.length) {
    const heading = document.createElement("h3");
    heading.textContent = "Suggested rewrites of the sentence";
    const list = document.createElement("ol");
    list.className = "suggestions";
    sentence.suggestions.forEach((suggestion, n) => {
      const li = document.createElement("li");
      const quote = document.createElement("p");
      quote.className = "suggestion-text";
      quote.textContent = suggestion.text;
      const why = document.createElement("p");
      why.className = "muted";
      why.textContent = suggestion.rationale;
      const apply = document.createElement("button");
      apply.type = "button";
      apply.className = "apply";
      apply.textContent = "Apply";
      apply.setAttribute("aria-label", `Apply suggestion ${n + 1}`);
      apply.addEventListener("click", () => applySuggestion(sentence, suggestion));
      li.append(quote, why, apply);
      list.append(li);
    });
    popover.append(heading, list);
  } else {
    const none = document.createElement("p");
    none.className = "muted";
    none.textContent = "No rewrite suggested: describe the behavior you observed instead.";
    popover.append(none);
  }
  const close = document.createElement("button");
  close.type = "button";
  close.className = "close";
  close.textContent = "Close";
  close.addEventListener("click", () => closePopover(true));
  popover.append(close);
  popover.hidden = false;
  placePopover(id);
  if (moveFocus) (popover.querySelector("button.apply") || close).focus();
  else announce(`Finding: ${finding.message} Press Alt+Enter to open its suggestions.`);
}

function placePopover(id) {
  const mark = backdrop.querySelector(`mark[data-finding="${id}"]`);
  const box = note.parentElement.getBoundingClientRect();
  const where = mark ? mark.getBoundingClientRect() : box;
  popover.style.top = `${Math.max(0, where.bottom - box.top + 6)}px`;
  popover.style.left = `${Math.max(0, Math.min(where.left - box.left, box.width - 360))}px`;
}

function closePopover(restoreFocus) {
  if (popover.hidden) return;
  popover.hidden = true;
  const invoker = openFinding?.invoker;
  openFinding = null;
  if (restoreFocus && invoker?.isConnected) invoker.focus();
}

/** Replace the sentence's text range with the suggestion, keeping the browser's undo. */
function applySuggestion(sentence, suggestion) {
  if (sentence.pending || !sentences.includes(sentence)) {
    announce("This sentence changed since the suggestion was made; wait for the new review.");
    return;
  }
  // A suggestion replaces its whole sentence (the API gives it the sentence's range); the
  // sentence's range is kept current through edits elsewhere in the note.
  const { start, end } = sentence;
  closePopover(false);
  note.focus();
  note.setSelectionRange(start, end);
  if (!document.execCommand("insertText", false, suggestion.text)) {
    note.setRangeText(suggestion.text, start, end, "end");
    note.dispatchEvent(new Event("input", { bubbles: true }));
  }
  const placeholder = suggestion.placeholders?.[0];
  const at = placeholder ? suggestion.text.indexOf(placeholder) : -1;
  if (at >= 0) note.setSelectionRange(start + at, start + at + placeholder.length);
  announce(
    placeholder
      ? `Suggestion applied. Fill in the placeholder ${placeholder}.`
      : "Suggestion applied.",
  );
}

function sentenceAt(position) {
  return sentences.find((s) => s.start <= position && position <= s.end) || null;
}

function findingAt(position) {
  return allFindings().find(({ finding }) => finding.start <= position && position <= finding.end);
}

function updateCaretInfo() {
  const s = sentenceAt(note.selectionStart);
  if (!s) caretInfo.textContent = "Sentence at cursor: none";
  else if (s.pending) caretInfo.textContent = "Sentence at cursor: being checked…";
  else {
    const labels = s.labels.length ? s.labels.map(humanize).join(", ") : "no label";
    caretInfo.textContent = `Sentence at cursor: ${labels}`;
  }
}

note.addEventListener("input", () => {
  shiftForEdit(shownText, note.value);
  shownText = note.value;
  closePopover(false);
  render();
  scheduleReview();
});
note.addEventListener("scroll", () => {
  backdrop.scrollTop = note.scrollTop;
  if (openFinding) placePopover(openFinding.id);
});
note.addEventListener("click", () => {
  if (note.selectionStart !== note.selectionEnd) return;
  const hit = findingAt(note.selectionStart);
  if (hit) openPopover(hit.id, note, false);
  else closePopover(false);
});
note.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.altKey) {
    const hit = findingAt(note.selectionStart);
    if (hit) {
      event.preventDefault();
      openPopover(hit.id, note, true);
    }
  }
});
document.addEventListener("selectionchange", () => {
  if (document.activeElement === note) updateCaretInfo();
});
popover.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    event.preventDefault();
    closePopover(true);
  }
});
findingsList.addEventListener("keydown", (event) => {
  const buttons = [...findingsList.querySelectorAll("button.finding-item")];
  const index = buttons.indexOf(document.activeElement);
  if (index < 0) return;
  const moves = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
  let next = null;
  if (event.key in moves) next = (index + moves[event.key] + buttons.length) % buttons.length;
  else if (event.key === "Home") next = 0;
  else if (event.key === "End") next = buttons.length - 1;
  if (next === null) return;
  event.preventDefault();
  buttons.forEach((b, i) => (b.tabIndex = i === next ? 0 : -1));
  buttons[next].focus();
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !popover.hidden) closePopover(true);
});
window.addEventListener("resize", () => openFinding && placePopover(openFinding.id));

setupSignIn(() => {
  cache.clear();
  loadComponentTitles();
  review();
});
loadComponentTitles();
render();
if (note.value) scheduleReview();
