// The "a server runs on this database" marker: written by `serve` once it listens, removed when it stops.
// `restore` and `import-legacy` refuse to replace a database a live server holds open.
import { connect } from "node:net";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";

export interface ServerMarker {
  pid: number;
  port: number;
  host: string;
  version: string;
  startedAt: string;
}

/** Beside the database file, so every install (and every test's temp database) has its own. */
export const markerPath = (dbPath: string): string => `${dbPath}.server.json`;

export function writeServerMarker(dbPath: string, marker: ServerMarker): void {
  const file = markerPath(dbPath);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(marker));
  renameSync(tmp, file);
}

/** Removes the marker if this process wrote it (a second server that failed to start must not remove the first's). */
export function removeServerMarker(dbPath: string, pid = process.pid): void {
  const m = readServerMarker(dbPath);
  if (m && m.pid === pid) rmSync(markerPath(dbPath), { force: true });
}

export function readServerMarker(dbPath: string): ServerMarker | null {
  const file = markerPath(dbPath);
  if (!existsSync(file)) return null;
  try {
    const m = JSON.parse(readFileSync(file, "utf8")) as ServerMarker;
    return Number.isInteger(m.pid) && Number.isInteger(m.port) ? m : null;
  } catch {
    return null;
  }
}

const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, but belongs to someone else (a service account).
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

const portAnswers = (host: string, port: number, timeoutMs: number): Promise<boolean> =>
  new Promise((resolve) => {
    const target = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
    const socket = connect({ host: target, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });

/**
 * The server running on `dbPath`, or null. A marker left by a crash is stale when its process is gone, or when
 * its pid was reused by another program (nothing listens on its port any more).
 */
export async function runningServer(dbPath: string): Promise<ServerMarker | null> {
  const m = readServerMarker(dbPath);
  if (!m || !pidAlive(m.pid)) return null;
  return (await portAnswers(m.host, m.port, 1_500)) ? m : null;
}
