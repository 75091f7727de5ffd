// Images: creates/s of an order whose item carries a 200 KB image (the browser's data-URL path, autocannon), against
// the same order without an image, and the desktop client's pre-upload + create pair (sequential pairs, 8 at a time).
// `npx tsx bench/images.ts` (ROUNDS=3, DURATION=5 s, CONNECTIONS=8). The server runs in this process on a temp dir
// and 127.0.0.1; the load generator shares its 2 cores, so figures are pessimistic. Checks nothing is lost: every
// image row has its file, and no file is left without a row.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { startTestServer } from "../test/helpers/server.ts";
import { dataUrl, makePng } from "../test/helpers/images.ts";
import { load, median, size, table } from "./lib/report.ts";

type Autocannon = (
  opts: Record<string, unknown>,
) => Promise<{ requests: { average: number }; latency: { p50: number; p99: number }; "2xx": number; non2xx: number; errors: number }>;
const autocannon = (await import("autocannon" as string)).default as Autocannon;

const ROUNDS = size("ROUNDS", 3, 1);
const DURATION = size("DURATION", 5, 1);
const CONNECTIONS = size("CONNECTIONS", 8, 4);
const PAIRS = size("PAIRS", 200, 8);

const s = await startTestServer();
try {
  const png = makePng(262, 262, true); // random pixels: about 200 KB, incompressible
  const orderBody = (imagem: string | null) =>
    JSON.stringify({
      cliente: "Bench Imagens",
      data_entrada: "2026-11-29",
      items: [{ descricao: "Painel", tipo_producao: "painel", quantidade_paineis: "1", valor_unitario: "10.00", imagem }],
    });
  const headers = { "content-type": "application/json", authorization: `Bearer ${s.adminToken}` };
  const cannon = (body: string) =>
    autocannon({ url: `${s.url}/pedidos/`, method: "POST", connections: CONNECTIONS, duration: DURATION, headers, body });

  const upload = async () => {
    const form = new FormData();
    form.append("image", new Blob([new Uint8Array(png)], { type: "image/png" }), "foto.png");
    const res = await fetch(`${s.url}/pedidos/order-items/upload-image`, {
      method: "POST",
      body: form,
      headers: { authorization: headers.authorization },
    });
    if (res.status !== 200) throw new Error(`upload: ${res.status}`);
    return ((await res.json()) as { server_reference: string }).server_reference;
  };
  const pairs = async () => {
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next++ < PAIRS) {
          const res = await fetch(`${s.url}/pedidos/`, { method: "POST", headers, body: orderBody(await upload()) });
          if (res.status !== 200) throw new Error(`create: ${res.status}`);
          await res.arrayBuffer();
        }
      }),
    );
    return PAIRS / ((performance.now() - start) / 1000);
  };

  const withImage = orderBody(dataUrl(png));
  const noImage = orderBody(null);
  await cannon(withImage); // warm-up
  const rows: Record<string, { rate: number[]; p50: number[]; p99: number[]; bad: number }> = {};
  const pairRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, body] of [
      ["no image", noImage],
      ["200 KB data URL", withImage],
    ] as const) {
      const r = await cannon(body);
      const row = (rows[name] ??= { rate: [], p50: [], p99: [], bad: 0 });
      row.rate.push(r.requests.average);
      row.p50.push(r.latency.p50);
      row.p99.push(r.latency.p99);
      row.bad += r.non2xx + r.errors;
    }
    pairRates.push(await pairs());
  }

  const images = s.deps.db.writeSync((tx) => tx.all<{ path: string }>("SELECT path FROM pedido_imagens"));
  const files = readdirSync(join(s.dir, "media", "pedidos"), { recursive: true })
    .map(String)
    .filter((f) => /\.(png|jpg|gif|webp)$/.test(f));
  console.log(`image ${png.length} bytes; ${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} rounds (medians across rounds)`);
  table(
    `POST /pedidos/ with one item, ${CONNECTIONS} connections, ${ROUNDS} × ${DURATION} s (medians; ${load()})`,
    ["POST /pedidos/ (1 item)", "orders/s", "p50 ms", "p99 ms", "non-2xx"],
    [
      ...Object.entries(rows).map(([name, r]) => [name, median(r.rate).toFixed(0), median(r.p50), median(r.p99), r.bad]),
      [`pre-upload + create, ${PAIRS} pairs`, median(pairRates).toFixed(0), "", "", 0],
    ],
  );
  console.log(`ratio 200 KB data URL / no image: ${(median(rows["200 KB data URL"].rate) / median(rows["no image"].rate)).toFixed(2)}`);
  console.log(`image rows: ${images.length}; image files on disk: ${files.length} (equal: nothing lost, nothing stray)`);
  if (images.length !== files.length) process.exitCode = 1;
} finally {
  await s.stop();
}
