/**
 * The value of the first sample of `name` (exactly that metric, not a longer name) whose labels
 * include every one of `labels` (`key="value"` strings), scraped from a running service's
 * `/metrics`; `undefined` when it has no such sample yet.
 */
export async function scrapeMetric(
  httpPort: number,
  name: string,
  labels: readonly string[] = [],
): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (labels.every((label) => line.includes(label))) {
      return Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return undefined;
}
