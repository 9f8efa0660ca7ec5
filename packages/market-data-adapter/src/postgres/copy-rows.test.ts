import { describe, expect, it } from "vitest";
import { copyText } from "./copy-rows.js";
import { arrayLiteral, metadataJson, quotedArrayLiteral } from "./write-chunks.js";

describe("copyText", () => {
  it("escapes the characters that would split a COPY text row, and nothing else", () => {
    expect(copyText('plain, "quoted" {x}')).toBe('plain, "quoted" {x}');
    expect(copyText("a\tb\nc\rd\\e")).toBe("a\\tb\\nc\\rd\\\\e");
    expect(copyText(JSON.stringify({ s: "line\nbreak" }))).toBe('{"s":"line\\\\nbreak"}');
  });
});

describe("array literals", () => {
  it("joins safe values unquoted, numbers in their shortest form", () => {
    expect(arrayLiteral(["BTC-USD", "ETH-USD"])).toBe("{BTC-USD,ETH-USD}");
    expect(arrayLiteral([1.5, 1e-7, 100])).toBe("{1.5,1e-7,100}");
    expect(arrayLiteral([])).toBe("{}");
  });

  it("quotes every free-text element and escapes quotes and backslashes", () => {
    expect(quotedArrayLiteral(['a"b', "c\\d", "NULL", "x,y", ""])).toBe(
      '{"a\\"b","c\\\\d","NULL","x,y",""}',
    );
  });

  it("serializes empty metadata without JSON.stringify, other metadata as JSON", () => {
    expect(metadataJson({})).toBe("{}");
    expect(metadataJson({ a: [1, "}"] })).toBe('{"a":[1,"}"]}');
  });
});
