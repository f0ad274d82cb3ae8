import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A PostgreSQL server in a temp folder, for tests: its own port, its own socket folder, removed by `stop`. */
export interface ThrowawayPostgresCluster {
  /** A superuser URL to its `postgres` database. */
  url: string;
  dir: string;
  port: number;
  /** Stops the server (`fast`: clients are disconnected, as in a real restart) without removing its files. */
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  /** Stops it and removes the folder. */
  stop(): Promise<void>;
}

/** The newest installed PostgreSQL's bin folder (Debian's layout), or null. */
export function findPostgresBin(): string | null {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : path.join(root, versions[0], "bin");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** initdb refuses to run as root: as root, the server runs as Debian's `postgres` user. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

export interface ClusterOptions {
  /** Durable commits (fsync): the restart test needs them; the shared test server goes faster without. */
  durable?: boolean;
}

export async function startThrowawayPostgresCluster(
  options: ClusterOptions = {},
): Promise<ThrowawayPostgresCluster> {
  const bin = findPostgresBin();
  if (bin === null) throw new Error("no PostgreSQL installation under /usr/lib/postgresql");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promptloop-pg-"));
  if (process.getuid?.() === 0) {
    const uid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
    const gid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, "data");
  const [initCommand, initArgs] = asServerUser(path.join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "-A",
    "trust",
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
  ]);
  await run(initCommand, initArgs);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c max_connections=200",
    ...(options.durable ? [] : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]),
  ].join(" ");
  const pgCtl = (action: string, extra: string[] = []) => {
    const [command, args] = asServerUser(path.join(bin, "pg_ctl"), [
      "-D",
      data,
      "-l",
      path.join(dir, "server.log"),
      "-w",
      "-t",
      "60",
      ...extra,
      action,
    ]);
    return run(command, args);
  };
  const startServer = async () => {
    await pgCtl("start", ["-o", settings]);
  };
  const stopServer = async () => {
    await pgCtl("stop", ["-m", "fast"]);
  };
  await startServer();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    port,
    startServer,
    stopServer,
    async stop() {
      await stopServer().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
