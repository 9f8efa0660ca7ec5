// The access token of a protected service (AUTH_TOKENS): entered once per browser tab, kept in
// sessionStorage (gone when the tab closes, never sent to another origin), and sent as a bearer
// token on every call this page makes.
import { element } from "./dom.js";

const STORAGE_KEY = "tse.accessToken";

/** Fired on `window` when the service refuses a call for want of a valid token. */
const REFUSED_EVENT = "tse:access-refused";

/** The stored token, or `""`; storage the browser denies counts as none. */
export function accessToken() {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? "";
  } catch {
    return "";
  }
}

/** @param {string} token `""` forgets it */
function storeToken(token) {
  try {
    if (token === "") sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, token);
  } catch {
    // Storage denied (private mode settings): the token lasts as long as the page.
  }
}

/**
 * The `Authorization` header to send: the stored token as a bearer token, or nothing.
 *
 * @returns {Record<string, string>}
 */
export function authorizationHeaders() {
  const token = accessToken();
  return token === "" ? {} : { Authorization: `Bearer ${token}` };
}

/**
 * Reports a call the service refused as unauthenticated (HTTP 401, Connect `unauthenticated`):
 * the token control opens and says why. Returns the message to show where the call failed.
 *
 * @returns {string}
 */
export function accessRefused() {
  const hadToken = accessToken() !== "";
  window.dispatchEvent(new CustomEvent(REFUSED_EVENT, { detail: { hadToken } }));
  return hadToken
    ? "The access token was refused: enter a valid one under Token (top right)."
    : "This service is protected: enter its access token under Token (top right).";
}

/**
 * Adds the token control to the page header `container`: a `Token` disclosure with a password
 * field, Use and Forget. It opens by itself with an explanation when a call is refused for want
 * of a token; the header shows whether a token is set.
 *
 * @param {HTMLElement} container
 */
export function mountAccessToken(container) {
  const input = element("input");
  input.type = "password";
  input.name = "token";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.placeholder = "access token";
  input.setAttribute("aria-label", "Access token");
  const use = element("button", "primary", "Use");
  use.type = "submit";
  const forget = element("button", "ghost", "Forget");
  forget.type = "button";
  const status = element("p", "token-status");
  status.setAttribute("role", "status");
  const form = element("form", "token-form", [input, use, forget, status]);
  const label = element("span", "token-label", "Token");
  const summary = element("summary", "", [element("span", "token-dot"), label]);
  const details = element("details", "access-token", [summary, form]);
  details.id = "access-token";
  container.append(details);

  const render = (/** @type {string} */ message) => {
    const set = accessToken() !== "";
    details.dataset.state = set ? "set" : "none";
    label.textContent = set ? "Token set" : "Token";
    forget.hidden = !set;
    status.textContent =
      message ||
      (set
        ? "Sent with every call from this tab; forgotten when the tab closes."
        : "Needed only if this service is protected (AUTH_TOKENS).");
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (token === "") return;
    storeToken(token);
    input.value = "";
    delete details.dataset.refused;
    render("Token saved: retry the action.");
  });
  forget.addEventListener("click", () => {
    storeToken("");
    render("Token forgotten.");
  });
  window.addEventListener(REFUSED_EVENT, (event) => {
    const { hadToken } = /** @type {CustomEvent<{ hadToken: boolean }>} */ (event).detail;
    details.open = true;
    details.dataset.refused = "true";
    render(
      hadToken
        ? "The service refused this token. Enter a valid one."
        : "The service needs an access token for this. Enter it here.",
    );
    input.focus();
  });
  render("");
}
