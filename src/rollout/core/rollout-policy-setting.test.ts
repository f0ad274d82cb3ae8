import { expect, it } from "vitest";
import { defaultRolloutPolicy } from "./rollout-policy.js";
import { rolloutPolicyFromSettings } from "./rollout-policy-setting.js";

it("keeps the write-up's defaults: a 10% canary for 72 h, then 50%, then everyone", () => {
  const policy = rolloutPolicyFromSettings("{}", undefined);
  expect(policy).toEqual(defaultRolloutPolicy);
  expect(policy.rampSteps.map((s) => [s.share, s.minimumDurationHours])).toEqual([
    [0.1, 72],
    [0.5, 72],
    [1, 0],
  ]);
});

it("merges nested overrides field by field; ROLLOUT_CANARY_SHARE wins for the first stage", () => {
  const policy = rolloutPolicyFromSettings(
    JSON.stringify({
      minimumLabelledPerArm: 50,
      canaryShare: 0.2,
      guardrails: { exitRate: { tolerance: 0.01 } },
    }),
    0.05,
  );
  expect(policy.minimumLabelledPerArm).toBe(50);
  expect(policy.rampSteps[0]!.share).toBe(0.05);
  expect(policy.guardrails.exitRate).toEqual({
    ...defaultRolloutPolicy.guardrails.exitRate,
    tolerance: 0.01,
  });
});

it.each([
  ["not JSON", "{", undefined, /not valid JSON/],
  ["not an object", "[1]", undefined, /must be a JSON object/],
  ["a misspelt key", '{"minimumLabeledPerArm": 50}', undefined, /unknown keys minimumLabeledPerArm/],
  ["an unknown guardrail", '{"guardrails": {"latency": {}}}', undefined, /unknown keys guardrails.latency/],
  ["an unknown nested key", '{"promotion": {"alfa": 0.1}}', undefined, /unknown keys promotion.alfa/],
  ["a canary larger than the next step", "{}", 0.6, /shares must increase/],
  ["an invalid level", '{"guardrailAlpha": 2}', undefined, /guardrailAlpha must be in \(0, 1\)/],
])("refuses %s, naming ROLLOUT_POLICY", (_name, json, share, message) => {
  expect(() => rolloutPolicyFromSettings(json, share)).toThrow(message);
  expect(() => rolloutPolicyFromSettings(json, share)).toThrow(/ROLLOUT_POLICY/);
});
