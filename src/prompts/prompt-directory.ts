import fs from "node:fs/promises";
import path from "node:path";
import YAML from "yaml";
import { AppError, isAppError } from "../errors.js";
import { promptVersionId, type PromptDefinition } from "../tasks/prompt-definition.js";
import { parsePromptFile } from "./prompt-file.js";
import type { VersionStatus } from "./registry-version-status.js";
import { parseRegistryFile } from "./registry-file/parse-registry-file.js";
import { resolveRegistryEntries } from "./registry-file/resolve-registry-entries.js";
import { parseYamlSource, YamlSyntaxError } from "./registry-file/yaml-source.js";
import { shortDiff } from "./registry-file/version-conflicts.js";

/** A version defined in PROMPTS_DIR, with where. */
export interface PromptFileDefinition {
  definition: PromptDefinition;
  /** The file as PROMPTS_DIR/name, e.g. `prompts/sentiment.v1.yaml`. */
  file: string;
  /** Line of the version (`version:` in a prompt file, the entry's key in a registry file). */
  line: number | null;
  /** A registry file's `status` for the entry (only `active` is used: which version a new task starts on). */
  status?: VersionStatus;
}

/** A registry-shaped file (`prompts: <version>: <task>: …`, the write-up's shape) rather than one prompt file. */
function isRegistryShaped(text: string): boolean {
  try {
    const value: unknown = YAML.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) && "prompts" in value;
  } catch {
    return false;
  }
}

function versionLine(text: string): number | null {
  try {
    return parseYamlSource(text).lineOf(["version"]);
  } catch (error) {
    if (error instanceof YamlSyntaxError) return null;
    throw error;
  }
}

async function readOneFile(text: string, file: string): Promise<PromptFileDefinition[]> {
  if (!isRegistryShaped(text))
    return [{ definition: parsePromptFile(text, file), file, line: versionLine(text) }];
  try {
    const entries = await resolveRegistryEntries(parseRegistryFile(text, file), {
      activeVersion: async () => undefined,
      now: 0,
      fileName: file,
    });
    return entries.map((entry) => ({
      definition: entry.definition,
      file,
      line: entry.raw.line,
      ...(entry.status && { status: entry.status }),
    }));
  } catch (error) {
    if (!isAppError(error)) throw error;
    throw new AppError("CONFIG_INVALID", `PROMPTS_DIR: ${error.message}`, { cause: error });
  }
}

const at = (definition: PromptFileDefinition) =>
  `${definition.file}${definition.line === null ? "" : `:${definition.line}`}`;

/** Two files that define one version id with different content: name both, the difference and the fix. */
function checkNoDuplicates(definitions: readonly PromptFileDefinition[]): void {
  const seen = new Map<string, PromptFileDefinition>();
  for (const current of definitions) {
    const id = promptVersionId(current.definition.task, current.definition.version);
    const first = seen.get(id);
    if (!first) {
      seen.set(id, current);
      continue;
    }
    const diff = shortDiff(first.definition, current.definition, { from: at(first), to: at(current) });
    if (diff === "") continue;
    throw new AppError(
      "CONFIG_INVALID",
      `${at(current)}: ${id} is already defined by ${at(first)} with different content:\n` +
        `${diff.replace(/^/gm, "    ")}\n` +
        `Versions are immutable. Fix: give one of them another version (e.g. ${current.definition.version}-2), or move ` +
        `${current.file} out of PROMPTS_DIR and load it with \`promptloop prompts import --as-new-version <file>\`.`,
    );
  }
}

/**
 * Every version PROMPTS_DIR defines, in file-name order, with file and line: prompt files (one version each) and
 * registry-shaped files (`prompts: v1: sentiment: "…"`, several versions). Errors name the file and line (CONFIG_INVALID).
 */
export async function readPromptDirectory(dir: string): Promise<PromptFileDefinition[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (error) {
    throw new AppError("CONFIG_INVALID", `Cannot read PROMPTS_DIR ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const folder = path.basename(path.resolve(dir));
  const definitions: PromptFileDefinition[] = [];
  for (const name of names) {
    const text = await fs.readFile(path.join(dir, name), "utf8");
    definitions.push(...(await readOneFile(text, `${folder}/${name}`)));
  }
  checkNoDuplicates(definitions);
  return definitions;
}

/** Just the definitions of {@link readPromptDirectory}, for callers that need no file or line. */
export async function readPromptFiles(dir: string): Promise<PromptDefinition[]> {
  return (await readPromptDirectory(dir)).map((loaded) => loaded.definition);
}
