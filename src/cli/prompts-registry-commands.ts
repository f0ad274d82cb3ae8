import fs from "node:fs/promises";
import { Command } from "commander";
import { AppError } from "../errors.js";
import { formatPromptVersionDiff } from "../prompts/diff-prompt-versions.js";
import type { CreateVersionInput, RegistryVersionView } from "../prompts/registry-service.js";
import { deprecatedAlias } from "./deprecated-alias.js";
import { assertKnownTask } from "./no-match.js";
import { printResult, withPromptsContext, withPromptsOptions } from "./prompts-context.js";
import { runCommand } from "./run-command.js";

type Options = Record<string, unknown>;

function describeVersion(version: RegistryVersionView): string {
  const { definition } = version;
  const lines = [
    `${version.id}  ${version.status}${version.labels.length > 0 ? ` (${version.labels.join(", ")})` : ""}`,
    `kind: ${definition.kind}${definition.labels ? `  labels: ${definition.labels.join(" / ")}` : ""}`,
    `source: ${version.source}  parent: ${version.parentId ?? "-"}  created: ${version.createdAt}`,
  ];
  if (version.retiredAt) lines.push(`retired: ${version.retiredAt}`);
  if (definition.params) lines.push(`params: ${JSON.stringify(definition.params)}`);
  if (definition.fewShot) lines.push(`few-shot examples: ${definition.fewShot.length}`);
  if (definition.retrieval) lines.push(`retrieval: bm25, k = ${definition.retrieval.k}`);
  if (Object.keys(version.changelog).length > 0)
    lines.push(`changelog: ${JSON.stringify(version.changelog)}`);
  lines.push("system:", ...definition.systemPrompt.split("\n").map((line) => `  ${line}`));
  return lines.join("\n");
}

function parseJson(flag: string, text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === "object" && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new AppError("VALIDATION_FAILED", `${flag} must be a JSON object`);
}

export function showCommand(): Command {
  return withPromptsOptions(new Command("show"), { writes: false })
    .description("show one version: definition, status, changelog and the label moves that concern it")
    .argument("<version>", "version id, e.g. sentiment@v2")
    .action(
      runCommand(async (id: string, options: Options) => {
        const shown = await withPromptsContext(options, ({ registry }) => registry.show(id));
        printResult(options, shown, ({ version, moves }) =>
          [
            describeVersion(version),
            "moves:",
            ...moves.map(
              (m) =>
                `  ${new Date(m.createdAt).toISOString()}  ${m.label}: ${m.fromVersionId ?? "-"} → ` +
                `${m.toVersionId ?? "-"}  by ${m.actor}: ${m.reason}`,
            ),
          ].join("\n"),
        );
      }),
    );
}

export function diffCommand(): Command {
  return withPromptsOptions(new Command("diff"), { writes: false })
    .description("compare two versions: a unified diff of the system prompt, then every other changed field")
    .argument("<from>", "version id")
    .argument("<to>", "version id")
    .action(
      runCommand(async (from: string, to: string, options: Options) => {
        const diff = await withPromptsContext(options, ({ registry }) => registry.diff(from, to));
        printResult(options, diff, formatPromptVersionDiff);
      }),
    );
}

