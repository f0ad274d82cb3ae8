import fs from "node:fs";
import os from "node:os";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { bundledPromptsDir, configSchema, loadConfig } from "./config.js";
import { modelPrecisions } from "./engine/local/published-model.js";

/**
 * The README's configuration table against the config schema, as docs/errors.md is checked against the error
 * codes: every variable, its default and the values an enumerated variable takes. A new or changed setting fails
 * here until its row says the same as the code.
 */
interface Row {
  name: string;
  defaultCell: string;
  meaning: string;
}

const readme = fs.readFileSync(new URL("../README.md", import.meta.url), "utf8");
const section = readme.slice(
  readme.indexOf("## Configuration"),
  readme.indexOf("\n## ", readme.indexOf("## Configuration") + 1),
);
const rows: Row[] = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)` +\|(.*)\|(.*)\|$/gm)].map((match) => ({
  name: match[1]!,
  defaultCell: match[2]!.trim(),
  meaning: match[3]!.trim(),
}));
const settings = configSchema.shape as Record<string, z.ZodType>;
const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
/** The one value a default cell holds in backticks, e.g. `8080`. */
const documentedValue = (cell: string) => /^`([^`]*)`$/.exec(cell)?.[1];

/** What a setting is when it isn't set: its schema's output for no value. */
const schemaDefault = (name: string): unknown => settings[name]!.parse(undefined);

/** The values an enumerated setting accepts (z.enum, possibly behind .default() and .transform()), else undefined. */
function enumValues(schema: z.ZodType): string[] | undefined {
  const def = schema.def as {
    type: string;
    entries?: Record<string, string>;
    innerType?: z.ZodType;
    in?: z.ZodType;
  };
  if (def.type === "enum") return Object.values(def.entries ?? {});
  if (def.type === "default" || def.type === "optional") return enumValues(def.innerType!);
  if (def.type === "pipe") return enumValues(def.in!);
  return undefined;
}

/** Switches: the true/false enums (`1` and `0` too), documented once above the table. */
const isSwitch = (values: string[] | undefined) => values?.toSorted().join() === "0,1,false,true";

/**
 * Defaults that are no single value in the schema, each with what the README says and what the code does.
 * Everything else must show its schema default in backticks, or `unset` when it has none.
 */
const derivedDefaults: Record<string, { cell: string; actual: () => unknown; expected: unknown }> = {
  // Unset MODEL_PATH means MODEL_PRECISION's published file.
  MODEL_PATH: {
    cell: "`hf:Qwen/Qwen1.5-0.5B-Chat-GGUF/qwen1_5-0_5b-chat-q8_0.gguf`",
    actual: () => loadConfig({}).modelPath,
    expected: "hf:Qwen/Qwen1.5-0.5B-Chat-GGUF/qwen1_5-0_5b-chat-q8_0.gguf",
  },
  // Unset keeps the preset's first stage.
  ROLLOUT_CANARY_SHARE: {
    cell: "`0.1`",
    actual: () => loadConfig({}).rolloutPolicy.rampSteps[0]?.share,
    expected: 0.1,
  },
  // Machine-dependent.
  THREADS: {
    cell: "number of cores",
    actual: () => schemaDefault("THREADS"),
    expected: os.availableParallelism(),
  },
  PROMPTS_DIR: {
    cell: "the package's `prompts/`",
    actual: () => schemaDefault("PROMPTS_DIR"),
    expected: bundledPromptsDir,
  },
  // Asked of the server at start.
  LLM_MODEL: { cell: "the server's", actual: () => schemaDefault("LLM_MODEL"), expected: undefined },
};

describe("the README's configuration table", () => {
  it("documents every setting once, and only settings that exist", () => {
    const names = rows.map((row) => row.name);
    expect(names.length).toBe(new Set(names).size);
    expect(new Set(names)).toEqual(new Set(Object.keys(settings)));
  });

  it.each(rows.map((row) => [row.name, row] as const))("%s: its default is the schema's", (name, row) => {
    const derived = derivedDefaults[name];
    if (derived !== undefined) {
      expect(row.defaultCell).toBe(derived.cell);
      expect(derived.actual()).toEqual(derived.expected);
      return;
    }
    const actual = schemaDefault(name);
    // No value, or an empty list (ADMIN_TOKENS), reads as "unset"; an empty string as "empty".
    if (actual === undefined || (Array.isArray(actual) && actual.length === 0))
      return expect(row.defaultCell).toBe("unset");
    if (actual === "") return expect(row.defaultCell).toBe("empty");
    const value = documentedValue(row.defaultCell);
    expect(value, `${name}'s default cell must be one value in backticks`).toBeDefined();
    // Read through the same schema, so `8080` and 8080, or `false` and false, compare as the code sees them.
    expect(settings[name]!.parse(value)).toEqual(actual);
  });

  it.each(
    rows
      .filter((row) => enumValues(settings[row.name]!) !== undefined)
      .map((row) => [row.name, row] as const),
  )("%s: names exactly the values it accepts", (name, row) => {
    const values = enumValues(settings[name]!)!;
    if (isSwitch(values)) {
      // Switches say what `true` (or the default's opposite) does; the values are given once above the table.
      expect(["`true`", "`false`"]).toContain(row.defaultCell);
      return;
    }
    const named = backticked(row.meaning).filter((token) => /^[a-z][a-z0-9_-]*$/.test(token));
    expect(new Set(named)).toEqual(new Set(values));
  });

  it("says once which values a switch takes", () => {
    expect(section).toContain("Switches take `true` or `false` (`1` and `0` too)");
    const switches = Object.entries(settings).filter(([, schema]) => isSwitch(enumValues(schema)));
    expect(switches.length).toBeGreaterThan(0);
  });

  it("lists every MODEL_PRECISION the config accepts, and refuses the unpublished ones it names with directions", () => {
    const row = rows.find((candidate) => candidate.name === "MODEL_PRECISION")!;
    const named = backticked(row.meaning).filter((token) => /^(q\d|b?fp?\d)[a-z0-9_]*$/.test(token));
    const accepted = named.filter((value) => {
      try {
        expect(loadConfig({ MODEL_PRECISION: value }).modelPath).toBe(
          `hf:Qwen/Qwen1.5-0.5B-Chat-GGUF/qwen1_5-0_5b-chat-${value}.gguf`,
        );
        return true;
      } catch (error) {
        expect(String(error)).toContain("set MODEL_PATH");
        return false;
      }
    });
    expect(accepted).toEqual([...modelPrecisions]);
    expect(named).toEqual(expect.arrayContaining(["f16", "f32"]));
  });
});
