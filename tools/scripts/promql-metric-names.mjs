// Metric names in PromQL, and the checks of the observability config built on them
// (tools/scripts/check-observability.sh). No dependencies beyond `yaml`, which the workspace
// already has.
//
//   node promql-metric-names.mjs names '<promql>'
//       prints the metric names the expression selects, one a line
//   node promql-metric-names.mjs self-test
//       runs the extractor against tricky expressions
//   node promql-metric-names.mjs dashboards --datasources <file> --providers <file>
//        [--emit-rules <out.yml>] <dashboard.json>...
//       checks the structure of Grafana dashboards; with --emit-rules, writes every query as
//       a recording rule (Grafana variables substituted) for `promtool check rules`
//   node promql-metric-names.mjs check --rules <file>... --dashboards <file>...
//        --scrape <file>... [--event-only <name>...] [--dist <dir>...] [--quiet]
//       checks that every metric name used in the rules and dashboards is in the live scrapes
//       (Prometheus text format). A name in --event-only (a series that only appears after a
//       rare event, e.g. a Postgres outage) may be missing from the scrape if its family is
//       declared as a string literal in the built code under --dist. Exit 0: all there;
//       1: names missing (series may not exist yet); 3: other problems (unknown function, …).
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

// ------------------------------------------------------------------------------------------
// PromQL vocabulary (Prometheus 2.x / 3.x)

const AGGREGATIONS = new Set([
  "sum",
  "min",
  "max",
  "avg",
  "group",
  "stddev",
  "stdvar",
  "count",
  "count_values",
  "bottomk",
  "topk",
  "quantile",
  "limitk",
  "limit_ratio",
]);

const FUNCTIONS = new Set([
  "abs",
  "absent",
  "absent_over_time",
  "acos",
  "acosh",
  "asin",
  "asinh",
  "atan",
  "atanh",
  "avg_over_time",
  "ceil",
  "changes",
  "clamp",
  "clamp_max",
  "clamp_min",
  "cos",
  "cosh",
  "count_over_time",
  "day_of_month",
  "day_of_week",
  "day_of_year",
  "days_in_month",
  "deg",
  "delta",
  "deriv",
  "double_exponential_smoothing",
  "end",
  "exp",
  "floor",
  "histogram_avg",
  "histogram_count",
  "histogram_fraction",
  "histogram_quantile",
  "histogram_stddev",
  "histogram_stdvar",
  "histogram_sum",
  "holt_winters",
  "hour",
  "idelta",
  "increase",
  "info",
  "irate",
  "label_join",
  "label_replace",
  "last_over_time",
  "ln",
  "log10",
  "log2",
  "mad_over_time",
  "max_over_time",
  "min_over_time",
  "minute",
  "month",
  "pi",
  "predict_linear",
  "present_over_time",
  "quantile_over_time",
  "rad",
  "rate",
  "resets",
  "round",
  "scalar",
  "sgn",
  "sin",
  "sinh",
  "sort",
  "sort_by_label",
  "sort_by_label_desc",
  "sort_desc",
  "sqrt",
  "start",
  "stddev_over_time",
  "stdvar_over_time",
  "sum_over_time",
  "tan",
  "tanh",
  "time",
  "timestamp",
  "vector",
  "year",
]);

// Keywords; the first group takes an optional parenthesised list of label names.
const LABEL_LIST_KEYWORDS = new Set([
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
]);
const KEYWORDS = new Set([
  ...LABEL_LIST_KEYWORDS,
  "and",
  "or",
  "unless",
  "bool",
  "offset",
  "atan2",
  "inf",
  "nan",
]);

// Series Prometheus itself writes for every target, and its rule evaluation series.
const SYNTHETIC = new Set([
  "up",
  "scrape_duration_seconds",
  "scrape_samples_scraped",
  "scrape_samples_post_metric_relabeling",
  "scrape_series_added",
  "ALERTS",
  "ALERTS_FOR_STATE",
]);

// Grafana's built-in variables.
const GRAFANA_BUILTINS = new Set([
  "__interval",
  "__interval_ms",
  "__rate_interval",
  "__rate_interval_ms",
  "__range",
  "__range_s",
  "__range_ms",
  "__from",
  "__to",
  "__dashboard",
  "__org",
  "__user",
  "__name",
  "timeFilter",
]);

