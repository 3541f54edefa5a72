// Example sets for trainers: ask POST /v1/example-sets for a de-identified set, show its items,
// offer its files (GET /v1/example-sets/{id}?format=...).

import { announce, api, ApiError, apiKey, download, humanize, loadTaxonomy, setupSignIn } from "./common.js";

const FORMATS = { md: "Markdown", html: "HTML", csv: "CSV", jsonl: "JSONL", labelstudio: "Label Studio JSON" };
const EXTENSIONS = { md: "md", html: "html", csv: "csv", jsonl: "jsonl", labelstudio: "json" };
const form = document.getElementById("example-form");
const errorBox = document.getElementById("ex-error");
const result = document.getElementById("ex-result");
const auditInput = document.getElementById("ex-audit");

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
  result.hidden = true;
}

function explain(error) {
  if (!(error instanceof ApiError)) return "The service did not answer.";
  if (error.status === 404) {
    return "Example sets are not available on this server (404): the /v1/example-sets endpoint" +
      " is not installed in this version, or the audit id is unknown to your key.";
  }
  if (error.status === 403) return "Building example sets needs a trainer or admin key; this key's role may not.";
  return `The example set could not be built (HTTP ${error.status}): ${error.detail}`;
}

async function fillSubtypes() {
  const select = document.getElementById("ex-subtype");
  if (!apiKey()) return;
  try {
    const { subtypes } = await loadTaxonomy();
    select.replaceChildren(new Option("Any", ""), ...subtypes.map((s) => new Option(humanize(s.name), s.name)));
  } catch {
    /* signed out: the list fills after sign-in */
  }
}

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

function showSet(set, format) {
  errorBox.hidden = true;
  const when = set.created_at ? new Date(set.created_at).toLocaleString() : "";
  document.getElementById("ex-meta").textContent =
    `${set.items.length} examples · ${set.draft ? "draft (not reviewed yet)" : `reviewed by ${set.reviewed_by}`} · ${when} · id ${set.id}`;
  const links = Object.entries(FORMATS).map(([key, name]) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `Download ${name}`;
    if (key === format) button.className = "preferred";
    button.addEventListener("click", async () => {
      try {
        await download(`/v1/example-sets/${encodeURIComponent(set.id)}?format=${key}`, `example-set-${set.id.slice(0, 8)}.${EXTENSIONS[key]}`);
      } catch (error) {
        showError(explain(error));
      }
    });
    return button;
  });
  document.getElementById("ex-downloads").replaceChildren(...links);
  const rows = set.items.map((item, n) => {
    const tr = document.createElement("tr");
    tr.append(
      cell(String(n + 1)),
      cell(item.text),
      cell((item.labels || []).map(humanize).join(", ")),
      cell(item.subtype ? humanize(item.subtype) : "—"),
      cell((item.suggestions || []).join(" | ") || "—"),
      cell(typeof item.confidence === "number" ? item.confidence.toFixed(2) : "—"),
    );
    return tr;
  });
  document.querySelector("#ex-items tbody").replaceChildren(...rows);
  result.hidden = false;
}

for (const radio of form.querySelectorAll('input[name="source"]')) {
  radio.addEventListener("change", () => {
    auditInput.disabled = form.source.value !== "audit";
    auditInput.required = !auditInput.disabled;
  });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const source = data.get("source") === "audit" ? `audit:${String(data.get("audit")).trim()}` : "corpus";
  const body = {
    label: data.get("label"),
    subtype: data.get("subtype") || null,
    n: Number(data.get("n")),
    source,
    reviewed_by: String(data.get("reviewed_by") || "").trim() || null,
  };
  announce("Building the example set…");
  try {
    const response = await api("/v1/example-sets", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const set = await response.json();
    showSet(set, data.get("format"));
    announce(`Example set built: ${set.items.length} examples.`);
  } catch (error) {
    showError(explain(error));
    announce("The example set could not be built.");
  }
});

setupSignIn(fillSubtypes);
fillSubtypes();
