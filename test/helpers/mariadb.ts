import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql from "mysql2/promise";

/**
 * A real MariaDB server for the sync tests: `mariadb-install-db` into a temp data dir (in /dev/shm when there is one), `mariadbd` on a random
 * loopback port (socket in the same dir), a database and a user with a password, all removed at `stop()`.
 * Startup waits are bounded. `kill()` and `start()` take the server down and up again on the same data and port
 * (a mirror that goes away and comes back).
 */
export interface TestMariaDb {
  /** `mysql://sgp:…@127.0.0.1:<port>/sgp_mirror` */
  url: string;
  port: number;
  database: string;
  /** A connection as the test user (the caller ends it), to `database` by default. */
  connect(database?: string): Promise<mysql.Connection>;
  /** Another empty database the test user owns; returns its URL. */
  createDatabase(name: string): Promise<string>;
  query<T = any>(sql: string, values?: unknown[], database?: string): Promise<T>;
  /** Kills the server (SIGKILL: in-flight transactions are lost, as in a crash). */
  kill(): Promise<void>;
  /** Starts it again on the same data dir and port. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const USER = "sgp";
const PASSWORD = "mirror-pass-123";
const DATABASE = "sgp_mirror";
const STARTUP_MS = 30_000;

function binary(names: string[]): string {
  for (const n of names) {
    const r = spawnSync("sh", ["-c", `command -v ${n} || ls /usr/sbin/${n} 2>/dev/null`], { encoding: "utf8" });
    const path = r.stdout.trim().split("\n")[0];
    if (path) return path;
  }
  throw new Error(`MariaDB not installed (${names.join(", ")}): apt-get install -y mariadb-server`);
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
    s.once("error", reject);
  });

/** RAM-backed when the machine has it: InnoDB's fsyncs of a fresh data dir take seconds on a busy disk. */
function scratchDir(): string {
  try {
    accessSync("/dev/shm", constants.W_OK);
    return mkdtempSync(join("/dev/shm", "sgp-mariadb-"));
  } catch {
    return mkdtempSync(join(tmpdir(), "sgp-mariadb-"));
  }
}

export async function startMariaDb(): Promise<TestMariaDb> {
  const mariadbd = binary(["mariadbd", "mysqld"]);
  const installDb = binary(["mariadb-install-db", "mysql_install_db"]);
  const dir = scratchDir();
  const data = join(dir, "data");
  const socket = join(dir, "mysqld.sock");
  mkdirSync(data);
  const common = ["--no-defaults", `--datadir=${data}`, "--innodb-log-file-size=4M", "--innodb-buffer-pool-size=16M"];
  const asRoot = process.getuid?.() === 0 ? ["--user=root"] : [];
  const install = spawnSync(
    installDb,
    [...common, ...asRoot, "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"],
    {
      encoding: "utf8",
      timeout: STARTUP_MS,
    },
  );
  if (install.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
  }
  const port = await freePort();
  let child: ChildProcess | null = null;

  const start = async () => {
    const errLog = join(dir, "error.log");
    child = spawn(
      mariadbd,
      [
        ...common,
        ...asRoot,
        `--port=${port}`,
        "--bind-address=127.0.0.1",
        `--socket=${socket}`,
        `--pid-file=${join(dir, "mysqld.pid")}`,
        `--log-error=${errLog}`,
        "--skip-log-bin",
        "--performance-schema=OFF",
        "--skip-name-resolve",
        "--max-connections=50",
        "--innodb-flush-log-at-trx-commit=2",
      ],
      { stdio: "ignore" },
    );
    const deadline = Date.now() + STARTUP_MS;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`mariadbd exited ${child.exitCode}: ${existsSync(errLog) ? readFileSync(errLog, "utf8").slice(-2000) : ""}`);
      try {
        const c = await mysql.createConnection({ socketPath: socket, user: "root", connectTimeout: 1_000 });
        await c.end();
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`mariadbd did not start in ${STARTUP_MS} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };

  const kill = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  };

  // If the test process ends without stop() (a crash, a timeout), the server and its data go with it.
  const onExit = () => {
    try {
      (child as ChildProcess | null)?.kill("SIGKILL");
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  await start();
  const root = await mysql.createConnection({ socketPath: socket, user: "root" });
  await root.query(`CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4`);
  await root.query(`CREATE USER '${USER}'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}'`);
  await root.query(`GRANT ALL ON ${DATABASE}.* TO '${USER}'@'127.0.0.1'`);
  await root.end();

  const connect = (database = DATABASE) =>
    mysql.createConnection({ host: "127.0.0.1", port, user: USER, password: PASSWORD, database, dateStrings: true, timezone: "Z" });
  const urlOf = (database: string) => `mysql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    url: urlOf(DATABASE),
    port,
    database: DATABASE,
    connect,
    async createDatabase(name) {
      if (!/^\w+$/.test(name)) throw new Error(`bad database name ${name}`);
      const c = await mysql.createConnection({ socketPath: socket, user: "root" });
      try {
        await c.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
        await c.query(`GRANT ALL ON ${name}.* TO '${USER}'@'127.0.0.1'`);
      } finally {
        await c.end();
      }
      return urlOf(name);
    },
    async query(sql, values, database) {
      const c = await connect(database);
      try {
        const [rows] = await c.query(sql, values);
        return rows as never;
      } finally {
        await c.end();
      }
    },
    kill,
    start,
    async stop() {
      const c = child;
      if (c && c.exitCode === null) {
        const exited = new Promise((r) => c.once("exit", r));
        c.kill("SIGTERM");
        const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
        if (!done) c.kill("SIGKILL");
      }
      child = null;
      process.removeListener("exit", onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