// `$1` (a regex group in label_replace) is not a variable: names start with a letter or `_`.
const GRAFANA_VARIABLE =
  /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}|\[\[([A-Za-z_][A-Za-z0-9_]*)(?::[^\]]*)?\]\]|\$([A-Za-z_][A-Za-z0-9_]*)/g;

// ------------------------------------------------------------------------------------------
// Tokenizer and extractor

const IDENT = /^[A-Za-z_:][A-Za-z0-9_:]*/;
const NUMBER =
  /^(?:0[xX][0-9a-fA-F]+|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?(?:(?:ms|[smhdwy])(?:[0-9]+(?:ms|[smhdwy]))*)?)/;

/** Splits PromQL into tokens: {kind: ident|string|number|punct, text, pos}. */
function tokenize(expr) {
  const tokens = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "#") {
      while (i < expr.length && expr[i] !== "\n") i += 1;
    } else if (c === '"' || c === "'" || c === "`") {
      const start = i;
      let value = "";
      i += 1;
      while (i < expr.length && expr[i] !== c) {
        if (expr[i] === "\\" && c !== "`" && i + 1 < expr.length) {
          value += expr[i + 1];
          i += 2;
        } else {
          value += expr[i];
          i += 1;
        }
      }
      if (i >= expr.length) throw new SyntaxError(`unterminated string at ${start}`);
      i += 1;
      tokens.push({ kind: "string", text: value, pos: start });
    } else if (/[0-9.]/.test(c) && NUMBER.test(expr.slice(i))) {
      const m = NUMBER.exec(expr.slice(i));
      tokens.push({ kind: "number", text: m[0], pos: i });
      i += m[0].length;
    } else if (IDENT.test(expr.slice(i))) {
      const m = IDENT.exec(expr.slice(i));
      tokens.push({ kind: "ident", text: m[0], pos: i });
      i += m[0].length;
    } else {
      const two = expr.slice(i, i + 2);
      const text = ["==", "!=", "=~", "!~", ">=", "<="].includes(two) ? two : c;
      tokens.push({ kind: "punct", text, pos: i });
      i += text.length;
    }
  }
  return tokens;
}

/** Throws unless every `(`, `{` and `[` is closed in order. */
function checkBalanced(tokens) {
  const pairs = { "(": ")", "{": "}", "[": "]" };
  const stack = [];
  for (const t of tokens) {
    if (t.kind !== "punct") continue;
    if (pairs[t.text]) stack.push(t);
    else if ([")", "}", "]"].includes(t.text)) {
      const open = stack.pop();
      if (!open || pairs[open.text] !== t.text)
        throw new SyntaxError(`unbalanced "${t.text}" at ${t.pos}`);
    }
  }
  if (stack.length > 0) throw new SyntaxError(`unclosed "${stack[0].text}" at ${stack[0].pos}`);
}

/** The index after the bracket group opening at tokens[open] (`(`, `{` or `[`). */
function skipGroup(tokens, open) {
  const pairs = { "(": ")", "{": "}", "[": "]" };
  const stack = [pairs[tokens[open].text]];
  let i = open + 1;
  while (i < tokens.length && stack.length > 0) {
    const t = tokens[i];
    if (t.kind === "punct" && pairs[t.text]) stack.push(pairs[t.text]);
    else if (t.kind === "punct" && t.text === stack[stack.length - 1]) stack.pop();
    else if (t.kind === "punct" && [")", "}", "]"].includes(t.text)) {
      throw new SyntaxError(`unbalanced "${t.text}" at ${t.pos}`);
    }
    i += 1;
  }
  if (stack.length > 0)
    throw new SyntaxError(`unclosed "${tokens[open].text}" at ${tokens[open].pos}`);
  return i;
}

/**
 * The metric names an expression selects: vector selectors, and `{__name__="…"}` matchers.
 * Strings, numbers and durations, label matchers, ranges and subqueries, `by`/`without`/
 * `on`/`ignoring`/`group_*` label lists, functions, aggregations and keywords are not names.
 * Grafana variables (`$x`, `${x}`, `[[x]]`) are replaced first. Throws on an unknown function
 * or unbalanced brackets.
 */
