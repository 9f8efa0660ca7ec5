/** One sample line of a text exposition. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * Parses the sample lines of a Prometheus text or OpenMetrics body (comments skipped), label
 * values unescaped (`\\`, `\"`, `\n`). Throws on a line that is neither a comment nor a sample.
 */
export function parseSamples(body: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of body.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = SAMPLE_LINE.exec(line);
    if (match === null) throw new Error(`unparseable sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(LABEL_PAIR)) {
      labels[pair[1] as string] = (pair[2] as string).replace(/\\(.)/g, (_, c: string) =>
        c === "n" ? "\n" : c,
      );
    }
    const raw = match[3] as string;
    const value =
      raw === "+Inf"
        ? Number.POSITIVE_INFINITY
        : raw === "-Inf"
          ? Number.NEGATIVE_INFINITY
          : Number(raw);
    samples.push({ name: match[1] as string, labels, value });
  }
  return samples;
}

/** The samples named `name` whose labels include every label of `labels`. */
export function findSamples(
  body: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Sample[] {
  return parseSamples(body).filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
}

/** The value of the one sample matching `name` and `labels`; throws unless exactly one matches. */
export function sampleValue(
  body: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  const found = findSamples(body, name, labels);
  if (found.length !== 1) {
    throw new Error(
      `expected one ${name} sample matching ${JSON.stringify(labels)}, found ${found.length}`,
    );
  }
  return (found[0] as Sample).value;
}

/** The `# TYPE` of every metric family in `body`, by family name. */
export function familyTypes(body: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const line of body.split("\n")) {
    const match = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (match !== null) types.set(match[1] as string, match[2] as string);
  }
  return types;
}

/** The `# HELP` text of every metric family in `body` (still escaped), by family name. */
export function familyHelp(body: string): Map<string, string> {
  const help = new Map<string, string>();
  for (const line of body.split("\n")) {
    const match = /^# HELP (\S+) (.*)$/.exec(line);
    if (match !== null) help.set(match[1] as string, match[2] as string);
  }
  return help;
}

/**
 * The `le` bounds of the `_bucket` samples of histogram `name` that match `labels`, as written,
 * in ascending numeric order (`+Inf` last).
 */
export function bucketBounds(
  body: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): string[] {
  return findSamples(body, `${name}_bucket`, labels)
    .map((sample) => sample.labels.le ?? "")
    .sort((a, b) => boundValue(a) - boundValue(b));
}

function boundValue(le: string): number {
  return le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le);
}
