// Orders: creates/s of an order with 5 items (HTTP, autocannon), and `GET /pedidos/?limit=10001` over 10,000
// orders (the client's "all orders" tab; it times out at 10 s, our goal is under 1 s).
// `npx tsx bench/orders.ts` (ORDERS=10000, RUNS=15, DURATION=10 s, CONNECTIONS=10 by default). The server runs in
// this process on a temp dir and 127.0.0.1; the load generator shares its 2 cores, so figures are pessimistic.
// @ts-expect-error autocannon ships no type declarations
import autocannon from "autocannon";
import http from "node:http";
import { startTestServer } from "../test/helpers/server.ts";
import * as v from "valibot";
import { createOrder } from "../lib/orders/write.ts";
import { createOrderSchema } from "../lib/orders/schemas.ts";

const ORDERS = Number(process.env.ORDERS ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 9);
const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
/** `gzip` as the client sends it (the server compresses responses over 1 KiB), or `identity` for the raw cost. */
const ENCODING = process.env.ENCODING ?? "gzip";

/** An item as the client's order form sends it (every field of its type block, strings for money). */
const item = (i: number, k: number) => ({
  tipo_producao: ["painel", "totem", "lona", "adesivo", "generica"][k % 5], descricao: `Item ${i}-${k}`, largura: "1,50", altura: "2,00",
  metro_quadrado: "3,00", vendedor: "Carlos", designer: ["Ana", "Bruno"][k % 2], tecido: "Oxford", acabamento: { overloque: true, elastico: false, ilhos: k === 0 },
  emenda: "sem-emenda", observacao: "", valor_painel: "120.00", valores_adicionais: "5.00", tipo_acabamento: k === 0 ? "ilhos" : "nenhum",
  quantidade_ilhos: "12", valor_ilhos: "0.50", quantidade_paineis: "2", quantidade_totem: "1", valor_unitario: "80.00", imagem: null,
  legenda_imagem: "", ziper: false, cordinha_extra: false, alcinha: false, toalha_pronta: false, terceirizado: false,
});
const orderBody = (i: number) => ({
  cliente: `Cliente ${i} Ação`, telefone_cliente: "27999990000", cidade_cliente: "Vitória", estado_cliente: "ES",
  data_entrada: `2026-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`, data_entrega: null,
  prioridade: i % 7 === 0 ? "ALTA" : "NORMAL", status: "pendente", valor_frete: "15.00", tipo_pagamento: "1", forma_envio: "Correios",
  forma_envio_id: 0, financeiro: false, conferencia: false, sublimacao: false, costura: false, expedicao: false,
  items: [0, 1, 2, 3, 4].map((k) => item(i, k)),
});

const getBytes = (path: string) =>
  new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
    http.get(s.url + path, { headers: { authorization: `Bearer ${s.adminToken}`, "accept-encoding": ENCODING } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c)).on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) })).on("error", reject);
    }).on("error", reject);
  });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = await startTestServer();
try {
  const actor = { id: 1, username: "admin", isAdmin: true };
  let t = performance.now();
  for (let start = 0; start < ORDERS; start += 500) {
    s.deps.db.writeSync((tx) => {
      for (let i = start; i < Math.min(start + 500, ORDERS); i++) createOrder(tx, v.parse(createOrderSchema, orderBody(i)), actor);
    });
  }
  console.log(`seeded ${ORDERS} orders × 5 items through createOrder in ${Math.round(performance.now() - t)} ms`);
  await new Promise((r) => setTimeout(r, 500)); // idle keep-alive sockets close after the synchronous seeding

  console.log(`(accept-encoding: ${ENCODING}; load average at start ${(await import("node:os")).loadavg()[0].toFixed(1)} on ${(await import("node:os")).cpus().length} cores)`);
  console.log(`| request | median ms | p95 ms | bytes on the wire |`);
  console.log(`|---|---|---|---|`);
  for (const [label, path] of [
    [`GET /pedidos/?skip=0&limit=10001 (${ORDERS} orders)`, "/pedidos/?skip=0&limit=10001"],
    ["GET /pedidos/?limit=501&is_pronto=false", "/pedidos/?skip=0&limit=501&is_pronto=false"],
    ["GET /pedidos/?cliente=acao&limit=101", "/pedidos/?skip=0&limit=101&cliente=acao"],
    ["GET /pedidos/summary", "/pedidos/summary"],
    ["GET /pedidos/{id}", "/pedidos/4242"],
  ] as const) {
    // Time to the last byte received (server work + transfer), with node:http: the client's own JSON.parse is not
    // the server's time (checked once for the full list).
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i < RUNS; i++) {
      t = performance.now();
      const { status, body } = await getBytes(path);
      times.push(performance.now() - t);
      if (status !== 200) throw new Error(`${path}: ${status}`);
      size = body.length;
      if (i === 0 && path.includes("10001") && ENCODING === "identity" && JSON.parse(body.toString("utf8")).length !== ORDERS) throw new Error("list incomplete");
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`| ${label} | ${median(times).toFixed(1)} | ${sorted[Math.floor(sorted.length * 0.95)].toFixed(1)} | ${(size / 1e6).toFixed(1)} MB |`);
  }

  const before = s.deps.db.writeSync((tx) => tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM pedidos")!.n);
  const result = await autocannon({
    url: `${s.url}/pedidos/`, method: "POST", connections: CONNECTIONS, duration: DURATION,
    headers: { "content-type": "application/json", authorization: `Bearer ${s.adminToken}` },
    body: JSON.stringify(orderBody(1)),
  });
  const after = s.deps.db.writeSync((tx) => tx.all<{ numero: string }>("SELECT numero FROM pedidos"));
  const dupes = after.length - new Set(after.map((r) => r.numero)).size;
  console.log(`\nPOST /pedidos/ (5 items), ${CONNECTIONS} connections, ${DURATION} s: ${result.requests.average.toFixed(0)} creates/s average, ` +
    `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result["2xx"]} ok, ${result.non2xx} non-2xx, ${result.errors} errors; ` +
    `${after.length - before} orders written, ${dupes} duplicate numeros`);
} finally {
  await s.stop();
}