export function metricNames(expr) {
  const tokens = tokenize(substituteGrafanaVariables(expr));
  checkBalanced(tokens);
  const names = new Set();
  const isPunct = (t, text) => t !== undefined && t.kind === "punct" && t.text === text;
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (isPunct(t, "{")) {
      const end = skipGroup(tokens, i);
      // {__name__="x"} names a metric; other matchers name labels.
      for (let j = i + 1; j < end - 3; j += 1) {
        if (
          tokens[j].kind === "ident" &&
          tokens[j].text === "__name__" &&
          isPunct(tokens[j + 1], "=") &&
          tokens[j + 2].kind === "string"
        ) {
          names.add(tokens[j + 2].text);
        }
      }
      i = end;
    } else if (isPunct(t, "[")) {
      i = skipGroup(tokens, i);
    } else if (t.kind === "ident") {
      const word = t.text;
      const lower = word.toLowerCase();
      if (LABEL_LIST_KEYWORDS.has(lower)) {
        i = isPunct(next, "(") ? skipGroup(tokens, i + 1) : i + 1;
      } else if (KEYWORDS.has(lower)) {
        i += 1;
      } else if (isPunct(next, "(")) {
        if (!FUNCTIONS.has(word) && !AGGREGATIONS.has(word)) {
          throw new SyntaxError(`unknown function "${word}" at ${t.pos}`);
        }
        i += 1;
      } else if (
        AGGREGATIONS.has(word) &&
        next?.kind === "ident" &&
        ["by", "without"].includes(next.text.toLowerCase())
      ) {
        i += 1; // sum by (…) (…)
      } else {
        names.add(word);
        i += 1;
      }
    } else {
      i += 1;
    }
  }
  return [...names].sort();
}

/** Replaces Grafana variables with a value that keeps PromQL valid in ranges and strings. */
export function substituteGrafanaVariables(expr) {
  return expr.replace(GRAFANA_VARIABLE, "5m");
}

/** The Grafana variables an expression refers to. */
function grafanaVariables(text) {
  const found = new Set();
  for (const m of text.matchAll(GRAFANA_VARIABLE)) found.add(m[1] ?? m[2] ?? m[3]);
  return [...found];
}

// ------------------------------------------------------------------------------------------
// Self-test

function selfTest() {
  const cases = [
    ["up == 0", ["up"]],
    ['rate(http_requests_total{code=~"5..",route!="/a{b}"}[5m])', ["http_requests_total"]],
    ["histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))", ["x_bucket"]],
    [
      'histogram_quantile(0.99, sum by (instance, le) (rate(h_bucket{route!~".*/([Ss]tream.*|Watch)"}[$__rate_interval])))',
      ["h_bucket"],
    ],
    ["sum without (instance) (a) / on (service) group_left (version) b", ["a", "b"]],
    ["sum(a) by (job) > bool 1", ["a"]],
    ["a and on () b or c unless ignoring (x) d", ["a", "b", "c", "d"]],
    ["max_over_time(a[1h:5m]) offset 1h30m", ["a"]],
    ["a @ start() - b @ 1609746000", ["a", "b"]],
    ['{__name__="direct_name", job="x"}', ["direct_name"]],
    ['label_replace(a, "dst", "$1", "src", "(.*)")', ["a"]],
    ['count_values("version", build_info)', ["build_info"]],
    ["topk(5, a) + 1e3 + 0x1F + .5 + Inf - NaN", ["a"]],
    ["(a or b * 0)\n/\nb # comment c\n", ["a", "b"]],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable, not a template
    ['sum by (instance) (rate(c{instance=~"$instance",s=~"${service:regex}"}[$__range]))', ["c"]],
    ["absent(recording:rule:name)", ["recording:rule:name"]],
    ["a offset -5m", ["a"]],
    ["sum  BY  (le) (x)", ["x"]],
    ['a{s="it\\"s {not} [a] name"}', ["a"]],
    ["vector(0) + scalar(b)", ["b"]],
    ["a * on (x) group_left b + ignoring(y) group_right() c", ["a", "b", "c"]],
    ["sum(rate(a[5m])) by (x) / count without(y) (b) > 0 unless absent(c)", ["a", "b", "c"]],
    ["a{l='single }'} + b{l=`raw {]`}", ["a", "b"]],
    ["quantile(0.9, a) + count_values without (x) ('v', b)", ["a", "b"]],
    [
      "rate(a[$__rate_interval]) * on (instance) group_left (version) nodejs_version_info",
      ["a", "nodejs_version_info"],
    ],
  ];
  let failed = 0;
  for (const [expr, expected] of cases) {
    const got = metricNames(expr);
    if (JSON.stringify(got) !== JSON.stringify([...expected].sort())) {
      console.error(
        `FAIL ${JSON.stringify(expr)}: got ${JSON.stringify(got)}, want ${JSON.stringify(expected)}`,
      );
      failed += 1;
    }
  }
  for (const bad of ["rat(a[5m])", "sum(a", 'a{b="c}', "a]"]) {
    try {
      metricNames(bad);
      console.error(`FAIL ${JSON.stringify(bad)}: no error`);
      failed += 1;
    } catch {
      // expected
    }
  }
  console.log(
    `promql-metric-names self-test: ${cases.length + 4 - failed} passed, ${failed} failed`,
  );
  return failed === 0;
}

