// Reports and analytics over a real shop's history: every route of lib/reports (fechamentos, templates, envios,
// automação, Safira) timed over real HTTP, sequentially from one client (latency per request, not throughput).
// `npx tsx bench/reports.ts` (ORDERS=10000 × 3 items over one year, RUNS=21 per route). `BENCH_SMOKE=1`: 200 orders,
// 2 requests per route, same table. The server runs in this process on a temp dir and 127.0.0.1; the seed goes
// through lib/orders/write.ts `createOrder` in transactions of 500 (pricing, numbering and events included).
import http from "node:http";
import { cpus, loadavg } from "node:os";
import { startTestServer } from "../test/helpers/server.ts";
import { createOrder } from "../lib/orders/write.ts";

const SMOKE = process.env.BENCH_SMOKE === "1";
const ORDERS = Number(process.env.ORDERS ?? (SMOKE ? 200 : 10_000));
const RUNS = Number(process.env.RUNS ?? (SMOKE ? 2 : 21));

const DESIGNERS = ["Ana", "Bruno", "Carla", "Davi", "Élida", "Fábio"];
const VENDEDORES = ["Carlos", "Dora", "Edu", "Flávia"];
const TIPOS = ["painel", "lona", "adesivo", "totem", "generica"];
const TECIDOS = ["Oxford", "Helanca", "Tactel", "Lona 440", "Cetim", "Microfibra"];
const STATUSES = ["pendente", "em_producao", "pronto", "entregue", "cancelado"];
const ENVIOS = ["Correios", "Retirada", "Motoboy", "Transportadora"];

/** A date of 2026 for order i (entries spread over the whole year). */
const dayOf = (i: number, plus = 0) => new Date(Date.UTC(2026, 0, 1 + ((i * 7) % 365) + plus)).toISOString().slice(0, 10);

const order = (i: number) => ({
  cliente: `Cliente ${i % 800} Ação`,
  telefone_cliente: "27999990000",
  cidade_cliente: "Vitória",
  estado_cliente: "ES",
  data_entrada: dayOf(i),
  data_entrega: dayOf(i, 3 + (i % 10)),
  prioridade: i % 9 === 0 ? "ALTA" : "NORMAL",
  status: STATUSES[i % 5],
  valor_frete: (i % 4) * 1250 + (i % 7),
  forma_envio: ENVIOS[i % 4],
  forma_envio_id: 0,
  items: [0, 1, 2].map((k) => ({
    tipo_producao: TIPOS[(i + k) % 5],
    descricao: `Item ${i}-${k}`,
    largura: "1,50",
    altura: String(1 + ((i + k) % 3)),
    vendedor: VENDEDORES[(i + k) % 4],
    designer: DESIGNERS[(i * 3 + k) % 6],
    tecido: TECIDOS[(i + 2 * k) % 6],
    quantidade_paineis: String(1 + (k % 3)),
    quantidade_lona: "2",
    quantidade_adesivo: "3",
    quantidade_totem: "1",
    valor_unitario: `${40 + ((i * 13 + k * 7) % 160)}.${String((i + k) % 100).padStart(2, "0")}`,
    acabamento: { overloque: k === 0, elastico: false, ilhos: k === 1 },
    emenda: "sem-emenda",
    observacao: "",
    imagem: null,
  })),
});

