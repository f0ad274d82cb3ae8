import { describe, expect, it } from "vitest";
import { parseLabelMap } from "./label-map.js";
import { toLabelledItems, type CsvTable } from "./labelled-items.js";

const labels = ["正面", "负面"];
const table = (rows: Record<string, string>[], columns = ["text", "label"]): CsvTable => ({
  name: "reviews.csv",
  columns,
  rows: rows.map((values, index) => ({ line: index + 2, values })),
});
const columns = { textColumn: "text", labelColumn: "label", labels };

describe("toLabelledItems", () => {
  it("keeps each row's text, gold label and line", () => {
    const items = toLabelledItems(
      table([
        { text: "很好", label: "正面" },
        { text: "很差", label: "负面" },
      ]),
      columns,
    );
    expect(items).toEqual([
      { text: "很好", gold: "正面", line: 2 },
      { text: "很差", gold: "负面", line: 3 },
    ]);
  });

  it("maps data-set values through --label-map", () => {
    const labelMap = parseLabelMap("1=正面, 0=负面", labels);
    const items = toLabelledItems(table([{ text: "很差", label: " 0 " }]), { ...columns, labelMap });
    expect(items[0]?.gold).toBe("负面");
  });

  it.each([
    [table([], []), /reviews\.csv is empty: it has no header line/],
    [table([], ["text", "label"]), /reviews\.csv has a header but no rows/],
    [
      table([{ body: "x", label: "正面" }], ["body", "label"]),
      /no column "text" \(--text-column\); its columns are "body", "label"/,
    ],
    [table([{ text: "x", stars: "1" }], ["text", "stars"]), /no column "label" \(--label-column\)/],
    [
      table([
        { text: "好", label: "正面" },
        { text: "  ", label: "负面" },
      ]),
      /reviews\.csv line 3: column "text" is empty/,
    ],
    [
      table([{ text: "好", label: "1" }]),
      /line 2: label "1" in column "label" is not one of the task's labels \(正面, 负面\); pass --label-map/,
    ],
  ])("stops with a message naming the column or the line (%#)", (input, message) => {
    expect(() => toLabelledItems(input, columns)).toThrow(message);
  });

  it("names a value the label map lacks, with its line", () => {
    const labelMap = parseLabelMap("1=正面,0=负面", labels);
    expect(() =>
      toLabelledItems(
        table([
          { text: "好", label: "1" },
          { text: "中", label: "2" },
        ]),
        { ...columns, labelMap },
      ),
    ).toThrow(/line 3: label "2" in column "label" .*--label-map has no entry for it/);
  });
});

describe("parseLabelMap", () => {
  it.each([
    ["1=正面,0", /entry "0" is not of the form value=label/],
    ["1=正面,1=负面", /maps "1" twice/],
    ["1=positive", /"positive", which is not one of the task's labels \(正面, 负面\)/],
  ])("refuses %s", (text, message) => {
    expect(() => parseLabelMap(text, labels)).toThrow(message);
  });
});
