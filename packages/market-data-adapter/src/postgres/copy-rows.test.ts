import { describe, expect, it } from "vitest";
import { type ColumnSpec, copyLine, unnestInsert, unnestParameters } from "./column-spec.js";
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

describe("column specs", () => {
  interface Row {
    readonly symbol: string;
    readonly price: number;
    readonly note: string;
  }
  const columns: readonly ColumnSpec<Row>[] = [
    { name: "symbol", type: "text", value: (r) => r.symbol },
    { name: "price", type: "numeric", value: (r) => r.price },
    { name: "note", type: "text", value: (r) => r.note, freeText: true },
  ];
  const rows: Row[] = [
    { symbol: "BTC-USD", price: 1.5, note: 'tab\there "q"' },
    { symbol: "ETH-USD", price: 2, note: "" },
  ];

  it("build one typed array parameter per column, quoting only free text", () => {
    expect(unnestInsert("t", columns)).toBe(
      "insert into t (symbol, price, note) select * from unnest($1::text[], $2::numeric[], $3::text[])",
    );
    expect(unnestParameters(columns, rows)).toEqual([
      "{BTC-USD,ETH-USD}",
      "{1.5,2}",
      '{"tab\there \\"q\\"",""}',
    ]);
  });

  it("build COPY lines with free text escaped", () => {
    expect(copyLine(columns, rows[0] as Row)).toBe('BTC-USD\t1.5\ttab\\there "q"\n');
  });
});
