import net from "node:net";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createServices } from "../../src/services.js";
import { makeTempDir } from "../support/test-app.js";

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Issue 15: a wrong DATABASE_URL stops the start within 10 s, naming the host and never the password. */
describe("a wrong DATABASE_URL", () => {
  it.each([
    [
      "a port where nothing listens",
      async () => `postgres://promptloop:s3cret-pw@127.0.0.1:${await closedPort()}/promptloop`,
      "127.0.0.1",
    ],
    [
      "a host name that does not resolve",
      async () => "postgres://promptloop:s3cret-pw@db.invalid:5432/promptloop",
      "db.invalid",
    ],
    [
      "an address that never answers",
      async () => "postgresql://promptloop:s3cret-pw@10.255.255.1:5432/promptloop",
      "10.255.255.1",
    ],
  ])(
    "stops the start on %s, naming the host, not the password",
    async (_name, url, host) => {
      const config = loadConfig({}, { DATABASE_URL: await url(), DATA_DIR: await makeTempDir() });
      const started = Date.now();
      const error = await createServices(config, { loadModel: false }).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(error).toMatchObject({ code: "STORAGE_FAILED" });
      const message = (error as Error).message;
      expect(message).toContain(host);
      expect(message).not.toContain("s3cret-pw");
    },
    15_000,
  );

  it("refuses a URL that is not PostgreSQL's at configuration time", () => {
    expect(() => loadConfig({}, { DATABASE_URL: "mysql://root:pw@localhost/db" })).toThrow(/DATABASE_URL/);
  });
});