// ------------------------------------------------------------------------------------------
// Files

function loadYamlModule() {
  try {
    return createRequire(join(ROOT, "package.json"))("yaml");
  } catch {
    return createRequire(join(ROOT, "apps/market-data-simulator/package.json"))("yaml");
  }
}

function readYaml(file) {
  return loadYamlModule().parse(readFileSync(file, "utf8"));
}

/** Every rule of a Prometheus rule file: {file, group, name, record?, expr}. */
function ruleExpressions(file) {
  const doc = readYaml(file);
  const out = [];
  for (const group of doc?.groups ?? []) {
    for (const rule of group.rules ?? []) {
      out.push({
        where: `${basename(file)}: ${group.name} / ${rule.record ?? rule.alert}`,
        record: rule.record,
        expr: String(rule.expr),
      });
    }
  }
  return out;
}

/** Panels of a dashboard, row panels' nested panels included. */
function allPanels(dashboard) {
  const out = [];
  for (const panel of dashboard.panels ?? []) {
    out.push(panel);
    if (Array.isArray(panel.panels)) out.push(...panel.panels);
  }
  return out;
}

/**
 * The PromQL of a Grafana Prometheus variable query: `label_values(<selector>, label)` →
 * the selector; `query_result(<expr>)` → expr; `label_values(label)`, `label_names()`,
 * `metrics(…)` → none.
 */
function variableQueryExpr(query) {
  const text = (typeof query === "string" ? query : (query?.query ?? "")).trim();
  let m = /^label_values\(\s*([\s\S]*?)\s*,\s*[A-Za-z_][A-Za-z0-9_]*\s*\)$/.exec(text);
  if (m) return m[1];
  m = /^query_result\(([\s\S]*)\)$/.exec(text);
  if (m) return m[1];
  if (
    /^(label_values\(\s*[A-Za-z_][A-Za-z0-9_]*\s*\)|label_names\(.*\)|metrics\(.*\))$/s.test(text)
  ) {
    return null;
  }
  throw new Error(`unrecognised variable query ${JSON.stringify(text)}`);
}

