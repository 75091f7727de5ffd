// The child process of bench/lib/server.ts: the real server on the bench's database, silent, answering the
// parent over IPC (ready, cpu, rss, stop). With BENCH_WORKERS > 1 it is the `--workers` mode's primary.
import { join } from "node:path";
import { loadConfig } from "../../lib/config.ts";
import { createLogger } from "../../lib/log.ts";
import { startServer } from "../../runtime/server.ts";

const dir = process.env.BENCH_DIR!;
const env: Record<string, string> = {
  NODE_ENV: "production",
  PORT: "0",
  HOST: "127.0.0.1",
  DATABASE_URL: `file:${process.env.BENCH_DB}`,
  MEDIA_ROOT: join(dir, "media"),
  SECRET_KEY: "bench-secret-key-with-enough-length-0123456789",
  SGP_ADMIN_USER: "admin",
  SGP_ADMIN_PASSWORD: "admin-pass-123",
  LOG_LEVEL: "error",
  ...(JSON.parse(process.env.BENCH_ENV ?? "{}") as Record<string, string>),
};
const config = loadConfig(env, dir);
// Protocol idle pings off: the benches' raw WebSocket clients do not answer them (the app-level ping stays on).
const running = await startServer(config, { log: createLogger(config.logLevel), realtime: { idleTimeoutSec: 3600 } });
const login = await fetch(`${running.url}/auth/login`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ username: "admin", password: "admin-pass-123" }),
});
const token = ((await login.json()) as { session_token: string }).session_token;
process.on("message", async (m: { cmd: string }) => {
  if (m.cmd === "cpu") {
    const u = process.cpuUsage();
    process.send!({ cmd: "cpu", ms: (u.user + u.system) / 1000 });
  } else if (m.cmd === "rss") process.send!({ cmd: "rss", rss: process.memoryUsage().rss });
  else if (m.cmd === "stop") {
    await running.close(5_000);
    process.exit(0);
  }
});
process.on("disconnect", () => void running.close(1_000).then(() => process.exit(0)));
process.send!({ cmd: "ready", url: running.url, token, pid: process.pid });
