import { AppError } from "../../errors.js";
import { hashToUnitInterval, hashVersions, type HashVersion } from "./unit-interval-hash.js";

/** The two arms of a rollout experiment: the active version (control) and the canary (candidate). */
export type Arm = "control" | "candidate";

/** Options of {@link assignArm}. */
export interface AssignArmOptions {
  /** The experiment's id. Part of the hash key, so every experiment draws a fresh, independent canary group. */
  experimentId: string;
  /** The unit's already-hashed id (user hash, else session hash). Never a raw user id. */
  unitHash: string;
  /** The candidate's share of units in the current stage, in [0, 1]. */
  canaryShare: number;
  /** The hash version recorded when the experiment started; keep it for the experiment's whole life. */
  hashVersion: HashVersion;
}

/**
 * The unit's bucket in [0, 1) for an experiment: hash(`${hashVersion}:${experimentId}:${unitHash}`).
 * It depends on nothing that changes during the experiment, so a unit keeps its bucket throughout.
 */
export function assignmentBucket(experimentId: string, unitHash: string, hashVersion: HashVersion): number {
  if (!(hashVersions as readonly number[]).includes(hashVersion)) {
    throw new AppError("CONFIG_INVALID", `Unknown assignment hash version ${String(hashVersion)}`, {
      details: { supported: [...hashVersions] },
    });
  }
  return hashToUnitInterval(`${hashVersion}:${experimentId}:${unitHash}`, hashVersion);
}

/**
 * Deterministic, sticky assignment: a unit is in the candidate arm iff its bucket is below the canary share.
 * Because the bucket is fixed and only the share moves, ramping 10% → 50% → 100% only ever adds units to the
 * candidate arm; nobody who already saw the candidate is moved back to control.
 */
export function assignArm(options: AssignArmOptions): Arm {
  const { experimentId, unitHash, canaryShare, hashVersion } = options;
  if (!(canaryShare >= 0 && canaryShare <= 1)) {
    throw new AppError("CONFIG_INVALID", `Canary share must be in [0, 1], got ${canaryShare}`);
  }
  return assignmentBucket(experimentId, unitHash, hashVersion) < canaryShare ? "candidate" : "control";
}
