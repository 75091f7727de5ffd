// Order history: `GET /pedidos/{id}/historico` of an order with 500 changes (goal: well under 100 ms).
// `npx tsx bench/history.ts` (CHANGES=500, RUNS=15); `BENCH_SMOKE=1` runs a tiny version in a few seconds.
// The order has 5 items with the client's full item payload; each change is its own write (its own transaction,
// as PATCHes are), cycling through stage flags (two events per write), freight, dates and item fields, so every
// entry diffs two ~7 KB snapshots. The server runs in this process on a temp dir and 127.0.0.1.
import http from "node:http";
import { loadavg, cpus } from "node:os";
import { startTestServer } from "../test/helpers/server.ts";
import { createOrder, updateOrder } from "../lib/orders/write.ts";
import { getOrder } from "../lib/orders/read.ts";
import { orderHistory } from "../lib/history/index.ts";

const SMOKE = process.env.BENCH_SMOKE === "1";
const CHANGES = Number(process.env.CHANGES ?? (SMOKE ? 20 : 500));
const RUNS = Number(process.env.RUNS ?? (SMOKE ? 3 : 15));

const item = (k: number) => ({
  tipo_producao: ["painel", "totem", "lona", "adesivo", "generica"][k % 5],
  descricao: `Item ${k}`,
  largura: "1,50",
  altura: "2,00",
  metro_quadrado: "3,00",
  vendedor: "Carlos",
  designer: ["Ana", "Bruno"][k % 2],
  tecido: "Oxford",
  acabamento: { overloque: true, elastico: false, ilhos: k === 0 },
  emenda: "sem-emenda",
  observacao: "",
  valor_painel: "120.00",
  valores_adicionais: "5.00",
  tipo_acabamento: k === 0 ? "ilhos" : "nenhum",
  quantidade_ilhos: "12",
  valor_ilhos: "0.50",
  quantidade_paineis: "2",
  quantidade_totem: "1",
  valor_unitario: "80.00",
  imagem: null,
  legenda_imagem: "",
  ziper: false,
  cordinha_extra: false,
  alcinha: false,
  toalha_pronta: false,
  terceirizado: false,
});

const get = (url: string, token: string) =>
  new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
    http
      .get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res
          .on("data", (c: Buffer) => chunks.push(c))
          .on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }))
          .on("error", reject);
      })
      .on("error", reject);
  });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

const s = await startTestServer();
try {
  const actor = { id: 1, username: "admin", isAdmin: true };
  const body = { cliente: "Cliente Histórico", data_entrada: "2026-03-01", valor_frete: 1500, items: [0, 1, 2, 3, 4].map(item) };
  const id = s.deps.db.writeSync((tx) => createOrder(tx, body as never, actor)).id;
  const stages = ["conferencia", "sublimacao", "costura", "expedicao"] as const;
  let t = performance.now();
  for (let i = 0; i < CHANGES - 1; i++) {
    s.deps.db.writeSync((tx) => {
      const cur = getOrder(tx, id)!;
      const kind = i % 4;
      if (kind === 0) return updateOrder(tx, id, { [stages[((i / 4) % 4) | 0]]: !cur[stages[((i / 4) % 4) | 0]] } as never, actor);
      if (kind === 1) return updateOrder(tx, id, { valor_frete: 1500 + i } as never, actor);
      if (kind === 2) return updateOrder(tx, id, { data_entrega: `2026-04-${String(1 + (i % 28)).padStart(2, "0")}` } as never, actor);
      const items = cur.items.map((it, k) => (k === i % 5 ? { ...it, largura: String(1 + (i % 9)) } : it));
      return updateOrder(tx, id, { items } as never, actor);
    });
  }
  const events = s.deps.db.writeSync(
    (tx) => tx.get<{ n: number; b: number }>("SELECT COUNT(*) AS n, SUM(length(payload)) AS b FROM event_log WHERE order_id = ?", id)!,
  );
  console.log(
    `order ${id}: ${CHANGES} writes (${events.n} events, ${(events.b / 1e6).toFixed(1)} MB of snapshots) in ${Math.round(performance.now() - t)} ms`,
  );
  console.log(`(load average at start ${loadavg()[0].toFixed(1)} on ${cpus().length} cores; ${RUNS} runs each, time to the last byte)`);
  console.log("| request | entries | median ms | p95 ms | bytes |");
  console.log("|---|---|---|---|---|");
  const all = JSON.parse((await get(`${s.url}/pedidos/${id}/historico?limit=500`, s.adminToken)).body.toString()) as { event_id: number }[];
  if (all.length !== Math.min(CHANGES, 500)) throw new Error(`expected ${Math.min(CHANGES, 500)} entries, got ${all.length}`);
  const middle = all[Math.floor(all.length / 2)].event_id;
  for (const [label, path] of [
    [`limit=500 (the whole history)`, `?limit=500`],
    [`default page (the newest 100)`, ``],
    [`limit=50&before=<middle>`, `?limit=50&before=${middle}`],
  ] as const) {
    const times: number[] = [];
    let entries = 0;
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      t = performance.now();
      const r = await get(`${s.url}/pedidos/${id}/historico${path}`, s.adminToken);
      times.push(performance.now() - t);
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      entries = (JSON.parse(r.body.toString()) as unknown[]).length;
      bytes = r.body.length;
    }
    console.log(
      `| GET /pedidos/{id}/historico ${label} | ${entries} | ${median(times).toFixed(1)} | ${p95(times).toFixed(1)} | ${bytes} |`,
    );
  }
  // The same work without HTTP, as wall time and as CPU time of this process: on a machine shared with other
  // jobs the CPU time is what the request costs, the wall time also counts the waiting for a core.
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    t = performance.now();
    await s.deps.db.read((q) => orderHistory(q, id, { limit: 500 }, { isAdmin: true }));
    wall.push(performance.now() - t);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  console.log(
    `| orderHistory() in-process, limit=500: wall | ${Math.min(CHANGES, 500)} | ${median(wall).toFixed(1)} | ${p95(wall).toFixed(1)} | |`,
  );
  console.log(
    `| orderHistory() in-process, limit=500: CPU time | ${Math.min(CHANGES, 500)} | ${median(cpu).toFixed(1)} | ${p95(cpu).toFixed(1)} | |`,
  );
} finally {
  await s.stop();
}
