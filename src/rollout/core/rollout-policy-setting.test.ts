import { expect, it } from "vitest";
import { defaultRolloutPolicy, rolloutPresets } from "./rollout-presets.js";
import { rolloutPolicyFromSettings } from "./rollout-policy-setting.js";

it("defaults to the balanced preset: a 10% safety canary for 72 h, the decision at 50%, then everyone", () => {
  const policy = rolloutPolicyFromSettings("{}", undefined);
  expect(policy).toEqual(defaultRolloutPolicy);
  expect(policy.preset).toBe("balanced");
  expect(policy.rampSteps.map((s) => [s.share, s.minimumDurationHours, s.gate])).toEqual([
    [0.1, 72, "guardrails"],
    [0.5, 24, "significance"],
    [1, 0, "significance"],
  ]);
});

it("ROLLOUT_PRESET picks the starting point; strict is the behaviour before the presets, writeup the write-up's rule", () => {
  expect(rolloutPolicyFromSettings("{}", undefined, "strict")).toEqual(rolloutPresets.strict);
  expect(
    rolloutPolicyFromSettings("{}", undefined, "strict").rampSteps.map((s) => [
      s.share,
      s.minimumDurationHours,
    ]),
  ).toEqual([
    [0.1, 72],
    [0.5, 72],
    [1, 0],
  ]);
  const writeup = rolloutPolicyFromSettings(
    '{"guardrails": {"exitRate": {"tolerance": 0.02}}}',
    0.2,
    "writeup",
  );
  expect(writeup.preset).toBe("writeup");
  expect(writeup.rampSteps.map((s) => [s.share, s.minimumDurationHours, s.gate])).toEqual([
    [0.2, 72, "guardrails"],
    [1, 0, "significance"],
  ]);
  expect(writeup.guardrails.exitRate.tolerance).toBe(0.02);
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
  [
    "a preset in the JSON (ROLLOUT_PRESET chooses it)",
    '{"preset": "strict"}',
    undefined,
    /unknown keys preset/,
  ],
  [
    "an unknown gate",
    '{"rampSteps": [{"share": 0.1, "minimumDurationHours": 1, "gate": "vibes"}, {"share": 1, "minimumDurationHours": 0}]}',
    undefined,
    /gate must be significance or guardrails/,
  ],
])("refuses %s, naming ROLLOUT_POLICY", (_name, json, share, message) => {
  expect(() => rolloutPolicyFromSettings(json, share)).toThrow(message);
  expect(() => rolloutPolicyFromSettings(json, share)).toThrow(/ROLLOUT_POLICY/);
});
