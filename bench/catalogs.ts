// Read paths of the catalog screens over a large database: material statistics, the designer panel, the machine
// queues and the print-log list, which the original answered by loading and JSON-parsing every order.
// `npx tsx bench/catalogs.ts` (ORDERS=10000 by default; 3 items per order; sequential requests, one client:
// latency per request, not throughput). The server runs in this process, on a temp dir and 127.0.0.1.
import { startTestServer } from "../test/helpers/server.ts";
import { insertFixtureOrder } from "../test/helpers/catalog-fixtures.ts";
import { load, size, table } from "./lib/report.ts";

const ORDERS = size("ORDERS", 10_000, 100);
const RUNS = size("RUNS", 30, 2);
const STATUSES = ["pendente", "em_producao", "pronto", "entregue", "cancelado"];
const DESIGNERS = ["Ana", "Bruno", "Carla", "Davi", "Élida"];
const TECIDOS = ["Oxford", "Helanca", "Tactel", "Lona 440", "Adesivo vinil", "Microfibra", "Gabardine", "Malha", "Cetim", "Brim"];

const s = await startTestServer();
try {
  const token = s.adminToken;
  const machines: number[] = [];
  for (const name of ["Mimaki", "Epson", "Roland"])
    machines.push((await s.request("POST", "/maquinas/", { body: { name }, token })).body.id);

  let t = performance.now();
  const firstItems: [number, number][] = [];
  for (let i = 0; i < ORDERS; i++) {
    const day = String(1 + (i % 28)).padStart(2, "0");
    const items = [0, 1, 2].map((k) => ({
      tipo_producao: ["painel", "lona", "adesivo"][k],
      descricao: `Item ${i}-${k}`,
      designer: DESIGNERS[(i + k) % 5],
      tecido: TECIDOS[(i * 3 + k) % 10],
      largura: "1,5",
      altura: "2",
      quantidade_paineis: "2",
      machine_id: machines[(i + k) % 3],
      acabamento: { overloque: k === 0, elastico: false, ilhos: k === 1 },
      quantidade_ilhos: k === 1 ? "8" : "0",
      comentarios: [],
    }));
    const o = insertFixtureOrder(
      s.deps.db,
      { status: STATUSES[i % 5], data_entrada: `2026-${String(1 + (i % 12)).padStart(2, "0")}-${day}` },
      items,
    );
    if (i < 2000) firstItems.push([o.orderId, o.itemIds[0]]);
  }
  console.log(`seeded ${ORDERS} orders × 3 items in ${Math.round(performance.now() - t)} ms`);
  // The synchronous seeding starved the event loop past the keep-alive timeout: let idle sockets close first.
  await new Promise((r) => setTimeout(r, 500));
  for (const [pedido_id, item_id] of firstItems)
    await s.request("POST", "/print-logs/", {
      body: { printer_id: machines[pedido_id % 3], pedido_id, item_id, status: "success" },
      token,
    });

  const cases: [string, string][] = [
    ["GET /materiais/stats (all orders)", "/materiais/stats"],
    ["GET /materiais/stats (one month)", "/materiais/stats?data_inicio=2026-03-01&data_fim=2026-03-31"],
    ["GET /materiais/stats/evolucao", "/materiais/stats/evolucao"],
    ["GET /materiais/estatisticas/uso", "/materiais/estatisticas/uso"],
    ["GET /designers/Ana/itens (limit 50)", "/designers/Ana/itens?limit=50"],
    ["GET /designers/Ana/itens (offset 1000)", "/designers/Ana/itens?limit=50&offset=1000"],
    ["GET /maquinas/dashboard/overview", "/maquinas/dashboard/overview"],
    ["GET /print-logs/?limit=1000", "/print-logs/?limit=1000"],
    ["GET /vendedores/ativos (lookup)", "/vendedores/ativos"],
  ];
  const rows: string[][] = [];
  for (const [label, path] of cases) {
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i < RUNS; i++) {
      t = performance.now();
      const r = await s.request("GET", path, { token });
      times.push(performance.now() - t);
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text.slice(0, 200)}`);
      size = r.text.length;
    }
    times.sort((a, b) => a - b);
    const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
    rows.push([label, pct(0.5), pct(0.95), `${(size / 1024).toFixed(0)} KiB`]);
  }
  table(
    `Catalog screens over ${ORDERS.toLocaleString("en")} orders × 3 items (${RUNS} sequential runs; ${load()})`,
    ["request", "median ms", "p95 ms", "response"],
    rows,
  );
} finally {
  await s.stop();
}
