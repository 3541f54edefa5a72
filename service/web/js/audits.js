// Audits: upload a file, follow the job's progress, read the report, download its files.

import { announce, api, ApiError, apiKey, download, setupSignIn } from "./common.js";

const POLL_MS = 1000;
const form = document.getElementById("upload");
const jobBox = document.getElementById("job");
const progress = document.getElementById("progress");
const progressText = document.getElementById("progress-text");
const downloads = document.getElementById("downloads");
const report = document.getElementById("report");
const jobsBody = document.querySelector("#jobs tbody");
let current = null;
let poller = null;

function explain(error, action) {
  if (error instanceof ApiError && error.status === 403) {
    return `${action} needs a supervisor or admin key; this key's role may not run audits.`;
  }
  return error instanceof ApiError ? `${action} failed: ${error.detail}` : `${action} failed: the service did not answer.`;
}

function describeJob(job) {
  const { processed_rows: done, total_rows: total } = job.progress;
  const counts = `${job.counts.notes} notes, ${job.counts.errors} rows with errors`;
  if (job.state === "done") return `Done: ${counts}.`;
  if (job.state === "failed") return `Failed: ${job.failure || "see the server log"}.`;
  if (job.state === "purged") return "Purged: its files were deleted after the retention period.";
  if (job.state === "queued") return "Queued: waiting for the audit worker.";
  return `Running: ${done} of ${total || "?"} rows (${Math.round(job.progress.fraction * 100)}%).`;
}

async function showReport(job) {
  downloads.hidden = false;
  const html = await (await api(`/v1/audits/${job.id}/report?format=html`)).text();
  // The report is self-contained (inline CSS and SVG, no scripts); the empty sandbox keeps it so.
  report.srcdoc = html;
  report.hidden = false;
}

async function follow(jobId) {
  clearTimeout(poller);
  current = jobId;
  jobBox.hidden = false;
  downloads.hidden = true;
  report.hidden = true;
  report.removeAttribute("srcdoc");
  let lastState = null;
  const tick = async () => {
    if (current !== jobId) return;
    let job;
    try {
      job = await (await api(`/v1/audits/${jobId}`)).json();
    } catch (error) {
      announce(explain(error, "Reading the audit"));
      return;
    }
    progress.value = job.progress.fraction;
    progressText.textContent = describeJob(job);
    document.getElementById("job-heading").textContent = `Audit ${job.id.slice(0, 8)}`;
    if (job.state !== lastState) {
      lastState = job.state;
      announce(`Audit ${job.state}.`);
    }
    if (job.state === "done") {
      try {
        await showReport(job);
        announce("Audit done: the report is below.");
      } catch (error) {
        announce(explain(error, "Loading the report"));
      }
      loadJobs();
    } else if (job.state === "queued" || job.state === "running") {
      poller = setTimeout(tick, POLL_MS);
    } else {
      loadJobs();
    }
  };
  await tick();
}

async function loadJobs() {
  if (!apiKey()) {
    jobsBody.replaceChildren();
    return;
  }
  let jobs;
  try {
    jobs = (await (await api("/v1/audits")).json()).jobs;
  } catch (error) {
    announce(explain(error, "Listing audits"));
    return;
  }
  const rows = jobs.map((job) => {
    const tr = document.createElement("tr");
    const cells = [
      new Date(job.created_at).toLocaleString(),
      job.id,
      job.state,
      String(job.counts.notes),
      String(job.counts.errors),
    ].map((value) => {
      const td = document.createElement("td");
      td.textContent = value;
      return td;
    });
    cells[1].className = "job-id";
    const action = document.createElement("td");
    const open = document.createElement("button");
    open.type = "button";
    open.textContent = job.state === "done" ? "Open report" : "Show";
    open.setAttribute("aria-label", `${open.textContent} of audit ${job.id.slice(0, 8)}`);
    open.addEventListener("click", () => follow(job.id));
    action.append(open);
    tr.append(...cells, action);
    return tr;
  });
  if (!rows.length) {
    const tr = document.createElement("tr");
    tr.innerHTML = '<td colspan="6" class="muted">No audits yet.</td>';
    rows.push(tr);
  }
  jobsBody.replaceChildren(...rows);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = document.getElementById("audit-file").files[0];
  if (!file) return;
  const body = new FormData();
  body.append("file", file, file.name);
  const declared = document.getElementById("audit-format").value;
  if (declared) body.append("format", declared);
  announce("Uploading…");
  try {
    const job = await (await api("/v1/audits", { method: "POST", body })).json();
    announce("Upload accepted; the audit is queued.");
    await follow(job.id);
    loadJobs();
  } catch (error) {
    announce(explain(error, "Upload"));
  }
});

downloads.addEventListener("click", async (event) => {
  const format = event.target.closest("button")?.dataset.format;
  if (!format || !current) return;
  try {
    await download(`/v1/audits/${current}/report?format=${format}`, `audit-${current.slice(0, 8)}.${format === "json" ? "json" : "csv"}`);
  } catch (error) {
    announce(explain(error, "Download"));
  }
});

document.getElementById("refresh").addEventListener("click", loadJobs);
setupSignIn(loadJobs);
loadJobs();
