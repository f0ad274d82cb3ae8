import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config.js";
import { identitySaltFileName } from "../feedback/identity-hasher.js";
import { createSeededRandom } from "../statistics/seeded-random.js";
import { createApp, type App } from "../server/create-app.js";
import type { LabelledItem } from "./core/labelled-items.js";
import { createSimulationLedger } from "./core/simulation-ledger.js";
import type { SimulationReport } from "./core/simulation-report.js";
import type { TrafficSettings } from "./core/simulation-settings.js";
import { summariseSimulation } from "./core/summarise-simulation.js";
import { createLoopObserver } from "./loop-observer.js";
import { createGoldLabelIndex, ScriptedLlmBackend } from "./scripted-llm-backend.js";
import { createSimulatedClient } from "./simulated-client.js";
import { createSimulatedSchedule } from "./simulated-schedule.js";
import { driveSimulation, type SimulationProgress } from "./simulation-driver.js";
import { summariseVersions } from "./summarise-versions.js";

/** The scripted stand-in (`--model scripted`), or the real engine on the configuration's MODEL_PATH. */
export type SimulationModel = { kind: "scripted"; blindSpots: string[] } | { kind: "engine" };

export interface SimulationRequest {
  datasetFile: string;
  items: LabelledItem[];
  task: string;
  /** The task's labels (checked against the registry once the service is up). */
  labels: string[];
  traffic: TrafficSettings;
  model: SimulationModel;
  /** The service's configuration; its DATA_DIR is the simulation's own folder. */
  config: Config;
  /** Items each version is replayed on for its gold accuracy with a real engine (the scripted model takes all). */
  goldSampleSize: number;
  onStep?: (message: string) => void;
  onProgress?: (progress: SimulationProgress) => void;
  onJobError?: (job: string, error: unknown) => void;
}

const scriptedNote =
  "SCRIPTED MODEL: answers come from the data set's gold labels, except on inputs containing a blind-spot word " +
  "that the serving prompt does not mention, where it answers the other label. It shows what the loop does with " +
  "a model that follows an instruction about a topic; it measures nothing about Qwen. The latency guardrail is " +
  "off: the scripted model answers in microseconds, so a version's few milliseconds of few-shot retrieval would " +
  "read as a 100% slowdown.";

/**
 * The policy the simulated service runs. With the scripted model the slow-request guardrail is turned off: it
 * compares each request's latency with control's p95, and without inference time that is retrieval time alone.
 */
function simulatedPolicy(config: Config, scripted: boolean): Config["rolloutPolicy"] {
  const policy = config.rolloutPolicy;
  if (!scripted) return policy;
  const slowRequestRate = { ...policy.guardrails.slowRequestRate, enabled: false };
  return { ...policy, guardrails: { ...policy.guardrails, slowRequestRate } };
}

async function checkTask(app: App, task: string, labels: readonly string[]): Promise<void> {
  const active = (await app.stores.prompts.listLabels(task)).find((label) => label.label === "active");
  const version = active && (await app.stores.prompts.getVersion(active.versionId));
  const served = version?.definition.labels ?? [];
  if (version?.definition.kind !== "classifier" || served.join("\n") !== labels.join("\n")) {
    throw new Error(`task ${task} has no active classifier version with labels ${labels.join(", ")}`);
  }
}

/**
 * Replays a labelled data set as live users through the whole service (the app `serve` runs: routes, stores,
 * analysis, rollout) on a simulated clock, and reports per day how the served versions did against the gold
 * labels, with the loop's timeline. The wall-clock schedules are replaced by the same jobs on the simulated
 * clock; the per-minute rate limit, which counts wall-clock minutes, is off.
 */
export async function runSimulation(request: SimulationRequest): Promise<SimulationReport> {
  const { traffic, items } = request;
  let now = traffic.startsAt;
  let experiments = 0;
  const scripted =
    request.model.kind === "scripted"
      ? new ScriptedLlmBackend({ blindSpots: request.model.blindSpots, gold: createGoldLabelIndex(items) })
      : undefined;
  // Session hashes decide arms; a salt from the seed (in the simulation's own, empty folder) makes runs repeat.
  await fs.writeFile(
    path.join(request.config.dataDir, identitySaltFileName),
    createHash("sha256").update(`promptloop simulate ${traffic.seed}`).digest(),
    { mode: 0o600, flag: "wx" },
  );
  const app = await createApp(
    {
      ...request.config,
      analysisCron: "",
      rolloutCron: "off",
      rateLimitPerMinute: 0,
      rolloutPolicy: simulatedPolicy(request.config, scripted !== undefined),
    },
    {
      logger: false,
      now: () => now,
      // Repeatable ids: a unit's arm hashes the experiment id, so a random id would change who sees the canary.
      newExperimentId: (task, candidate) =>
        `exp-${task}-${candidate.split("@")[1] ?? candidate}-sim${++experiments}`,
      ...(scripted && { backend: scripted }),
      ...(request.onStep && { onStep: request.onStep }),
    },
  );
  try {
    await checkTask(app, request.task, request.labels);
    const blindSpots = [...(scripted?.blindSpots ?? [])];
    const ledger = createSimulationLedger(traffic.startsAt, traffic.days);
    const observer = createLoopObserver({
      prompts: app.stores.prompts,
      rollout: app.rollout,
      ledger,
      blindSpots,
      startsAt: traffic.startsAt,
      task: request.task,
    });
    const { analysisCron, rolloutCron } = request.config;
    await driveSimulation({
      items,
      labels: request.labels,
      traffic,
      client: createSimulatedClient(app.server, request.task),
      analysis: app.analysis,
      rollout: app.rollout,
      schedules: {
        analysis: analysisCron === "" ? null : createSimulatedSchedule(analysisCron),
        rollout: rolloutCron.trim() === "off" ? null : createSimulatedSchedule(rolloutCron),
      },
      ledger,
      observer,
      random: createSeededRandom(traffic.seed),
      setClock: (at) => {
        now = at;
      },
      ...(request.onProgress && { onProgress: request.onProgress }),
      ...(request.onJobError && { onJobError: request.onJobError }),
    });
    request.onStep?.("replaying every version on the gold labels");
    const versions = await summariseVersions({
      app,
      task: request.task,
      items: scripted ? items : sampleItems(items, request.goldSampleSize, traffic.seed),
      ledger,
      blindSpots,
    });
    return summariseSimulation({
      model: {
        name: app.backend.info.name,
        scripted: scripted !== undefined,
        blindSpots,
        note: scripted ? scriptedNote : `the real engine: ${app.backend.info.name}`,
      },
      datasetFile: request.datasetFile,
      items,
      settings: {
        task: request.task,
        ...traffic,
        startsAt: new Date(traffic.startsAt).toISOString(),
        rolloutPreset: request.config.rolloutPolicy.preset,
        latencyGuardrail: scripted ? "off (scripted model)" : "as configured",
        analysisCron,
        rolloutCron,
        autoStartCanary: request.config.autoStartCanary,
        analysis: request.config.analysis,
      },
      days: ledger.dayRows(),
      events: observer.events,
      versions,
      stillRunning: await observer.stillRunning(),
    });
  } finally {
    await app.close();
    await scripted?.dispose();
  }
}

/** A fixed, seeded sample of the items (all of them when there are fewer). */
function sampleItems(items: readonly LabelledItem[], size: number, seed: number): LabelledItem[] {
  if (items.length <= size) return [...items];
  const random = createSeededRandom(seed ^ 0x5eed);
  const pool = [...items];
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, size);
}
