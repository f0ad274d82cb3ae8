import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";

/**
 * Requests that never reach a route — a malformed request line, headers over Node's limit, a body that trickles in
 * past REQUEST_TIMEOUT_MS — are answered by the HTTP server itself. Before, they got Fastify's own
 * `{"error":"Request Timeout","message":"Client Timeout","statusCode":408}` instead of `{error: {code, message}}`.
 */
let app: App;
let port: number;
beforeAll(async () => {
  app = await startTestApp();
  await app.server.listen({ host: "127.0.0.1", port: 0 });
  port = (app.server.server.address() as net.AddressInfo).port;
});
afterAll(() => app.close());

/** Sends raw bytes and returns everything the server writes before it closes the connection. */
function raw(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => socket.write(bytes));
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("close", () => resolve(received));
    socket.on("error", reject);
  });
}

function parse(response: string) {
  const [head = "", body = ""] = response.split("\r\n\r\n");
  return { status: Number(head.split(" ")[1]), head, body: JSON.parse(body) as unknown };
}

describe("errors the HTTP server answers before any route", () => {
  it("answers a malformed request with 400 BAD_REQUEST in the API's error shape", async () => {
    const { status, head, body } = parse(await raw("GARBAGE / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    expect(status).toBe(400);
    expect(head).toMatch(/content-type: application\/json/i);
    expect(body).toMatchObject({ error: { code: "BAD_REQUEST", message: expect.any(String) } });
  });

  it("answers headers over the size limit with 431 HEADERS_TOO_LARGE", async () => {
    const big = `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`;
    const { status, body } = parse(await raw(big));
    expect(status).toBe(431);
    expect(body).toMatchObject({ error: { code: "HEADERS_TOO_LARGE" } });
  });

  it("answers a request that took too long to arrive with 408 REQUEST_TIMEOUT", async () => {
    // Node checks request deadlines every 30 s; the server's own clientError event is what it raises then.
    const serverSide = new Promise<net.Socket>((resolve) => app.server.server.once("connection", resolve));
    const response = raw("POST /api/sentiment HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{");
    const timeout = Object.assign(new Error("Request timeout"), { code: "ERR_HTTP_REQUEST_TIMEOUT" });
    app.server.server.emit("clientError", timeout, await serverSide);
    const { status, body } = parse(await response);
    expect(status).toBe(408);
    expect(body).toMatchObject({ error: { code: "REQUEST_TIMEOUT" } });
  });
});

describe("errors the router answers before any route", () => {
  // Before, Fastify's own bodies: {"error":"Bad Request","code":"FST_ERR_BAD_URL",…,"statusCode":400} and 414
  // {…"FST_ERR_MAX_PARAM_LENGTH"…}, and an over-long id on an admin route answered that before asking for a token.
  it.each(["/api/tasks/%", "/api/tasks/%E0%A4%A", "/%c0%ae%c0%ae/"])(
    "answers a path that is not valid percent-encoding (%s) with 400 BAD_REQUEST",
    async (url) => {
      const res = await app.server.inject({ method: "GET", url });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: { code: "BAD_REQUEST", message: expect.any(String) } });
    },
  );

  it("answers an over-long path parameter with 400 BAD_REQUEST", async () => {
    const res = await app.server.inject({
      method: "POST",
      url: `/api/tasks/${"a".repeat(200)}`,
      payload: { text: "好" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: "BAD_REQUEST", message: expect.any(String) } });
  });

  it("asks for the admin token first on admin paths, whatever the path", async () => {
    for (const url of [`/api/admin/interactions/${"a".repeat(200)}`, "/api/admin/interactions/%"]) {
      const res = await app.server.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json(), url).toMatchObject({ error: { code: "UNAUTHORIZED" } });
      const withToken = await app.server.inject({ method: "GET", url, headers: adminHeaders });
      expect(withToken.json(), url).toMatchObject({ error: { code: "BAD_REQUEST" } });
    }
  });
});

describe("a body that trickles in", () => {
  // Before, Node looked for overdue requests every 30 s (its default connectionsCheckingInterval), so with
  // REQUEST_TIMEOUT_MS=1000 a slow body still held its connection for up to about 30 s, or longer.
  it("is cut off soon after REQUEST_TIMEOUT_MS with 408 REQUEST_TIMEOUT", async () => {
    const quick = await startTestApp({ REQUEST_TIMEOUT_MS: 1000 });
    try {
      await quick.server.listen({ host: "127.0.0.1", port: 0 });
      const quickPort = (quick.server.server.address() as net.AddressInfo).port;
      const started = Date.now();
      const response = await new Promise<string>((resolve, reject) => {
        const socket = net.connect({ host: "127.0.0.1", port: quickPort }, () =>
          socket.write(
            "POST /api/sentiment HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
              "Content-Length: 10000\r\n\r\n{",
          ),
        );
        const drip = setInterval(() => socket.write(" "), 200);
        let received = "";
        socket.setEncoding("utf8");
        socket.on("data", (chunk: string) => (received += chunk));
        socket.on("close", () => {
          clearInterval(drip);
          resolve(received);
        });
        socket.on("error", reject);
      });
      expect(parse(response)).toMatchObject({ status: 408, body: { error: { code: "REQUEST_TIMEOUT" } } });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await quick.close();
    }
  });
});
