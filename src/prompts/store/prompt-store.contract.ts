import { beforeEach, describe, expect, it } from "vitest";
import type { PromptDefinition } from "../../tasks/prompt-definition.js";
import type { PromptStore } from "./prompt-store.js";

const v1: PromptDefinition = {
  task: "sentiment",
  version: "v1",
  kind: "classifier",
  systemPrompt: "输出只能是'正面'或'负面'",
  labels: ["正面", "负面"],
};

/** Every PromptStore implementation must pass this suite. */
export function promptStoreContract(name: string, create: () => Promise<PromptStore>): void {
  describe(`PromptStore contract: ${name}`, () => {
    let store: PromptStore;
    beforeEach(async () => {
      store = await create();
    });

    it("stores a version once; the same content again is a no-op", async () => {
      const first = await store.saveVersion({ definition: v1, source: "file", createdAt: 1 });
      expect(first.created).toBe(true);
      expect(first.version.id).toBe("sentiment@v1");
      const again = await store.saveVersion({
        definition: { ...v1, description: "prose only" },
        source: "file",
        createdAt: 2,
      });
      expect(again.created).toBe(false);
      expect(again.version.createdAt).toBe(1);
      expect(await store.getVersion("sentiment@v1")).toEqual(first.version);
    });

    it("refuses different content under an existing version id, saying why", async () => {
      await store.saveVersion({ definition: v1, source: "file", createdAt: 1 });
      await expect(
        store.saveVersion({ definition: { ...v1, systemPrompt: "changed" }, source: "file", createdAt: 2 }),
      ).rejects.toMatchObject({ code: "PROMPT_VERSION_CONFLICT" });
      expect((await store.getVersion("sentiment@v1"))?.definition.systemPrompt).toBe(v1.systemPrompt);
    });

    it("records parent, source and changelog, and refuses an unknown parent", async () => {
      await store.saveVersion({ definition: v1, source: "file", createdAt: 1 });
      const { version } = await store.saveVersion({
        definition: { ...v1, version: "v2", systemPrompt: "更好" },
        parentId: "sentiment@v1",
        source: "analysis",
        changelog: { reportId: "r-1", changes: ["rule"] },
        createdAt: 2,
      });
      expect(version).toMatchObject({
        parentId: "sentiment@v1",
        source: "analysis",
        changelog: { reportId: "r-1" },
      });
      await expect(
        store.saveVersion({
          definition: { ...v1, version: "v3" },
          parentId: "sentiment@v9",
          source: "human",
          createdAt: 3,
        }),
      ).rejects.toMatchObject({ code: "PROMPT_VERSION_NOT_FOUND" });
      expect((await store.listVersions("sentiment")).map((v) => v.id)).toEqual([
        "sentiment@v1",
        "sentiment@v2",
      ]);
      expect(await store.listVersions("chat")).toEqual([]);
    });

    it("keeps a registry file's shape with the version, and none when the shape is canonical", async () => {
      const shape = { systemKey: "system_prompt", changelog: "text", statusName: "待淘汰" } as const;
      await store.saveVersion({ definition: v1, source: "file", createdAt: 1, yamlShape: shape });
      await store.saveVersion({
        definition: { ...v1, version: "v2" },
        source: "file",
        createdAt: 2,
        yamlShape: {},
      });
      expect((await store.getVersion("sentiment@v1"))?.yamlShape).toEqual(shape);
      expect((await store.listVersions("sentiment")).map((version) => "yamlShape" in version)).toEqual([
        true,
        false,
      ]);
    });

    it("moves labels atomically and records every move", async () => {
      await store.saveVersion({ definition: v1, source: "file", createdAt: 1 });
      await store.saveVersion({
        definition: { ...v1, version: "v2", systemPrompt: "x" },
        source: "human",
        createdAt: 2,
      });
      await store.moveLabels([{ task: "sentiment", label: "active", toVersionId: "sentiment@v1" }], {
        actor: "system",
        reason: "first start",
        now: 10,
      });
      await store.moveLabels(
        [
          { task: "sentiment", label: "active", toVersionId: "sentiment@v2" },
          { task: "sentiment", label: "pending_retirement", toVersionId: "sentiment@v1" },
        ],
        { actor: "admin", reason: "promote", now: 20 },
      );
      expect(await store.listLabels("sentiment")).toEqual([
        { task: "sentiment", label: "active", versionId: "sentiment@v2", updatedAt: 20 },
        { task: "sentiment", label: "pending_retirement", versionId: "sentiment@v1", updatedAt: 20 },
      ]);
      await expect(
        store.moveLabels(
          [
            { task: "sentiment", label: "active", toVersionId: "sentiment@v1" },
            { task: "sentiment", label: "canary", toVersionId: "sentiment@v404" },
          ],
          { actor: "admin", reason: "bad batch", now: 30 },
        ),
      ).rejects.toMatchObject({ code: "PROMPT_VERSION_NOT_FOUND" });
      expect((await store.listLabels("sentiment")).find((l) => l.label === "active")?.versionId).toBe(
        "sentiment@v2",
      );
      await store.moveLabels([{ task: "sentiment", label: "pending_retirement", toVersionId: null }], {
        actor: "system",
        reason: "retired",
        now: 40,
      });
      const moves = await store.listMoves("sentiment");
      expect(moves.map((m) => [m.label, m.fromVersionId, m.toVersionId, m.actor])).toEqual([
        ["active", null, "sentiment@v1", "system"],
        ["active", "sentiment@v1", "sentiment@v2", "admin"],
        ["pending_retirement", null, "sentiment@v1", "admin"],
        ["pending_retirement", "sentiment@v1", null, "system"],
      ]);
    });

    it("checks each move against the version it was planned from, and changes nothing when one moved", async () => {
      await store.saveVersion({ definition: v1, source: "file", createdAt: 1 });
      await store.saveVersion({
        definition: { ...v1, version: "v2", systemPrompt: "x" },
        source: "human",
        createdAt: 2,
      });
      await store.moveLabels(
        [{ task: "sentiment", label: "active", fromVersionId: null, toVersionId: "sentiment@v1" }],
        {
          actor: "system",
          reason: "first start",
          now: 10,
        },
      );
      // Planned while active was still unset: someone moved it meanwhile.
      const stale = [
        { task: "sentiment", label: "canary", fromVersionId: null, toVersionId: "sentiment@v2" },
        { task: "sentiment", label: "active", fromVersionId: null, toVersionId: "sentiment@v2" },
      ] as const;
      await expect(store.moveLabels(stale, { actor: "a", reason: "stale", now: 20 })).rejects.toMatchObject({
        code: "CONFLICT",
        message: expect.stringContaining("moved meanwhile") as unknown,
      });
      await expect(
        store.moveLabels(stale, { actor: "a", reason: "stale", now: 20, conflictCode: "ROLLOUT_CONFLICT" }),
      ).rejects.toMatchObject({ code: "ROLLOUT_CONFLICT" });
      expect(await store.listLabels("sentiment")).toEqual([
        { task: "sentiment", label: "active", versionId: "sentiment@v1", updatedAt: 10 },
      ]);
      expect(await store.listMoves("sentiment")).toHaveLength(1);
      // Each move sees the ones before it in the batch; a move may carry its own reason.
      await store.moveLabels(
        [
          { task: "sentiment", label: "retired", fromVersionId: null, toVersionId: "sentiment@v1" },
          {
            task: "sentiment",
            label: "retired",
            fromVersionId: "sentiment@v1",
            toVersionId: "sentiment@v2",
            reason: "own",
          },
        ],
        { actor: "b", reason: "batch", now: 30 },
      );
      expect((await store.listMoves("sentiment")).map((m) => [m.label, m.toVersionId, m.reason])).toEqual([
        ["active", "sentiment@v1", "first start"],
        ["retired", "sentiment@v1", "batch"],
        ["retired", "sentiment@v2", "own"],
      ]);
    });
  });
}
