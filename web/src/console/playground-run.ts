import { ApiError } from "../api/api-error.js";
import { createSseDecoder } from "../api/sse-decoder.js";
import type { AdminRequest } from "../dashboard/dashboard-data.js";
import type { PlaygroundInput } from "./playground-sets.js";

export type { PlaygroundAnswer, PlaygroundRow, PlaygroundSummary } from "../api/api-types.js";
import type { PlaygroundRow, PlaygroundSummary } from "../api/api-types.js";

export interface PlaygroundStart {
  task: string;
  kind: "classifier" | "generator";
  baselineId: string;
  candidateId: string;
  total: number;
}

export interface PlaygroundHandlers {
  onStart: (start: PlaygroundStart) => void;
  onRow: (row: PlaygroundRow, summary: PlaygroundSummary) => void;
  onSummary: (summary: PlaygroundSummary) => void;
}

/**
 * Runs POST /api/admin/playground/runs as a stream, handing each event over as it arrives (progress row by
 * row). A refusal before the stream (401, 400, 503 ENGINE_BUSY) and an `error` event both throw ApiError.
 */
export async function runPlaygroundStream(
  request: AdminRequest,
  body: { versionId: string; baselineId?: string; inputs: PlaygroundInput[] },
  handlers: PlaygroundHandlers,
  signal?: AbortSignal,
): Promise<void> {
  const response = await request("/api/admin/playground/runs", {
    method: "POST",
    body: JSON.stringify({ ...body, stream: true }),
    ...(signal && { signal }),
  });
  if (!response.body) throw new ApiError("BAD_RESPONSE", "The playground answered without a body", 0);
  const reader = response.body.getReader();
  const decoder = createSseDecoder();
  const handle = (event: { event: string; data: string }) => {
    const data = JSON.parse(event.data) as never;
    if (event.event === "start") handlers.onStart(data);
    else if (event.event === "row") {
      const { row, summary } = data as { row: PlaygroundRow; summary: PlaygroundSummary };
      handlers.onRow(row, summary);
    } else if (event.event === "summary") handlers.onSummary(data);
    else if (event.event === "error") {
      const { error } = data as { error: { code: string; message: string } };
      throw new ApiError(error.code, error.message, 200);
    }
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    decoder.push(value).forEach(handle);
  }
  decoder.end().forEach(handle);
}
