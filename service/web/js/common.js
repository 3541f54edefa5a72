// Shared by every page: the API key (sessionStorage only), authenticated fetch, status messages.
// Note text is never logged to the console and never stored by the browser.

const KEY_ITEM = "st-nlp.apiKey";

/** Take a key handed over in the URL fragment (`#key=...`, printed by `make run`), then drop it
 * from the address bar and history: the fragment never reaches the server or its logs. */
function adoptFragmentKey() {
  const match = /(?:^#|&)key=([^&]+)/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem(KEY_ITEM, decodeURIComponent(match[1]));
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }
}

export function apiKey() {
  return sessionStorage.getItem(KEY_ITEM);
}

export class ApiError extends Error {
  constructor(status, detail) {
    super(`HTTP ${status}: ${detail}`);
    this.status = status;
    this.detail = detail;
  }
}

function describe(detail) {
  if (Array.isArray(detail)) {
    return detail.map((d) => `${(d.loc || []).join(".")}: ${d.msg}`).join("; ");
  }
  return typeof detail === "string" ? detail : "request failed";
}

/** fetch() with the Bearer key; throws ApiError with the server's (text-free) detail. */
export async function api(path, options = {}) {
  const key = apiKey();
  const headers = new Headers(options.headers || {});
  if (key) headers.set("Authorization", `Bearer ${key}`);
  const response = await fetch(path, { ...options, headers });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      detail = describe((await response.json()).detail);
    } catch {
      /* not JSON */
    }
    if (response.status === 401) detail = "the API key is missing or not valid: sign in above";
    throw new ApiError(response.status, detail);
  }
  return response;
}

export function announce(message) {
  const status = document.getElementById("status");
  if (status) status.textContent = message;
}

/** Fetch an authenticated file and hand it to the browser as a download. */
export async function download(path, fallbackName) {
  const response = await api(path);
  const disposition = response.headers.get("Content-Disposition") || "";
  const named = /filename="?([^";]+)"?/.exec(disposition);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = named ? named[1] : fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Build the sign-in form in the page header; calls `onChange` after sign-in and sign-out. */
export function setupSignIn(onChange) {
  adoptFragmentKey();
  const form = document.getElementById("signin");
  const render = () => {
    form.replaceChildren();
    if (apiKey()) {
      const state = document.createElement("span");
      state.id = "signed-in";
      state.textContent = "Signed in with an API key";
      const out = document.createElement("button");
      out.type = "button";
      out.textContent = "Sign out";
      out.addEventListener("click", () => {
        sessionStorage.removeItem(KEY_ITEM);
        render();
        announce("Signed out.");
        onChange();
      });
      form.append(state, out);
    } else {
      form.innerHTML = `<label for="api-key">API key</label>
        <input id="api-key" type="password" autocomplete="off" spellcheck="false"
          aria-describedby="api-key-hint" required>
        <button type="submit">Sign in</button>
        <span id="api-key-hint" class="hint">Kept in this tab only (sessionStorage).</span>`;
    }
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = document.getElementById("api-key");
    const key = input.value.trim();
    if (!key) return;
    sessionStorage.setItem(KEY_ITEM, key);
    try {
      await api("/v1/labels");
    } catch (error) {
      sessionStorage.removeItem(KEY_ITEM);
      announce(error.status === 401 ? "That API key is not valid." : `Sign-in failed: ${error.detail}`);
      input.focus();
      return;
    }
    render();
    announce("Signed in.");
    onChange();
  });
  render();
}

let taxonomy = null;
/** The taxonomy (`GET /v1/labels`): component titles, rule principles, subtypes. Fetched once
 * per page; a failed fetch (e.g. signed out) is retried on the next call. */
export function loadTaxonomy() {
  if (!taxonomy) {
    taxonomy = api("/v1/labels").then((response) => response.json());
    taxonomy.catch(() => {
      taxonomy = null;
    });
  }
  return taxonomy;
}

export function humanize(name) {
  return String(name).replaceAll("_", " ");
}