/**
 * One request, timed to its last byte, as the client sends it (`accept-encoding: gzip`; the server compresses
 * over 1 KiB). The body is not parsed: the client's own JSON.parse is not the server's time.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function send(method: string, path: string, body?: unknown): Promise<{ status: number; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      s.url + path,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${s.adminToken}`,
          "accept-encoding": "gzip",
          ...(payload ? { "content-type": "application/json" } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res
          .on("data", (c: Buffer) => chunks.push(c))
          .on("end", () => resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks) }))
          .on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

const s = await startTestServer();
try {
  const actor = { id: 1, username: "admin", isAdmin: true };
  let t = performance.now();
  for (let start = 0; start < ORDERS; start += 500) {
    s.deps.db.writeSync((tx) => {
      for (let i = start; i < Math.min(start + 500, ORDERS); i++) createOrder(tx, order(i) as never, actor);
    });
  }
  console.log(`seeded ${ORDERS} orders × 3 items through createOrder in ${Math.round(performance.now() - t)} ms`);
  // The synchronous seeding starved the event loop past the keep-alive timeout: let idle sockets close first.
  await new Promise((r) => setTimeout(r, 500));

  const M = "start_date=2026-03-01&end_date=2026-03-31";
  const m = "data_inicio=2026-03-01&data_fim=2026-03-31";
  const Y = "data_inicio=2026-01-01&data_fim=2026-12-31";
  const F = "/relatorios-fechamentos/pedidos";
  const cases: [string, string, string?][] = [
    ["relatorio-semanal, one month (entrada)", `${F}/relatorio-semanal?${M}&date_mode=entrada`],
    ["relatorio-semanal, one month (entrega)", `${F}/relatorio-semanal?${M}&date_mode=entrega`],
    ["relatorio-semanal, one month (qualquer)", `${F}/relatorio-semanal?${M}&date_mode=qualquer`],
    ["quantidade, one month", `${F}/quantidade?${m}`],
    ["quantidade, whole history", `${F}/quantidade`],
    ["por-status, one year", `${F}/por-status?${Y}`],
    ["por-cliente, one month", `${F}/por-cliente?${m}`],
    ["por-vendedor, one month", `${F}/por-vendedor?${m}`],
    ["por-designer, one month", `${F}/por-designer?${m}`],
    ["por-tipo-producao, one month", `${F}/por-tipo-producao?${m}`],
    ["por-designer, whole history", `${F}/por-designer`],
    ["tendencia, one year by week", `${F}/tendencia?${Y}&group_by=week`],
    ["tendencia, whole history by day", `${F}/tendencia`],
    ["valor-total, one month, designer=ana", `${F}/valor-total?${m}&designer=ana`],
    [
      "relatorio analitico_designer_cliente, month, proporcional",
      `${F}/relatorio?report_type=analitico_designer_cliente&${M}&frete_distribution=proporcional`,
    ],
    ["relatorio sintetico_data, one month", `${F}/relatorio?report_type=sintetico_data&${M}`],
    [
      "relatorio analitico_cliente_painel, one year",
      `${F}/relatorio?report_type=analitico_cliente_painel&start_date=2026-01-01&end_date=2026-12-31`,
    ],
    ["/relatorios/templates", "/relatorios/templates"],
    ["/relatorios/fechamentos/statistics, one month", `/relatorios/fechamentos/statistics?${M}`],
    ["/relatorios/fechamentos/statistics, month, vendedor=dora", `/relatorios/fechamentos/statistics?${M}&vendedor=dora`],
    [
      "/relatorios/fechamentos/trends, one year by month",
      "/relatorios/fechamentos/trends?start_date=2026-01-01&end_date=2026-12-31&group_by=month",
    ],
    ["/relatorios/fechamentos/rankings/vendedor, one month", `/relatorios/fechamentos/rankings/vendedor?${M}`],
    [
      "/relatorios-envios/pedidos (the client's call: limit 1001, 90 days)",
      "/relatorios-envios/pedidos?skip=0&limit=1001&data_inicio=2026-01-01&data_fim=2026-03-31",
    ],
    ["automacao metragem, one month", `/automacao/pedidos/metragem?${m}`],
    ["automacao metragem, whole history", "/automacao/pedidos/metragem"],
    ["automacao estatisticas, one month", `/automacao/producao/estatisticas?${m}`],
    ["automacao tecidos, one month", `/automacao/producao/tecidos?${m}`],
    ["automacao estatisticas, whole history", "/automacao/producao/estatisticas"],
    ["automacao alertas", "/automacao/producao/alertas"],
    ["automacao pedido/{numero} (unpadded)", `/automacao/pedido/${Math.ceil(ORDERS / 2)}`],
    ["safira: pedidos hoje", "/safira/ask", "Quantos pedidos entraram hoje?"],
    ["safira: em produção", "/safira/ask", "Quantos pedidos estão em produção?"],
    ["safira: atrasados", "/safira/ask", "Quais pedidos estão atrasados?"],
    ["safira: tipo mais feito", "/safira/ask", "Qual o tipo de pedido mais feito?"],
    ["safira: material mais usado (whole history)", "/safira/ask", "Qual o material mais usado?"],
    ["safira: vendedor de hoje", "/safira/ask", "Qual vendedor fez mais pedidos hoje?"],
    ["safira: cliente do mês", "/safira/ask", "Qual cliente fez mais pedidos este mês?"],
    ["safira: tempo médio", "/safira/ask", "Qual o tempo médio de produção?"],
    ["safira: concluídos hoje", "/safira/ask", "Quantos pedidos foram concluídos hoje?"],
    ["safira: etapa", "/safira/ask", "Qual etapa da produção tem mais pedidos?"],
  ];
  console.log(`(${ORDERS} orders, ${RUNS} requests per route; load average at start ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`);
  // CPU ms: this process's CPU time per request (server and client share it), the figure that does not grow
  // when other processes take the cores; wall times do.
  console.log("| route | median ms | p95 ms | CPU ms (median) | on the wire (gzip) |");
  console.log("|---|---|---|---|---|");
  for (const [label, path, question] of cases) {
    const times: number[] = [];
    const cpu: number[] = [];
    let size = 0;
    for (let i = 0; i < RUNS; i++) {
      t = performance.now();
      const c0 = process.cpuUsage();
      const r = await send(question ? "POST" : "GET", path, question ? { question } : undefined);
      const c1 = process.cpuUsage(c0);
      times.push(performance.now() - t);
      cpu.push((c1.user + c1.system) / 1000);
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.bytes.toString().slice(0, 200)}`);
      size = r.bytes.length;
    }
    if (question) {
      // Checked once, outside the timing: an intent answered as "error" would make the row meaningless.
      const r = await s.request("POST", path, { token: s.adminToken, body: { question } });
      if (r.body.intent === "error") throw new Error(`${label}: ${r.text}`);
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(1);
    console.log(
      `| ${label} | ${pct(times, 0.5)} | ${pct(times, 0.95)} | ${pct(cpu, 0.5)} | ${size < 10_240 ? `${size} B` : `${(size / 1024).toFixed(0)} KiB`} |`,
    );
  }
  agent.destroy();
} finally {
  await s.stop();
}