/** Every PromQL expression of a dashboard: {where, expr}. */
function dashboardExpressions(file, dashboard) {
  const out = [];
  const name = basename(file);
  for (const panel of allPanels(dashboard)) {
    for (const target of panel.targets ?? []) {
      if (typeof target.expr === "string" && target.expr.trim() !== "") {
        out.push({
          where: `${name}: panel ${panel.id} "${panel.title}" ${target.refId}`,
          expr: target.expr,
        });
      }
    }
  }
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type !== "query") continue;
    const expr = variableQueryExpr(variable.query ?? variable.definition);
    if (expr) out.push({ where: `${name}: variable $${variable.name}`, expr });
  }
  for (const annotation of dashboard.annotations?.list ?? []) {
    if (typeof annotation.expr === "string" && annotation.expr.trim() !== "") {
      out.push({ where: `${name}: annotation "${annotation.name}"`, expr: annotation.expr });
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// Dashboard structure

const isInt = (v) => Number.isInteger(v);

function checkDashboards(files, { datasourcesFile, providersFile, emitRules }) {
  const problems = [];
  const datasources = readYaml(datasourcesFile)?.datasources ?? [];
  const prometheus = datasources.filter((d) => d.type === "prometheus");
  if (prometheus.length !== 1 || typeof prometheus[0].uid !== "string") {
    problems.push(`${datasourcesFile}: expected one prometheus datasource with a fixed uid`);
  }
  const uid = prometheus[0]?.uid;
  const providers = readYaml(providersFile)?.providers ?? [];
  if (!providers.some((p) => p.type === "file" && typeof p.options?.path === "string")) {
    problems.push(`${providersFile}: expected a provider of type "file" with options.path`);
  }

  const seenUids = new Map();
  const seenTitles = new Map();
  const groups = [];
  for (const file of files) {
    const name = basename(file);
    const problem = (msg) => problems.push(`${name}: ${msg}`);
    let d;
    try {
      d = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      problem(`invalid JSON: ${error.message}`);
      continue;
    }
    if (d === null || typeof d !== "object" || Array.isArray(d)) {
      problem("not a JSON object");
      continue;
    }
    for (const key of ["uid", "title"]) {
      if (typeof d[key] !== "string" || d[key] === "") problem(`missing "${key}"`);
    }
    if (typeof d.uid === "string" && d.uid.length > 40) problem(`uid longer than 40 characters`);
    if (seenUids.has(d.uid)) problem(`uid "${d.uid}" also used by ${seenUids.get(d.uid)}`);
    seenUids.set(d.uid, name);
    if (seenTitles.has(d.title))
      problem(`title "${d.title}" also used by ${seenTitles.get(d.title)}`);
    seenTitles.set(d.title, name);
    if (!isInt(d.schemaVersion) || d.schemaVersion < 36) problem(`schemaVersion must be ≥ 36`);
    if (d.id !== undefined && d.id !== null)
      problem(`"id" must be null or absent when provisioned`);
    if (!Array.isArray(d.panels) || d.panels.length === 0) problem(`no panels`);
    if (!Array.isArray(d.templating?.list)) problem(`templating.list must be an array`);
    if (typeof d.time?.from !== "string" || typeof d.time?.to !== "string")
      problem(`missing time range`);

    const variables = new Set();
    for (const v of d.templating?.list ?? []) {
      if (typeof v.name !== "string" || !/^[A-Za-z0-9_]+$/.test(v.name)) {
        problem(`variable with invalid name ${JSON.stringify(v.name)}`);
        continue;
      }
      if (variables.has(v.name)) problem(`variable $${v.name} defined twice`);
      variables.add(v.name);
      if (v.type === "query") {
        if (v.datasource?.uid !== uid)
          problem(`variable $${v.name}: datasource uid must be "${uid}"`);
        try {
          variableQueryExpr(v.query ?? v.definition);
        } catch (error) {
          problem(`variable $${v.name}: ${error.message}`);
        }
      }
    }

    const ids = new Set();
    const topLevel = [];
    for (const panel of allPanels(d)) {
      const label = `panel ${panel.id} "${panel.title}"`;
      if (!isInt(panel.id)) problem(`${label}: id must be an integer`);
      if (ids.has(panel.id)) problem(`${label}: duplicate id`);
      ids.add(panel.id);
      if (typeof panel.type !== "string" || panel.type === "") problem(`${label}: missing type`);
      if (typeof panel.title !== "string") problem(`${label}: missing title`);
      const g = panel.gridPos;
      if (!g || ![g.h, g.w, g.x, g.y].every(isInt) || g.w < 1 || g.h < 1 || g.x < 0 || g.y < 0) {
        problem(`${label}: gridPos needs integer h ≥ 1, w ≥ 1, x ≥ 0, y ≥ 0`);
      } else if (g.x + g.w > 24) {
        problem(`${label}: gridPos x + w > 24`);
      }
      if (d.panels.includes(panel) && g) topLevel.push({ label, g });
      if (panel.type === "row" || panel.type === "text") continue;
      if (panel.datasource?.uid !== uid || panel.datasource?.type !== "prometheus") {
        problem(`${label}: datasource must be {type: "prometheus", uid: "${uid}"}`);
      }
      if (!Array.isArray(panel.targets) || panel.targets.length === 0) {
        problem(`${label}: no targets`);
        continue;
      }
      const refIds = new Set();
      for (const target of panel.targets) {
        if (typeof target.refId !== "string" || refIds.has(target.refId)) {
          problem(`${label}: missing or duplicate refId ${JSON.stringify(target.refId)}`);
        }
        refIds.add(target.refId);
        if (target.datasource !== undefined && target.datasource?.uid !== uid) {
          problem(`${label} ${target.refId}: target datasource uid must be "${uid}"`);
        }
        if (typeof target.expr !== "string" || target.expr.trim() === "") {
          problem(`${label} ${target.refId}: empty expr`);
        }
      }
    }
    for (let a = 0; a < topLevel.length; a += 1) {
      for (let b = a + 1; b < topLevel.length; b += 1) {
        const p = topLevel[a].g;
        const q = topLevel[b].g;
        if (p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h) {
          problem(`${topLevel[a].label} overlaps ${topLevel[b].label}`);
        }
      }
    }

    const exprs = [];
    try {
      exprs.push(...dashboardExpressions(file, d));
    } catch (error) {
      problem(error.message);
    }
    for (const { where, expr } of exprs) {
      for (const v of grafanaVariables(expr)) {
        if (!variables.has(v) && !GRAFANA_BUILTINS.has(v))
          problems.push(`${where}: undefined variable $${v}`);
      }
      try {
        metricNames(expr);
      } catch (error) {
        problems.push(`${where}: ${error.message}`);
      }
    }
    groups.push({
      name: name,
      rules: exprs.map(({ where, expr }, n) => ({
        record: `dashboard_check:expr_${n + 1}`,
        expr: substituteGrafanaVariables(expr),
        labels: { where: where.replaceAll('"', "'") },
      })),
    });
  }
  if (emitRules) writeFileSync(emitRules, `${JSON.stringify({ groups }, null, 2)}\n`);
  for (const p of problems) console.log(`  ${p}`);
  const count = groups.reduce((n, g) => n + g.rules.length, 0);
  console.log(
    problems.length === 0
      ? `dashboards: ${files.length} files, ${count} queries, structure ok`
      : `dashboards: ${problems.length} problems`,
  );
  return problems.length === 0;
}

// ------------------------------------------------------------------------------------------
// Live check

/** Sample names and family types of Prometheus text exposition. */
function parseExposition(text) {
  const samples = new Set();
  const types = new Map();
  for (const line of text.split("\n")) {
    const type = /^# TYPE ([A-Za-z_:][A-Za-z0-9_:]*) (\w+)/.exec(line);
    if (type) types.set(type[1], type[2]);
    if (line === "" || line.startsWith("#")) continue;
    const name = IDENT.exec(line);
    if (name) samples.add(name[0]);
  }
  return { samples, types };
}

const SUFFIXES = { histogram: ["_bucket", "_sum", "_count"], summary: ["_sum", "_count"] };

/** The family of a series name, given the types of the exposition: strips _bucket/_sum/_count only off histograms and summaries. */
function familyOf(name, types) {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    if (SUFFIXES[types.get(base)]?.includes(suffix)) return base;
  }
  return name;
}

function declaredIn(dirs, family) {
  const needles = [`"${family}"`, `'${family}'`, `\`${family}\``];
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      if (entry === "node_modules") continue;
      const path = join(dir, entry);
      const st = statSync(path);
      if (st.isDirectory()) {
        if (walk(path)) return true;
      } else if (entry.endsWith(".js")) {
        const text = readFileSync(path, "utf8");
        if (needles.some((n) => text.includes(n))) return true;
      }
    }
    return false;
  };
  return dirs.some((dir) => {
    try {
      return walk(dir);
    } catch {
      return false;
    }
  });
}

