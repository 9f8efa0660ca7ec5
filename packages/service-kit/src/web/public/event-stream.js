// Server-Sent Events over fetch: unlike EventSource, it sends the access token.
import { accessRefused, authorizationHeaders } from "./access-token.js";

/** @typedef {{ event: string, data: string }} ServerEvent */

/**
 * Parses one event block (the lines before a blank line) of the SSE format: `event:` names it
 * (`message` by default), `data:` lines join with newlines, comments (`:`) and other fields are
 * skipped. A block without data is no event.
 *
 * @param {string} block
 * @returns {ServerEvent | undefined}
 */
function parseEvent(block) {
  let event = "message";
  /** @type {string[]} */
  const data = [];
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return data.length === 0 ? undefined : { event, data: data.join("\n") };
}

/**
 * Streams the events of the SSE resource at `path` of this origin (with the access token, when
 * one is set). Ends when the server ends the response; throws on a non-2xx status (401 with the
 * page's explanation, opening the token control), a network failure or when `signal` aborts.
 * Reconnecting is the caller's choice.
 *
 * @param {string} path
 * @param {AbortSignal} signal
 * @returns {AsyncGenerator<ServerEvent, void, void>}
 */
export async function* readEventStream(path, signal) {
  const response = await fetch(path, {
    headers: { Accept: "text/event-stream", ...authorizationHeaders() },
    cache: "no-store",
    signal,
  });
  if (response.status === 401) throw new Error(accessRefused());
  if (!response.ok || response.body === null)
    throw new Error(`GET ${path}: HTTP ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffered = (buffered + value).replaceAll("\r\n", "\n");
      for (let end = buffered.indexOf("\n\n"); end !== -1; end = buffered.indexOf("\n\n")) {
        const event = parseEvent(buffered.slice(0, end));
        buffered = buffered.slice(end + 2);
        if (event !== undefined) yield event;
      }
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
