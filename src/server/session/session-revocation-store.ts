/**
 * Console sessions signed out before they expired. A session cookie is signed, not stored, so sign-out alone would
 * only make the browser forget it: a copy taken earlier would keep working. Each replica sharing the database checks
 * this list on every cookie-authenticated request, so a signed-out session stops working everywhere at once.
 */
export interface SessionRevocationStore {
  /** Records a session as signed out until `expiresAt` (after that its cookie is refused anyway); idempotent. */
  revoke(session: { id: string; expiresAt: number; now: number }): Promise<void>;
  /** Whether the session was signed out. */
  isRevoked(id: string): Promise<boolean>;
}