export function createCommand(): Command {
  return withPromptsOptions(new Command("create"), { writes: true })
    .description(
      "create an immutable version; fields left out are taken from the parent (default: the task's active version)",
    )
    .argument("<task>", "task, e.g. sentiment")
    .argument("<version>", "new version name, e.g. v2 (the id becomes <task>@<version>)")
    .option("--system <text>", "the system prompt")
    .option("--system-file <path>", "read the system prompt from a file")
    .option("--parent <id>", "derive from this version instead of the active one")
    .option("--root", "no parent: give --kind, --system and (for a classifier) --labels")
    .option("--kind <kind>", "classifier or generator")
    .option("--labels <labels>", "a classifier's labels, comma-separated")
    .option("--params <json>", "generation parameters as JSON, e.g. '{\"temperature\":0.7}'")
    .option(
      "--adapter <path[:scale]>",
      "serve with this LoRA adapter GGUF (scale default 1); checked against the served model, its SHA-256 recorded",
    )
    .option("--no-adapter", "drop the parent's LoRA adapter")
    .option("--description <text>", "prose about the version (not part of its content hash)")
    .option("--changelog <text>", "what changed and why")
    .option("--evidence <json>", 'evidence for the change as JSON, e.g. \'{"reportId":"r-12"}\'')
    .action(
      runCommand(async (task: string, version: string, options: Options) => {
        if (options.system !== undefined && options.systemFile !== undefined) {
          throw new AppError("VALIDATION_FAILED", "Give --system or --system-file, not both");
        }
        const system =
          typeof options.systemFile === "string"
            ? (await fs.readFile(options.systemFile, "utf8")).replace(/\n$/, "")
            : (options.system as string | undefined);
        const changelog: Record<string, unknown> = {};
        if (typeof options.changelog === "string") changelog.summary = options.changelog;
        if (typeof options.evidence === "string")
          changelog.evidence = parseJson("--evidence", options.evidence);
        const input: CreateVersionInput = {
          task,
          version,
          changelog,
          ...(options.root
            ? { parentId: null }
            : typeof options.parent === "string" && { parentId: options.parent }),
          ...(system !== undefined && { system }),
          ...(options.kind !== undefined && { kind: options.kind as CreateVersionInput["kind"] & string }),
          ...(typeof options.labels === "string" && {
            labels: options.labels.split(",").map((l) => l.trim()),
          }),
          ...(typeof options.params === "string" && { params: parseJson("--params", options.params) }),
          ...(typeof options.description === "string" && { description: options.description }),
          ...(typeof options.adapter === "string" && { adapter: parseAdapterOption(options.adapter) }),
          ...(options.adapter === false && { adapter: null }),
        };
        const result = await withPromptsContext(options, ({ registry, actor }) =>
          registry.create(input, { actor }),
        );
        printResult(
          options,
          result,
          ({ version: created, created: isNew }) =>
            `${isNew ? "created" : "unchanged (already stored)"}: ${describeVersion(created)}`,
        );
      }),
    );
}

function makeExportRegistryCommand(name: string): Command {
  return withPromptsOptions(new Command(name), { writes: false })
    .description(
      "write the registry as YAML (prompts: <version>: <task>: …), lossless for import; " +
        "`promptloop export-feedback` writes the feedback instead",
    )
    .option("--task <task>", "only this task (exit 5 when the registry has no such task)")
    .option("-o, --out <file>", "write to a file instead of stdout")
    .action(
      runCommand(async (options: Options) => {
        const task = typeof options.task === "string" ? options.task : undefined;
        const yaml = await withPromptsContext(options, async ({ registry, prompts }) => {
          await assertKnownTask(prompts, task);
          return registry.exportYaml(task === undefined ? {} : { task });
        });
        if (typeof options.out === "string") {
          await fs.writeFile(options.out, yaml);
          if (options.json)
            process.stdout.write(`${JSON.stringify({ file: options.out, bytes: yaml.length })}\n`);
        } else if (options.json) process.stdout.write(`${JSON.stringify({ yaml })}\n`);
        else process.stdout.write(yaml);
      }),
    );
}

/** `prompts export-registry`, and its old name `prompts export` (deprecated: `export-feedback` is the other export). */
export function exportRegistryCommands(): Command[] {
  return [
    makeExportRegistryCommand("export-registry"),
    deprecatedAlias(makeExportRegistryCommand, "export", "prompts export-registry"),
  ];
}

/** `path[:scale]`: a trailing `:<number>` is the scale, anything else is part of the path. */
export function parseAdapterOption(value: string): { path: string; scale?: number } {
  const match = /^(.+):(\d+(?:\.\d+)?)$/.exec(value);
  return match ? { path: match[1]!, scale: Number(match[2]) } : { path: value };
}
