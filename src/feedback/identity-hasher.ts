import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { makeOwnerOnlyDir, makeOwnerOnlyFile } from "../storage/owner-only-files.js";

/** Maps a user or session identifier to a salted hash; the raw identifier is never stored. */
export type IdentityHasher = (id: string) => string;

export function createIdentityHasher(salt: Buffer): IdentityHasher {
  // HMAC rather than hash(salt + id): the standard keyed construction, no length-extension concerns.
  return (id) => createHmac("sha256", salt).update(id, "utf8").digest("hex").slice(0, 32);
}

/** The salt's file in DATA_DIR. */
export const identitySaltFileName = "identity-salt";

/**
 * Reads the installation's salt from DATA_DIR, creating it (random, owner-only) on the first start. Losing the
 * file only unlinks old hashes from new ones; it never exposes identifiers.
 */
export function loadOrCreateSalt(dataDir: string): Buffer {
  const file = path.join(dataDir, identitySaltFileName);
  makeOwnerOnlyDir(dataDir);
  try {
    const salt = fs.readFileSync(file);
    if (salt.length >= 16) {
      makeOwnerOnlyFile(file);
      return salt;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const salt = randomBytes(32);
  // "wx" fails if another process created it meanwhile; then use theirs.
  try {
    fs.writeFileSync(file, salt, { mode: 0o600, flag: "wx" });
    return salt;
  } catch {
    return fs.readFileSync(file);
  }
}
