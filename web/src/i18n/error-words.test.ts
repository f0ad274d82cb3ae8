import { describe, expect, it } from "vitest";
import { errorCodes } from "../../../src/errors.js";
import { enErrors, webErrorCodes, zhErrors } from "./error-words.js";
import { catalogues as messages } from "./messages.js";

// Terms that stay as they are in Chinese text.
const keptTerms = /\b(JSON|LoRA|HTTP)\b/g;

describe("error words", () => {
  const codes = [...Object.keys(errorCodes), ...webErrorCodes];

  it.each(codes)("%s has a Chinese and an English sentence", (code) => {
    const zh = (zhErrors as Record<string, string>)[code];
    const en = (enErrors as Record<string, string>)[code];
    expect(zh, code).toMatch(/[\u4e00-\u9fff]/);
    expect(zh!.replace(keptTerms, ""), code).not.toMatch(/[A-Za-z]{2,}/);
    expect(en, code).toMatch(/^[A-Z].*[.)]$/);
  });

  it("never shows the server's English sentence in the Chinese UI, even for a code it does not know", () => {
    expect(messages.zh.errorMessage("ENGINE_BUSY", "All sequences are busy")).toBe("模型正忙，请稍后再试。");
    expect(messages.zh.errorMessage("HTTP_502", "Bad Gateway")).toBe("服务器报告了一个错误（HTTP_502）。");
    expect(messages.en.errorMessage("HTTP_502", "Bad Gateway")).toBe("Bad Gateway (HTTP_502)");
  });
});
