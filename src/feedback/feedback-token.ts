import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * Feedback tokens: proof that a feedback sender is the client that received the answer. Every model answer carries
 * `feedbackToken` = HMAC-SHA256(key, "v1" ‖ interaction id ‖ session hash), cut to 128 bits; POST /api/feedback
 * recomputes it from the stored interaction and refuses the event without a match (403 FEEDBACK_FORBIDDEN). Only the
 * interaction's id and its session are covered: prompt version, arm and task are read from the stored interaction,
 * never from the client, so they need no signature. The key is derived (HKDF) from the installation's identity
 * salt in DATA_DIR, so tokens survive restarts and every replica on one DATA_DIR agrees; it is never logged.
 */
export interface FeedbackTokens {
  issue(interactionId: string, sessionHash: string | null): string;
  verify(token: string, interactionId: string, sessionHash: string | null): boolean;
}

const version = "v1";

/** The token key for an installation's salt: a separate key, so a token reveals nothing about identity hashes. */
export function feedbackTokenKey(salt: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", salt, Buffer.alloc(0), "promptloop feedback token v1", 32));
}

export function createFeedbackTokens(key: Buffer): FeedbackTokens {
  const mac = (interactionId: string, sessionHash: string | null) =>
    createHmac("sha256", key)
      .update(`${version}\u0000${interactionId}\u0000${sessionHash ?? ""}`, "utf8")
      .digest()
      .subarray(0, 16);
  return {
    issue: (interactionId, sessionHash) =>
      `${version}.${mac(interactionId, sessionHash).toString("base64url")}`,
    verify(token, interactionId, sessionHash) {
      const [tokenVersion, encoded, ...rest] = token.split(".");
      if (tokenVersion !== version || encoded === undefined || rest.length > 0) return false;
      const given = Buffer.from(encoded, "base64url");
      const expected = mac(interactionId, sessionHash);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
