import { requestOk } from "../api/api-error.js";

/** What an operator can do to a running or halted experiment from the dashboard. */
export type RolloutActionName = "promote" | "rollback";

/**
 * Promotes the experiment's candidate or withdraws it (`POST /api/admin/prompts/:id/promote|rollback`). The reason
 * is required: it is stored with the label moves and shown in the decision history.
 */
export async function postRolloutAction(
  fetchFn: typeof fetch,
  token: string,
  request: { versionId: string; action: RolloutActionName; reason: string },
): Promise<void> {
  await requestOk(fetchFn, `/api/admin/prompts/${encodeURIComponent(request.versionId)}/${request.action}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ reason: request.reason, actor: "dashboard" }),
  });
}
