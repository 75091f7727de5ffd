// A /health prober in its own process (bench/lib/prober.ts URL INTERVAL_MS): a busy driver's event loop must not
// be measured as the server's latency. Reports {worst, count, errors, samples} over IPC when told to stop
// (samples: every successful latency, ms, for percentiles).
import http from "node:http";

const [url, interval = "100"] = process.argv.slice(2);
let worst = 0;
let count = 0;
let errors = 0;
const samples: number[] = [];
let running = true;
process.on("message", (m) => {
  if (m === "stop") running = false;
});
const once = () =>
  new Promise<void>((resolve) => {
    const t = performance.now();
    http
      .get(`${url}/health`, { agent: false }, (res) => {
        res.resume().on("end", () => {
          if (res.statusCode === 200) {
            const took = performance.now() - t;
            worst = Math.max(worst, took);
            samples.push(took);
          } else errors++;
          count++;
          resolve();
        });
      })
      .on("error", () => {
        errors++;
        resolve();
      });
  });
process.send!("ready");
while (running) {
  await once();
  await new Promise((r) => setTimeout(r, Number(interval)));
}
process.send!({ worst, count, errors, samples });
process.disconnect();