function checkLive(opts) {
  const samples = new Set();
  const types = new Map();
  for (const file of opts.scrape) {
    const parsed = parseExposition(readFileSync(file, "utf8"));
    for (const s of parsed.samples) samples.add(s);
    for (const [k, v] of parsed.types) types.set(k, v);
  }
  const problems = [];
  const uses = new Map(); // name -> [where]
  const recorded = new Set();
  const exprs = [];
  for (const file of opts.rules) {
    for (const rule of ruleExpressions(file)) {
      if (rule.record) recorded.add(rule.record);
      exprs.push(rule);
    }
  }
  for (const file of opts.dashboards) {
    exprs.push(...dashboardExpressions(file, JSON.parse(readFileSync(file, "utf8"))));
  }
  for (const { where, expr } of exprs) {
    let names = [];
    try {
      names = metricNames(expr);
    } catch (error) {
      problems.push(`${where}: ${error.message}`);
    }
    for (const name of names) {
      if (!uses.has(name)) uses.set(name, []);
      uses.get(name).push(where);
    }
  }

  const missing = [];
  const eventOnly = [];
  let live = 0;
  for (const [name, where] of [...uses].sort(([a], [b]) => a.localeCompare(b))) {
    if (SYNTHETIC.has(name) || recorded.has(name)) continue;
    const family = familyOf(name, types);
    const type = types.get(family);
    if (type === "histogram" && family === name) {
      problems.push(`${name}: a histogram, use ${name}_bucket, _sum or _count (${where[0]})`);
      continue;
    }
    if (samples.has(name) || types.has(name) || (family !== name && types.has(family))) {
      live += 1;
      continue;
    }
    // Not in the scrape: an event-only series must at least be declared in the built code.
    const eventFamily = name.replace(/_(bucket|sum|count)$/, "");
    const listed = opts.eventOnly.find((e) => e === name || e === eventFamily);
    if (listed && declaredIn(opts.dist, listed)) {
      eventOnly.push(name);
      continue;
    }
    missing.push({ name, where, listed });
  }
  for (const e of opts.eventOnly) {
    if (!uses.has(e) && ![...uses.keys()].some((n) => n.startsWith(e))) {
      console.log(`  note: --event-only ${e} is not used by any rule or dashboard`);
    }
  }

  if (!opts.quiet || missing.length === 0 || problems.length > 0) {
    for (const p of problems) console.log(`  ${p}`);
    for (const { name, where, listed } of missing) {
      const why = listed ? " (event-only, but not declared in the built code)" : "";
      console.log(`  missing: ${name}${why}`);
      for (const w of where) console.log(`      used in ${w}`);
    }
    console.log(
      `metric names: ${uses.size} used, ${live} in the live scrape, ${eventOnly.length} event-only (declared: ${eventOnly.join(", ") || "none"}), ` +
        `${[...uses.keys()].filter((n) => SYNTHETIC.has(n) || recorded.has(n)).length} recording/synthetic, ${missing.length} missing`,
    );
  } else {
    console.log(`  still missing: ${missing.map((m) => m.name).join(", ")}`);
  }
  // 3: problems waiting cannot fix; 1: names missing (maybe not created yet); 0: all there.
  if (problems.length > 0) return 3;
  return missing.length > 0 ? 1 : 0;
}

