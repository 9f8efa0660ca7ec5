import { z } from "zod";

/**
 * One configuration setting: where it comes from (an environment variable and a command-line
 * flag), what it means, its default, and the rule its value must follow.
 *
 * Raw values are always strings (from the environment, a `.env` file or a flag); `schema`
 * turns a raw string into the typed value or rejects it.
 */
export interface Setting<T> {
  /** The environment variable, e.g. `HTTP_PORT`. */
  readonly env: string;
  /** The command-line flag without dashes; derived from `env` (`http-port`) when absent. */
  readonly flag?: string;
  /** One line for `--help`. */
  readonly description: string;
  /** The raw default; a setting without one is optional and resolves to `undefined`. */
  readonly default?: string | undefined;
  /** Parses the raw string; its issue messages become the start-up error. */
  readonly schema: z.ZodType<T>;
  /** Secret values (passwords in URLs) are redacted in logs and `--help`. */
  readonly secret?: boolean;
}

/** A named set of settings, as passed to `loadConfig`. */
export type SettingsSpec = Readonly<Record<string, Setting<unknown>>>;

/**
 * The typed values of a {@link SettingsSpec}: a setting with a default is always present, one
 * without may be `undefined`.
 */
export type ConfigValues<S extends SettingsSpec> = {
  readonly [K in keyof S]: S[K] extends Setting<infer T>
    ? S[K] extends { default: string }
      ? T
      : T | undefined
    : never;
};

/** The command-line flag of a setting: its explicit flag, or `env` in lower kebab case. */
export function flagOf(setting: Setting<unknown>): string {
  return setting.flag ?? setting.env.toLowerCase().replaceAll("_", "-");
}

/** Defines a setting; a typed identity function so the value type is inferred from the schema. */
export function setting<T, const D extends string | undefined = undefined>(
  spec: Setting<T> & { default?: D },
): Setting<T> & { default: D } {
  return spec as Setting<T> & { default: D };
}

/** An integer within `[min, max]`. */
export function integerSchema(min: number, max: number): z.ZodType<number> {
  return z
    .string()
    .trim()
    .regex(/^-?\d+$/, "must be an integer")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

/** A finite decimal number within `[min, max]` (`1.5`, `0.25`, `100`). */
export function numberSchema(min: number, max: number): z.ZodType<number> {
  return z
    .string()
    .trim()
    .regex(/^-?(\d+\.?\d*|\.\d+)$/, "must be a number")
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

/** A TCP port: 0 (any free port) to 65535. */
export const portSchema: z.ZodType<number> = integerSchema(0, 65535);

/** `true`/`false` (also `1`/`0`, `yes`/`no`, case-insensitive). */
export const booleanSchema: z.ZodType<boolean> = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ["true", "false", "1", "0", "yes", "no"].includes(v), {
    message: "must be true or false",
  })
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** A comma-separated list; blanks around items are trimmed and empty items dropped. */
export const listSchema: z.ZodType<readonly string[]> = z.string().transform((v) =>
  v
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

/** One of a fixed set of strings. */
export function enumSchema<const T extends readonly [string, ...string[]]>(
  values: T,
): z.ZodType<T[number]> {
  return z.enum(values, { message: `must be one of ${values.join(", ")}` });
}

/** A URL whose scheme is one of `protocols` (e.g. `["postgres:", "postgresql:"]`). */
export function urlSchema(protocols: readonly string[]): z.ZodType<string> {
  return z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}` },
    );
}

/** Any string, trimmed. */
export const stringSchema: z.ZodType<string> = z.string().trim();
