// The process entry: `npm start` runs it with tsx; `node dist/sgp.mjs` runs its bundle.
import { loadConfig, ConfigError } from "../lib/config.ts";
import { startServer } from "./server.ts";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const running = await startServer(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.deps.log.info({ signal }, "shutting down");
    running.close().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGBREAK"] as const) process.once(sig, () => stop(sig));
}

main().catch((err) => {
  console.error(`SGP failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
