import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deriveRedisNamespace, deriveSchema } from "./derive-names.js";
import { discoveryKey, discoveryPattern } from "./discovery-keys.js";
import { validateInstanceName } from "./instance-name.js";
import { InvalidIdentityError } from "./invalid-identity-error.js";
import { validateRedisNamespace, validateSchemaName } from "./overrides.js";
import { escapeGlob, redisKey, scanPattern } from "./redis-keys.js";
import { resolveServiceIdentity } from "./service-identity.js";
import { quoteIdentifier } from "./sql-identifier.js";

const MDS = "market-data-simulator";

/** Strings over the accepted alphabet: most are names, some break the edge or length rules. */
const alphabetString = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-"),
  minLength: 1,
  maxLength: 70,
});
/** A tiny alphabet, so that near-collisions (`a-b` / `ab` / `a--b`) are frequent. */
const tinyString = fc.string({
  unit: fc.constantFrom("a", "b", "-", "p", "g", "quote", "cache"),
  maxLength: 8,
});
/** Names built to match the pattern, up to the length limit. */
const patternName = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
/** Anything at all, including non-ASCII, whitespace, quotes and controls. */
const anyString = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ maxLength: 80 }),
);
const candidate = fc.oneof(alphabetString, tinyString, patternName, anyString);

/** An accepted instance name. */
const acceptedName = fc
  .oneof(patternName, alphabetString, tinyString)
  .filter((name) => validateInstanceName(name).ok);

/** The rules of docs/data-model.md#instance-identity stated independently of the implementation. */
function shouldAccept(name: string): boolean {
  const schema = name.replaceAll("-", "_");
  return (
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name) &&
    name.length <= 63 &&
    !schema.startsWith("pg_") &&
    schema !== "information_schema" &&
    name !== "registry" &&
    !name.startsWith("registry-") &&
    !name.split("-").some((segment) => ["quote", "prices", "cache"].includes(segment))
  );
}

function unquote(quoted: string): string {
  expect(quoted.startsWith('"') && quoted.endsWith('"')).toBe(true);
  const inner = quoted.slice(1, -1);
  // Every `"` inside must come in doubled pairs, or the identifier would end early.
  expect(inner.replaceAll('""', "")).not.toContain('"');
  return inner.replaceAll('""', '"');
}

function unescapeGlob(pattern: string): string {
  return pattern.replace(/\\(.)/gs, "$1");
}

