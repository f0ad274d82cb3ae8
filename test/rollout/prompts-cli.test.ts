import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/config.js";
import { promptsCommand } from "../../src/cli/prompts-command.js";
import { makeTempDir } from "../support/test-app.js";

const run = promisify(execFile);

/**
 * Runs `promptloop prompts …` from the sources (tsx, so no build is needed), on its own DATA_DIR; no model is
 * needed. Each run costs a couple of seconds of start-up, hence the longer timeouts below.
 */
async function prompts(args: string[], dataDir: string) {
  return promptloop(["prompts", ...args], dataDir);
}

async function promptloop(args: string[], dataDir: string) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", path.join(packageRoot, "src", "cli", "main.ts"), ...args, "--data-dir", dataDir],
      {
        cwd: packageRoot,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          PROMPTS_DIR: path.join(packageRoot, "prompts"),
        },
        timeout: 60_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("promptloop prompts", () => {
  it.each([
    "list",
    "show",
    "diff",
    "create",
    "start-canary",
    "promote",
    "rollback",
    "retire",
    "evaluate",
    "experiments",
    "export-registry",
    "export",
    "import",
  ])("%s --help explains itself", async (name) => {
    const command = promptsCommand().commands.find((c) => c.name() === name)!;
    let help = "";
    command.exitOverride().configureOutput({ writeOut: (text) => (help += text) });
    await expect(command.parseAsync(["--help"], { from: "user" })).rejects.toBeInstanceOf(CommanderError);
    expect(help).toMatch(new RegExp(`^Usage: prompts ${name} `));
    expect(help).toContain("--data-dir <dir>");
    expect(help).toContain("--json");
    if (["start-canary", "promote", "rollback", "retire"].includes(name))
      expect(help).toContain("--reason <text>");
    // Only commands that change something take an actor.
    if (["list", "show", "diff", "experiments", "export-registry", "export"].includes(name))
      expect(help).not.toContain("--actor");
    else expect(help).toContain("--actor <name>");
  });

  it("refuses a DATA_DIR without a database, filters that match nothing, and a version with no change", async () => {
    const dataDir = await makeTempDir();
    const missing = await prompts(["list"], dataDir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`No promptloop database at ${path.join(dataDir, "promptloop.sqlite")}`);
    expect(missing.stderr).toContain("promptloop init");
    expect(await fs.readdir(dataDir)).toEqual([]);

    const init = await promptloop(["init", "--json"], dataDir);
    expect(init.code, init.stderr).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({ created: true, dialect: "sqlite" });
    const again = await promptloop(["init"], dataDir);
    expect(again.stdout).toMatch(/^already there: /);

    const table = await prompts(["list"], dataDir);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[1]).toMatch(/│ version\s+│ kind\s+│ status\s+│ rollout labels │ outputs\s+│/);
    expect(lines.find((line) => line.includes("sentiment@v1"))).toMatch(
      /│ active\s+│ active\s+│ 正面 \/ 负面/,
    );
    // Every row without wide (CJK) characters is as long as the header: the columns line up.
    expect(
      new Set(lines.filter((line) => !/[\u4e00-\u9fff]/.test(line)).map((line) => line.length)).size,
    ).toBe(1);

    for (const args of [
      ["list", "--task", "sentiments"],
      ["experiments", "--task", "sentiments"],
    ]) {
      const typo = await prompts(args, dataDir);
      expect(typo.code, args.join(" ")).toBe(5);
      expect(typo.stderr).toContain(
        "--task sentiments matches no task; the registry has: chat, intent, moderation, qa-check, sentiment",
      );
    }
    const feedback = await promptloop(
      ["export-feedback", "--task", "sentiment", "--since", "2020-01-01"],
      dataDir,
    );
    expect(feedback.code).toBe(5);
    expect(feedback.stderr).toContain("no interactions match --task sentiment --since 2020-01-01");

    const unchanged = await prompts(["create", "sentiment", "v2", "--actor", "alice"], dataDir);
    expect(unchanged.code).toBe(1);
    expect(unchanged.stderr).toContain("sentiment@v2 would be identical to its parent sentiment@v1");
  }, 300_000);

  it("creates, canaries, evaluates, promotes, rolls back and retires on DATA_DIR's database", async () => {
    const dataDir = await makeTempDir();
    expect((await promptloop(["init"], dataDir)).code).toBe(0);
    const created = await prompts(
      ["create", "sentiment", "v2", "--system", "只输出'正面'或'负面'。", "--changelog", "shorter", "--json"],
      dataDir,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      created: true,
      version: { id: "sentiment@v2", parentId: "sentiment@v1", changelog: { summary: "shorter" } },
    });
    const diff = await prompts(["diff", "sentiment@v1", "sentiment@v2"], dataDir);
    expect(diff.stdout).toContain("+只输出'正面'或'负面'。");

    const started = await prompts(
      ["start-canary", "sentiment@v2", "--reason", "try", "--actor", "alice"],
      dataDir,
    );
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toMatch(
      /^started: exp-sentiment-v2-\w+ {2}sentiment: sentiment@v1 vs sentiment@v2 {2}running/,
    );
    const evaluated = await prompts(["evaluate", "--json"], dataDir);
    expect(JSON.parse(evaluated.stdout)).toMatchObject({
      decisions: [{ action: "continue", reasonCode: "minimum_duration_not_met" }],
    });

    const again = await prompts(["start-canary", "sentiment@v2", "--reason", "again"], dataDir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^promptloop: Experiment exp-sentiment-v2-\w+ \(sentiment@v2\) is still running/,
    );
    const noReason = await prompts(["promote", "sentiment@v2"], dataDir);
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toContain("--reason");

    const noEvidence = await prompts(["promote", "sentiment@v2", "--reason", "good"], dataDir);
    expect(noEvidence.code).not.toBe(0);
    expect(noEvidence.stderr).toContain("promote without evidence only on purpose");
    expect((await prompts(["promote", "sentiment@v2", "--reason", "good", "--force"], dataDir)).code).toBe(0);
    expect((await prompts(["rollback", "sentiment@v2", "--reason", "complaints"], dataDir)).code).toBe(0);
    const list = JSON.parse((await prompts(["list", "--json"], dataDir)).stdout) as Array<{
      id: string;
      status: string;
    }>;
    expect(Object.fromEntries(list.map((v) => [v.id, v.status]))).toMatchObject({
      "sentiment@v1": "active",
      "sentiment@v2": "retired",
    });
    const experiments = JSON.parse((await prompts(["experiments", "--json"], dataDir)).stdout) as Array<{
      status: string;
      decisions: Array<{ action: string; actor: string }>;
    }>;
    expect(experiments[0]!.status).toBe("rolled_back");
    expect(experiments[0]!.decisions.map((d) => [d.action, d.actor])).toEqual([
      ["rollback", expect.stringMatching(/^cli:/)],
      ["promote", expect.stringMatching(/^cli:/)],
      ["continue", expect.stringMatching(/^cli:/)],
      ["start", "alice"],
    ]);
    const retireActive = await prompts(["retire", "sentiment@v1", "--reason", "x"], dataDir);
    expect(retireActive.code).toBe(1);
    expect(retireActive.stderr).toContain("is the active version of sentiment");

    // Issue 16 item 7: rollback → a new canary of the same version → promotion never shows `active,retired`.
    expect((await prompts(["start-canary", "sentiment@v2", "--reason", "retry"], dataDir)).code).toBe(0);
    expect((await prompts(["promote", "sentiment@v2", "--reason", "fixed", "--force"], dataDir)).code).toBe(
      0,
    );
    const after = JSON.parse((await prompts(["list", "--json"], dataDir)).stdout) as Array<{
      id: string;
      status: string;
      rolloutLabels: string[];
    }>;
    const sentimentVersions = after.filter((v) => v.id.startsWith("sentiment@"));
    expect(sentimentVersions.map((v) => [v.id, v.status, v.rolloutLabels])).toEqual([
      ["sentiment@v1", "pending_retirement", ["pending_retirement"]],
      ["sentiment@v2", "active", ["active"]],
    ]);
  }, 300_000);

  it("exports and imports the registry losslessly into a fresh DATA_DIR", async () => {
    const source = await makeTempDir();
    expect((await promptloop(["init"], source)).code).toBe(0);
    expect((await prompts(["create", "sentiment", "v2", "--system", "第二版"], source)).code).toBe(0);
    expect((await prompts(["promote", "sentiment@v2", "--reason", "test", "--force"], source)).code).toBe(0);
    const file = path.join(source, "registry.yaml");
    expect((await prompts(["export-registry", "-o", file], source)).code).toBe(0);

    const target = await makeTempDir();
    const imported = await prompts(["import", file, "--json"], target);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      labelsRestored: ["chat", "intent", "moderation", "qa-check", "sentiment"],
      unchanged: [],
    });
    // The old name still works, with a deprecation note on stderr only.
    const reexported = await prompts(["export"], target);
    expect(reexported.stdout).toBe(await fs.readFile(file, "utf8"));
    expect(reexported.stderr).toContain(
      "`export` is deprecated and will be removed; use `prompts export-registry`",
    );
    expect(reexported.stdout).toContain("      status: pending_retirement\n");

    const broken = await prompts(["import", path.join(source, "missing.yaml")], target);
    expect(broken.code).toBe(2);
  }, 120_000);
});
