/**
 * A predicate that tells whether a string matches a Redis glob pattern, with the semantics of
 * `SCAN MATCH` / `KEYS` (Redis' `stringmatchlen`): `*` any run of characters (also empty), `?`
 * one character, `[abc]`, `[a-z]` (a reversed range is swapped), `[^…]` negated classes, and `\x`
 * the literal `x` (inside classes too). A `[` without its `]` takes the rest of the pattern as
 * the class. Matching is case-sensitive and whole-string. Tests use it to check which keys a
 * Redis ACL key pattern grants (ACL patterns are the same globs).
 */
export function redisGlobMatcher(pattern: string): (text: string) => boolean {
  const regex = new RegExp(`^${globToRegexSource(pattern)}$`, "su");
  return (text) => regex.test(text);
}

function globToRegexSource(pattern: string): string {
  const chars = Array.from(pattern);
  let out = "";
  let i = 0;
  while (i < chars.length) {
    const char = chars[i] as string;
    if (char === "*") {
      out += ".*";
      i += 1;
    } else if (char === "?") {
      out += ".";
      i += 1;
    } else if (char === "\\" && i + 1 < chars.length) {
      out += escapeRegex(chars[i + 1] as string);
      i += 2;
    } else if (char === "[") {
      i += 1;
      let negate = false;
      if (chars[i] === "^") {
        negate = true;
        i += 1;
      }
      const parts: string[] = [];
      while (i < chars.length && chars[i] !== "]") {
        let start = chars[i] as string;
        if (start === "\\" && i + 1 < chars.length) {
          i += 1;
          start = chars[i] as string;
        }
        if (chars[i + 1] === "-" && i + 2 < chars.length && chars[i + 2] !== "]") {
          let end = chars[i + 2] as string;
          let consumed = 3;
          if (end === "\\" && i + 3 < chars.length) {
            end = chars[i + 3] as string;
            consumed = 4;
          }
          const [low, high] =
            (start.codePointAt(0) ?? 0) <= (end.codePointAt(0) ?? 0) ? [start, end] : [end, start];
          parts.push(`${escapeClass(low)}-${escapeClass(high)}`);
          i += consumed;
        } else {
          parts.push(escapeClass(start));
          i += 1;
        }
      }
      i += 1; // the closing `]`, or past the end for an unclosed class
      // An empty class matches nothing in Redis; `[^]` matches any one character.
      out +=
        parts.length === 0 ? (negate ? "." : "(?!)") : `[${negate ? "^" : ""}${parts.join("")}]`;
    } else {
      out += escapeRegex(char);
      i += 1;
    }
  }
  return out;
}

function escapeRegex(char: string): string {
  // Only syntax characters: unicode-mode regexes reject needless escapes such as `\-`.
  return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
}

function escapeClass(char: string): string {
  return /[\\^\]-]/.test(char) ? `\\${char}` : char;
}
