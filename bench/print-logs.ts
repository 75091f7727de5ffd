// Print logs with a long history: the client's history check (`GET /print-logs/?limit=2000`, newest first), the
// printer stats, and recording prints (`POST /print-logs/`, item_id null: a new row each time).
// `npx tsx bench/print-logs.ts` (LOGS=100000, ORDERS=2000, REQUESTS=40, DURATION=5 s, CONNECTIONS=8). The list is
// timed with migration 7's `print_logs(created_at, id)` index and again without it (dropped at the end), to show
// what it buys. The server runs in this process on a temp dir and 127.0.0.1; the load generator shares its cores.
import { startTestServer } from "../test/helpers/server.ts";
import { load, median, size, table } from "./lib/report.ts";

type Autocannon = (
  opts: Record<string, unknown>,
) => Promise<{ requests: { average: number }; latency: { p50: number; p99: number }; "2xx": number; non2xx: number }>;
const autocannon = (await import("autocannon" as string)).default as Autocannon;

// BENCH_SMOKE=1: a tiny run (the test suite's check that the bench still works).
const LOGS = size("LOGS", 100_000, 500);
const ORDERS = size("ORDERS", 2_000, 50);
const REQUESTS = size("REQUESTS", 40, 3);
const DURATION = size("DURATION", 5, 1);
const CONNECTIONS = size("CONNECTIONS", 8, 2);

const s = await startTestServer();
try {
  const headers = { "content-type": "application/json", authorization: `Bearer ${s.adminToken}` };
  const { machines, orders } = s.deps.db.writeSync((tx) => {
    const machines = [1, 2, 3].map((n) => tx.run("INSERT INTO machines (name, active) VALUES (?, 1)", `Máquina ${n}`).lastInsertRowid);
    const orders: number[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const id = tx.run(
        "INSERT INTO pedidos (numero, data_entrada, cliente) VALUES (?, '2026-01-01', ?)",
        String(i + 1).padStart(10, "0"),
        `Cliente ${i}`,
      ).lastInsertRowid;
      tx.run(
        "INSERT INTO pedido_itens (pedido_id, posicao, data) VALUES (?, 0, ?)",
        id,
        JSON.stringify({ descricao: `Item ${i}`, largura: "1", altura: "2", tecido: "Oxford" }),
      );
      orders.push(id);
    }
    const start = Date.parse("2025-01-01T00:00:00Z");
    for (let i = 0; i < LOGS; i++) {
      tx.run(
        "INSERT INTO print_logs (printer_id, pedido_id, item_id, status, created_at) VALUES (?, ?, NULL, ?, ?)",
        machines[i % 3],
        orders[i % ORDERS],
        i % 10 === 0 ? "reprint" : "success",
        new Date(start + i * 60_000).toISOString(),
      );
    }
    return { machines, orders };
  });
  s.deps.db.raw.exec("ANALYZE");

  const time = async (path: string) => {
    const ms: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const t = performance.now();
      const res = await fetch(s.url + path, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      ms.push(performance.now() - t);
    }
    return median(ms);
  };

  const list = await time("/print-logs/?limit=2000");
  const stats = await time(`/print-logs/stats/${machines[0]}`);
  const byPrinter = await time(`/print-logs/printers/${machines[1]}?limit=2000`);
  const post = await autocannon({
    url: `${s.url}/print-logs/`,
    method: "POST",
    connections: CONNECTIONS,
    duration: DURATION,
    headers,
    body: JSON.stringify({ printer_id: machines[2], pedido_id: orders[0], item_id: null, status: "reprint" }),
  });
  s.deps.db.raw.exec("DROP INDEX ix_print_logs_created");
  const listNoIndex = await time("/print-logs/?limit=2000");

  const total = (s.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM print_logs").get() as { n: number }).n;
  // note: autocannon stops counting at the deadline, so a few POSTs still in flight then are rows it did not count.
  console.log(
    `print logs: ${LOGS} seeded over ${ORDERS} orders; ${total - LOGS} rows added by ${post["2xx"]} counted POSTs (every print a new row)`,
  );
  table(
    `Print logs: ${LOGS} seeded over ${ORDERS} orders (medians of ${REQUESTS}; ${load()})`,
    ["request", "figure"],
    [
      [
        "GET /print-logs/?limit=2000",
        `${list.toFixed(1)} ms (without the created_at index: ${listNoIndex.toFixed(1)} ms, ${(listNoIndex / list).toFixed(1)}×)`,
      ],
      ["GET /print-logs/printers/{id}?limit=2000", `${byPrinter.toFixed(1)} ms`],
      ["GET /print-logs/stats/{id}", `${stats.toFixed(1)} ms`],
      [
        `POST /print-logs/ (item_id null), ${CONNECTIONS} connections × ${DURATION} s`,
        `${post.requests.average.toFixed(0)} req/s, p50 ${post.latency.p50} ms, p99 ${post.latency.p99} ms, non-2xx ${post.non2xx}`,
      ],
    ],
  );
} finally {
  await s.stop();
}
