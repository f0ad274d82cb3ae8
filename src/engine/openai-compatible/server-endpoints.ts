/**
 * Where a server's endpoints are, from the one URL a user gives: OpenAI clients expect the `/v1` suffix in the base
 * URL, llama-server's own endpoints (`/props`, `/completion`, `/tokenize`) live at the root.
 */
export interface ServerEndpoints {
  /** The origin and path without `/v1`, for llama-server's own endpoints. */
  root: string;
  /** The OpenAI-compatible API (`…/v1`). */
  openAi: string;
  /** The server as error messages name it: origin only, never credentials or query. */
  display: string;
}

export function serverEndpoints(baseUrl: string): ServerEndpoints {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, "");
  const rootPath = path.endsWith("/v1") ? path.slice(0, -3) : path;
  const root = `${url.origin}${rootPath}`;
  return { root, openAi: `${root}/v1`, display: `${url.origin}${rootPath}` };
}
