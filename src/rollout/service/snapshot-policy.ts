import type { PromptStore } from "../../prompts/store/prompt-store.js";
import type { InteractionStore } from "../../feedback/store/interaction-store.js";
import type { PromptDefinition } from "../../tasks/prompt-definition.js";
import { adaptPolicyToTraffic } from "../core/adapt-policy-to-traffic.js";
import { policyForTaskKind, type RolloutPolicy } from "../core/rollout-policy.js";
import { measureTaskTraffic } from "./measure-task-traffic.js";

/**
 * The policy a new experiment snapshots: the configured one for the task's kind (generators are judged on the
 * bad-turn rate of the fused quality score, classifiers on labelled errors), fitted to the classifier task's
 * measured traffic when the policy's trafficAdaptation is on. Generators keep the configured numbers: their
 * scored turns are not measured before the start yet.
 */
export async function snapshotPolicy(
  deps: { policy: RolloutPolicy; interactions: InteractionStore; prompts: PromptStore },
  candidate: Pick<PromptDefinition, "kind" | "task">,
  now: number,
): Promise<RolloutPolicy> {
  const policy = policyForTaskKind(deps.policy, candidate.kind);
  if (candidate.kind !== "classifier" || !policy.trafficAdaptation?.enabled) return policy;
  const measured = await measureTaskTraffic(deps, { task: candidate.task, before: now });
  return adaptPolicyToTraffic(policy, measured);
}

/** The start reason's note on a snapshot fitted to traffic ("" when the preset's numbers were kept). */
export function describeAdaptation(policy: RolloutPolicy): string {
  const measured = policy.adaptedTo;
  if (!measured) return "";
  const safety = policy.rampSteps.find((step) => step.gate === "guardrails");
  const parts = [
    ...(safety ? [`safety stage at ${Math.round(safety.share * 100)}%`] : []),
    `decision minimum ${policy.minimumLabelledPerArm} labelled per arm`,
    `test τ ${policy.promotion.mixtureStandardDeviation}`,
  ];
  return (
    ` (fitted to the measured ${measured.primaryTrialsPerHour} labelled answers an hour: ` +
    `${parts.join(", ")})`
  );
}