// ------------------------------------------------------------------------------------------
// CLI

/** Options: `multi` take every following value, `single` one, `flags` none; the rest are files. */
function parseArgs(argv, { multi = [], single = [], flags = [] }) {
  const opts = Object.fromEntries([...multi, ...single].map((k) => [k, []]));
  const rest = [];
  let current = null;
  for (const arg of argv) {
    if (arg.startsWith("--")) {
      const key = arg.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase());
      if (flags.includes(key)) {
        opts[key] = true;
        current = null;
      } else if (key in opts) {
        current = key;
      } else {
        throw new Error(`unknown option ${arg}`);
      }
    } else if (current) {
      opts[current].push(arg);
      if (single.includes(current)) current = null;
    } else {
      rest.push(arg);
    }
  }
  return { opts, rest };
}

function main(argv) {
  const [command, ...args] = argv;
  switch (command) {
    case "names": {
      for (const name of metricNames(args.join(" "))) console.log(name);
      return true;
    }
    case "self-test":
      return selfTest();
    case "dashboards": {
      const { opts, rest } = parseArgs(args, { single: ["datasources", "providers", "emitRules"] });
      return checkDashboards(rest, {
        datasourcesFile: opts.datasources[0],
        providersFile: opts.providers[0],
        emitRules: opts.emitRules[0],
      });
    }
    case "check": {
      const { opts } = parseArgs(args, {
        multi: ["rules", "dashboards", "scrape", "eventOnly", "dist"],
        flags: ["quiet"],
      });
      if (opts.scrape.length === 0) throw new Error("check: no --scrape file");
      return checkLive(opts);
    }
    default:
      console.error("usage: promql-metric-names.mjs names|self-test|dashboards|check …");
      return false;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const result = main(process.argv.slice(2));
    process.exitCode = typeof result === "number" ? result : result ? 0 : 1;
  } catch (error) {
    console.error(`promql-metric-names: ${error.message}`);
    process.exitCode = 2;
  }
}
