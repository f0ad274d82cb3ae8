import { describe, expect, it } from "vitest";
import type { VersionView } from "./console-api.js";
import { createBodyOf, formFromParent, nextVersionName } from "./version-form-fields.js";

const parent: VersionView = {
  id: "sentiment@v1",
  task: "sentiment",
  version: "v1",
  kind: "classifier",
  status: "active",
  labels: ["active"],
  source: "file",
  parentId: null,
  changelog: {},
  contentHash: "abc",
  createdAt: "2026-12-06T00:00:00.000Z",
  retiredAt: null,
  definition: {
    systemPrompt: "判断情感。",
    labels: ["正面", "负面"],
    fewShot: [{ input: "好吃", label: "正面" }],
    params: { temperature: 0 },
  },
};

describe("nextVersionName", () => {
  it("takes the next number after the highest v<n>", () => {
    expect(nextVersionName(["v1", "v2", "v10", "hotfix"])).toBe("v11");
    expect(nextVersionName([])).toBe("v2");
    expect(nextVersionName(["draft-a"])).toBe("v2");
  });
});

describe("createBodyOf", () => {
  const form = formFromParent(parent, ["v1", "v3"]);

  it("fills the form with every field of the parent", () => {
    expect(form).toEqual({
      version: "v4",
      system: "判断情感。",
      labels: "正面, 负面",
      fewShot: [{ input: "好吃", label: "正面" }],
      params: '{\n  "temperature": 0\n}',
      retrieval: "",
      description: "",
      changelog: "",
    });
  });

  it("sends only what differs from the parent, so an untouched form is a no-change the server refuses", () => {
    expect(createBodyOf(parent, { ...form, changelog: "试试" })).toEqual({
      body: { task: "sentiment", version: "v4", parentId: "sentiment@v1", changelog: { summary: "试试" } },
    });
    const edited = {
      ...form,
      changelog: " 转折句以后半句为准 ",
      system: "判断情感。转折后为准。",
      labels: "正面，负面, 中性",
      fewShot: [...form.fewShot, { input: "一般,但是失望", label: "负面" }, { input: " ", label: "" }],
      params: '{"temperature": 0.2}',
      retrieval: '{"k": 3}',
    };
    expect(createBodyOf(parent, edited)).toEqual({
      body: {
        task: "sentiment",
        version: "v4",
        parentId: "sentiment@v1",
        changelog: { summary: "转折句以后半句为准" },
        system: "判断情感。转折后为准。",
        labels: ["正面", "负面", "中性"],
        fewShot: [
          { input: "好吃", label: "正面" },
          { input: "一般,但是失望", label: "负面" },
        ],
        params: { temperature: 0.2 },
        retrieval: { k: 3 },
      },
    });
  });

  it("names what is wrong: no changelog, or a JSON field that is not an object", () => {
    expect(createBodyOf(parent, form)).toEqual({ problem: { kind: "changelog" } });
    expect(createBodyOf(parent, { ...form, changelog: "x", params: "{oops" })).toEqual({
      problem: { kind: "json", field: "params" },
    });
    expect(createBodyOf(parent, { ...form, changelog: "x", retrieval: "[1]" })).toEqual({
      problem: { kind: "json", field: "retrieval" },
    });
  });
});
