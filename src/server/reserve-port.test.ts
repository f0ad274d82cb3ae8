import net from "node:net";
import { describe, expect, it } from "vitest";
import { reservePort } from "./reserve-port.js";

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen({ host: "127.0.0.1", port: 0 }, resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Resolves with what happened first: the promise settled, or `ms` passed. */
function within<T>(promise: Promise<T>, ms: number): Promise<"settled" | "timed out"> {
  return Promise.race([
    promise.then(() => "settled" as const),
    new Promise<"timed out">((resolve) => setTimeout(() => resolve("timed out"), ms).unref()),
  ]);
}

describe("the port held while the model loads", () => {
  // A load balancer's health check, a port scanner or a user's early curl connects while the model loads. Before,
  // the reservation accepted that connection and never read it, so `server.close()` waited for it forever and
  // `serve` hung after "model: warming up" without ever listening.
  it("is released even when a client connected during the load and stays connected", async () => {
    const port = await freePort();
    const reservation = await reservePort("127.0.0.1", port);
    const client = net.connect({ host: "127.0.0.1", port });
    await new Promise<void>((resolve, reject) => client.once("connect", resolve).once("error", reject));
    const clientClosed = new Promise<void>((resolve) => client.once("close", () => resolve()));
    client.on("error", () => {});
    try {
      expect(await within(reservation.release(), 3000)).toBe("settled");
      // The early client is told at once (its connection ends) instead of waiting on a socket nobody reads.
      expect(await within(clientClosed, 3000)).toBe("settled");
      const server = net.createServer();
      await new Promise<void>((resolve, reject) =>
        server.once("error", reject).listen({ host: "127.0.0.1", port, exclusive: true }, resolve),
      );
      await new Promise<void>((resolve) => server.close(() => resolve()));
    } finally {
      client.destroy();
    }
  });
});
