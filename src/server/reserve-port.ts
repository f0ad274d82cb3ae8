import net from "node:net";
import { AppError } from "../errors.js";

/** The listening port held while the model loads; release it just before the HTTP server listens on it. */
export interface PortReservation {
  release(): Promise<void>;
}

/** A listen error as one line naming HOST or PORT, or null when it is not about the address. */
export function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): string | null {
  switch (error.code) {
    case "EADDRINUSE":
      return `PORT=${port} is already in use on ${host}: stop what is listening there, or set PORT to a free port`;
    case "EACCES":
      return `PORT=${port} needs more privileges than this user has: set PORT to 1024 or above`;
    case "EADDRNOTAVAIL":
      return `HOST=${host} is not an address of this machine: set HOST to one of its addresses, or 0.0.0.0 for all`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `HOST=${host} can't be resolved: set HOST to an IP address or a name this machine resolves`;
    default:
      return null;
  }
}

/** Listen errors become CONFIG_INVALID naming HOST or PORT; others pass through. */
export function listenError(error: unknown, host: string, port: number): unknown {
  const line = describeListenError(error as NodeJS.ErrnoException, host, port);
  return line === null ? error : new AppError("CONFIG_INVALID", line, { cause: error });
}

/**
 * Binds HOST:PORT now, so that a port in use (or a wrong HOST) stops `serve` in milliseconds instead of after the
 * model has loaded, and keeps it bound meanwhile so nothing else takes it. A client that connects meanwhile (a
 * health check, a port scan) is disconnected at once: a connection left open would keep `close()` waiting forever.
 */
export async function reservePort(host: string, port: number): Promise<PortReservation> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) => reject(listenError(error, host, port)));
    server.listen({ host, port, exclusive: true }, resolve);
  });
  return {
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
