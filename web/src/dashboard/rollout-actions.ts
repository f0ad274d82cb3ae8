import type { AdminRequest } from "./dashboard-data.js";

/** What an operator can do to a running or halted experiment from the dashboard. */
export type RolloutActionName = "promote" | "rollback";

/**
 * Promotes the experiment's candidate or withdraws it (`POST /api/admin/prompts/:id/promote|rollback`). The reason
 * is required: it is stored with the label moves and shown in the decision history.
 */
export async function postRolloutAction(
  adminRequest: AdminRequest,
  request: { versionId: string; action: RolloutActionName; reason: string },
): Promise<void> {
  await adminRequest(`/api/admin/prompts/${encodeURIComponent(request.versionId)}/${request.action}`, {
    method: "POST",
    body: JSON.stringify({ reason: request.reason }),
  });
}