describe("property: validation", () => {
  it("accepts exactly the names docs/data-model.md#instance-identity allows", () => {
    fc.assert(
      fc.property(candidate, (name) => {
        expect(validateInstanceName(name).ok).toBe(shouldAccept(name));
      }),
      { numRuns: 3_000 },
    );
  });

  it("rejects with a reason, and start-up fails naming SERVICE_INSTANCE_NAME on one line", () => {
    fc.assert(
      fc.property(candidate, (name) => {
        fc.pre(name !== "" && !shouldAccept(name));
        const check = validateInstanceName(name);
        expect(check.ok ? "" : check.reason).toMatch(/^must /);
        let error: unknown;
        try {
          resolveServiceIdentity({ serviceName: MDS, instanceName: name, version: "1" });
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(InvalidIdentityError);
        const invalid = error as InvalidIdentityError;
        expect(invalid.variable).toBe("SERVICE_INSTANCE_NAME");
        expect(invalid.message.startsWith("SERVICE_INSTANCE_NAME must ")).toBe(true);
        expect(invalid.message).not.toMatch(/[\n\r\u0085\u2028\u2029]/);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("property: every accepted name derives safe names", () => {
  it("a schema that is a valid, unreserved identifier whose quoted form round-trips", () => {
    fc.assert(
      fc.property(acceptedName, (name) => {
        const schema = resolveServiceIdentity({
          serviceName: MDS,
          instanceName: name,
          version: "1",
        }).schema;
        expect(schema).toMatch(/^[a-z0-9_]{1,63}$/);
        expect(schema.startsWith("pg_")).toBe(false);
        expect(schema).not.toBe("information_schema");
        expect(quoteIdentifier(schema)).toBe(`"${schema}"`);
        expect(unquote(quoteIdentifier(schema))).toBe(schema);
        // Valid as a SCHEMA_NAME override too, unless it starts with a digit (quoted, it is fine).
        if (!/^[0-9]/.test(schema)) expect(validateSchemaName(schema)).toEqual({ ok: true });
      }),
      { numRuns: 2_000 },
    );
  });

  it("a namespace that ends with ':', holds no glob character and is a valid override", () => {
    fc.assert(
      fc.property(acceptedName, (name) => {
        const namespace = deriveRedisNamespace(MDS, name);
        expect(namespace).toMatch(/^[a-z0-9:]+:$/);
        expect(namespace).not.toMatch(/[*?[\]\\\s]/);
        expect(escapeGlob(namespace)).toBe(namespace);
        expect(namespace.startsWith("registry:")).toBe(false);
        expect(validateRedisNamespace(namespace)).toEqual({ ok: true });
      }),
      { numRuns: 2_000 },
    );
  });

  it("derivation is invertible, hence injective: the name can be read back", () => {
    fc.assert(
      fc.property(acceptedName, (name) => {
        expect(deriveSchema(name).replaceAll("_", "-")).toBe(name);
        expect(deriveRedisNamespace(MDS, name).slice(0, -1).replaceAll(":", "-")).toBe(name);
      }),
      { numRuns: 2_000 },
    );
  });

  it("distinct accepted names never share a schema or a namespace", () => {
    const names = fc.uniqueArray(
      tinyString.filter((name) => validateInstanceName(name).ok),
      {
        minLength: 2,
        maxLength: 30,
      },
    );
    fc.assert(
      fc.property(names, (list) => {
        expect(new Set(list.map(deriveSchema)).size).toBe(list.length);
        expect(new Set(list.map((name) => deriveRedisNamespace(MDS, name))).size).toBe(list.length);
      }),
      { numRuns: 500 },
    );
  });

  it("one namespace lies under another only through whole '-' segments of the names", () => {
    fc.assert(
      fc.property(acceptedName, acceptedName, (a, b) => {
        const nsA = deriveRedisNamespace(MDS, a);
        const nsB = deriveRedisNamespace(MDS, b);
        expect(nsB.startsWith(nsA)).toBe(a === b || b.startsWith(`${a}-`));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("property: built names", () => {
  const part = fc
    .string({ unit: "grapheme", minLength: 1, maxLength: 12 })
    .filter((text) => !/[:*?[\]\\\s\p{Cc}]/u.test(text));

  it("redisKey puts every part, in order, as one segment under the namespace", () => {
    fc.assert(
      fc.property(acceptedName, fc.array(part, { minLength: 1, maxLength: 5 }), (name, parts) => {
        const namespace = deriveRedisNamespace(MDS, name);
        const key = redisKey(namespace, ...parts);
        expect(key.startsWith(namespace)).toBe(true);
        expect(key.slice(namespace.length).split(":")).toEqual(parts);
        expect(escapeGlob(key)).toBe(key);
      }),
    );
  });

  it("scanPattern is the escaped literal prefix plus one '*'", () => {
    const anyPart = fc
      .string({ unit: "grapheme", minLength: 1, maxLength: 12 })
      .filter((text) => !/[:\s\p{Cc}]/u.test(text));
    fc.assert(
      fc.property(acceptedName, fc.array(anyPart, { maxLength: 4 }), (name, parts) => {
        const namespace = deriveRedisNamespace(MDS, name);
        const pattern = scanPattern(namespace, ...parts);
        expect(pattern.endsWith("*")).toBe(true);
        const literal = pattern.slice(0, -1);
        expect(unescapeGlob(literal)).toBe(`${namespace}${parts.map((p) => `${p}:`).join("")}`);
        // No unescaped glob character is left in the literal prefix.
        expect(literal.replace(/\\./gs, "")).not.toMatch(/[*?[\]\\]/);
      }),
    );
  });

  it("discovery keys of accepted names match their service's pattern and no other", () => {
    fc.assert(
      fc.property(acceptedName, acceptedName, acceptedName, (service, other, instance) => {
        const key = discoveryKey(service, instance);
        const matches = (pattern: string) =>
          key.startsWith(pattern.slice(0, -1)) && pattern.endsWith(":*");
        expect(matches(discoveryPattern(service))).toBe(true);
        expect(matches(discoveryPattern(other))).toBe(other === service);
      }),
    );
  });

  it("quoteIdentifier round-trips every identifier it accepts", () => {
    fc.assert(
      fc.property(
        fc.oneof(anyString, fc.string({ unit: fc.constantFrom('"', "a", " ") })),
        (id) => {
          let quoted: string;
          try {
            quoted = quoteIdentifier(id);
          } catch (error) {
            expect(error).toBeInstanceOf(RangeError);
            expect(
              id === "" ||
                id.includes("\0") ||
                /\p{Cs}/u.test(id) ||
                new TextEncoder().encode(id).length > 63,
            ).toBe(true);
            return;
          }
          expect(unquote(quoted)).toBe(id);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
