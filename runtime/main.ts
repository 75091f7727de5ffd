// The process entry: `npm start` / `npm run sgp -- …` run it with tsx; `node dist/sgp.mjs …` runs its bundle.
// Everything is a command (runtime/cli): no command means `serve`. See `sgp --help`.
import { isMainThread } from "node:worker_threads";
import { runCli } from "./cli/index.ts";

// The bundle is also the entry of the sync thumbnail thread (lib/sync/thumbnails.ts): no command runs off the main thread.
if (isMainThread) {
  runCli(process.argv.slice(2)).then(
    (result) => {
      if (result === "running") return;
      // Exit once stdout has drained (writes to a Windows pipe are asynchronous); a stray handle cannot hold the
      // process open past a moment.
      process.exitCode = result;
      setTimeout(() => process.exit(result), 2_000).unref();
    },
    (err) => {
      console.error(`SGP: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
