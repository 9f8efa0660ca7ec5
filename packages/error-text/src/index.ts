/**
 * @tse/error-text — the text of a thrown value. No dependencies: domains, applications,
 * adapters and libraries all import it.
 */
export { messageOf } from "./message-of.js";
