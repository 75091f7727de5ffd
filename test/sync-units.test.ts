// Sync's pure rules: backoff, settings (and the original's names), the mirror's row shapes, stats and health, and
// the push elements of a delete committed without its record.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../lib/config.ts";
import { retryDelayMs } from "../lib/sync/events.ts";
import {
  cutBytes,
  ITEMS_JSON_SOFT_LIMIT_BYTES,
  mirrorCity,
  mirrorItemsJson,
  mirrorUserRow,
  mysqlDateTime,
  toColumn,
} from "../lib/sync/mirror-rows.ts";
import { syncHealth, syncStats } from "../lib/sync/stats.ts";
import { pushElements } from "../lib/sync/http-sink.ts";
import { mysqlOptionsOf } from "../lib/sync/mysql-sink.ts";
import { openTestDeps } from "./helpers/ctx.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "sgp-sync-config-"));

describe("retry backoff", () => {
  it("is min(5·2^attempts, 600) s plus up to 5 s of jitter", () => {
    const at = (n: number, r: number) => retryDelayMs(n, 5_000, 600_000, () => r);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 30].map((n) => at(n, 0))).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000, 600_000,
    ]);
    expect(at(0, 0.999)).toBe(9_995);
    expect(at(7, 0.5)).toBe(602_500);
    // A small test base keeps the jitter proportionate.
    expect(retryDelayMs(0, 20, 100, () => 0.5)).toBe(30);
  });
});

describe("sync settings", () => {
  it("are off by default, with the original's worker figures", () => {
    expect(loadConfig({}, tmp()).sync).toEqual({
      httpUrl: null,
      httpKey: null,
      httpTimeoutMs: 5_000,
      mysqlUrl: null,
      mysqlTimeoutMs: 10_000,
      batchSize: 100,
      pollMs: 1_000,
      maxAttempts: 8,
      backoffBaseMs: 5_000,
      backoffMaxMs: 600_000,
      leaseMs: 30_000,
    });
  });

  it("accept the original's names: VPS_SYNC_URL, VPS_SYNC_API_KEY, DB_USER/DB_PASS/DB_HOST/DB_PORT/DB_NAME", () => {
    const c = loadConfig(
      {
        VPS_SYNC_URL: "https://vps.example/internal/sync/pedidos",
        VPS_SYNC_API_KEY: "k1",
        DB_USER: "u@x",
        DB_PASS: "p:ss/w",
        DB_HOST: "db.example",
        DB_NAME: "pwa",
      },
      tmp(),
    ).sync;
    expect(c).toMatchObject({
      httpUrl: "https://vps.example/internal/sync/pedidos",
      httpKey: "k1",
      mysqlUrl: "mysql://u%40x:p%3Ass%2Fw@db.example:3306/pwa",
    });
    expect(mysqlOptionsOf(c.mysqlUrl!, 1_000)).toMatchObject({
      host: "db.example",
      port: 3306,
      user: "u@x",
      password: "p:ss/w",
      database: "pwa",
      connectTimeout: 1_000,
    });
    // The new names win; three of the four DB_* settings are not a configuration.
    expect(
      loadConfig({ SYNC_HTTP_URL: "http://a/x", VPS_SYNC_URL: "http://b/y", DB_USER: "u", DB_HOST: "h", DB_NAME: "n" }, tmp()).sync,
    ).toMatchObject({ httpUrl: "http://a/x", mysqlUrl: null });
    expect(mysqlOptionsOf("mysql://a:b@[::1]/m?ssl=%7B%22rejectUnauthorized%22%3Atrue%7D", 500)).toMatchObject({
      host: "::1",
      port: 3306,
      ssl: { rejectUnauthorized: true },
    });
  });

  it.each([
    [{ SYNC_HTTP_URL: "vps.example/sync" }, "SYNC_HTTP_URL"],
    [{ SYNC_HTTP_URL: "ftp://vps.example/sync" }, "SYNC_HTTP_URL"],
    [{ SYNC_MYSQL_URL: "postgres://a@b/c" }, "SYNC_MYSQL_URL"],
    [{ SYNC_BATCH_SIZE: "0" }, "SYNC_BATCH_SIZE"],
    [{ SYNC_BACKOFF_BASE_MS: "1000", SYNC_BACKOFF_MAX_MS: "10" }, "SYNC_BACKOFF_MAX_MS"],
    [{ SYNC_HTTP_URL: "http://a/x", SYNC_HTTP_TIMEOUT_MS: "20000", SYNC_LEASE_MS: "30000" }, "SYNC_LEASE_MS"],
  ])("refuse %o naming %s", (env, setting) => {
    expect(() => loadConfig(env as NodeJS.ProcessEnv, tmp())).toThrow(ConfigError);
    expect(() => loadConfig(env as NodeJS.ProcessEnv, tmp())).toThrow(setting);
  });
});

describe("mirror rows", () => {
  it("items_json drops data URLs and imagem_base64, keeps the rest", () => {
    const { json, reduced } = mirrorItemsJson([
      { id: 1, imagem: "data:image/png;base64,AAAA", imagem_base64: "AAAA", descricao: "Faixa" },
      { id: 2, imagem: "/pedidos/imagens/7" },
    ]);
    expect(reduced).toBe("no");
    expect(JSON.parse(json)).toEqual([
      { id: 1, imagem: null, descricao: "Faixa" },
      { id: 2, imagem: "/pedidos/imagens/7" },
    ]);
  });

  it("items_json above 60 KB keeps the essential fields, and is [] when even those do not fit", () => {
    const big = Array.from({ length: 10 }, (_, i) => ({
      id: i,
      descricao: `d${i}`,
      observacao: "x".repeat(8_000),
      largura: "1",
      altura: "2",
      valor_unitario: "3.00",
    }));
    const cut = mirrorItemsJson(big);
    expect(cut.reduced).toBe("essential");
    expect(JSON.parse(cut.json)[9]).toEqual({
      id: 9,
      tipo_producao: null,
      descricao: "d9",
      largura: "1",
      altura: "2",
      valor_unitario: "3.00",
      item_identificador: null,
    });
    const huge = Array.from({ length: 20 }, (_, i) => ({ id: i, descricao: "y".repeat(4_000) }));
    expect(mirrorItemsJson(huge)).toEqual({ json: "[]", reduced: "empty" });
    expect(Buffer.byteLength(cut.json)).toBeLessThanOrEqual(ITEMS_JSON_SOFT_LIMIT_BYTES);
  });

  it("city and state as the original stored them, timestamps as UTC DATETIME, strings cut to the column", () => {
    expect(mirrorCity("Vitória", "ES")).toBe("Vitória||ES");
    expect(mirrorCity("Vitória", null)).toBe("Vitória");
    expect(mirrorCity(null, "ES")).toBe("||ES");
    expect(mysqlDateTime("2026-11-29T10:20:30.123Z")).toBe("2026-11-29 10:20:30");
    expect(mysqlDateTime("2026-01-07 06:02:13.219293")).toBe("2026-01-07 06:02:13");
    expect(mysqlDateTime("2026-01-07T09:02:13+03:00")).toBe("2026-01-07 06:02:13");
    expect(mysqlDateTime("ontem")).toBeNull();
    expect(mysqlDateTime(null)).toBeNull();
    expect(toColumn({ varchar: 5 }, "Açaí com banana")).toBe("Açaí ");
    expect(toColumn({ varchar: 3 }, "😀😀😀😀")).toBe("😀😀😀");
    expect(toColumn("bool", true)).toBe(1);
    expect(toColumn("int", "12")).toBe(12);
    expect(toColumn("int", 2 ** 40)).toBeNull();
    expect(cutBytes("ação", 2)).toBe("a");
    expect(cutBytes("ação", 3)).toBe("aç");
    expect(cutBytes("ação", 4)).toBe("aç");
    expect(Buffer.byteLength(toColumn("text", "é".repeat(40_000)) as string)).toBeLessThanOrEqual(65_535);
  });

  it("pwa_users never gets a password", () => {
    expect(mirrorUserRow({ username: "ana", isAdmin: true, isActive: false, createdAt: "2026-01-01T00:00:00Z", updatedAt: null })).toEqual([
      "ana",
      null,
      1,
      0,
      "2026-01-01 00:00:00",
      null,
    ]);
  });
});

describe("stats and health", () => {
  const deps = openTestDeps();
  afterAll(() => deps.dispose());

  it("health is degraded by dead letters and by an old pending event, per configured sink", async () => {
    const sync = { ...deps.config.sync, httpUrl: "http://127.0.0.1:9/x" };
    const now = Date.now();
    deps.db.writeSync((tx) => {
      tx.run(
        "INSERT INTO sync_sinks (sink, cursor, attempts, created_at, updated_at) VALUES ('http', (SELECT coalesce(MAX(id), 0) FROM event_log), 2, 'x', 'x')",
      );
      tx.run(
        "INSERT INTO event_log (type, order_id, payload, created_at) VALUES ('order_updated', 1, '{}', ?)",
        new Date(now - 301_000).toISOString(),
      );
    });
    const stats = await deps.db.read((q) => syncStats(q, sync, now));
    expect(stats.sinks.http).toMatchObject({ configured: true, pending: 1, retrying: 1, dead_letters: 0, attempts: 2 });
    expect(stats.sinks.http.oldest_pending_age_seconds).toBeGreaterThanOrEqual(301);
    expect(stats.queue.retry).toBe(1);
    expect(stats.queue.pending).toBe(stats.sinks.http.pending - 1);
    expect(syncHealth(stats)).toMatchObject({ status: "degraded", reasons: ["oldest_pending_age"] });
    deps.db.writeSync((tx) => {
      tx.run("INSERT INTO sync_dead_letters (sink, event_id, attempts, created_at, updated_at) VALUES ('http', 1, 8, 'x', 'x')");
      tx.run("UPDATE sync_sinks SET cursor = (SELECT MAX(id) FROM event_log), attempts = 0");
    });
    const later = await deps.db.read((q) => syncStats(q, sync, now));
    expect(syncHealth(later)).toMatchObject({ status: "degraded", reasons: ["dead_letter"] });
    // The same rows with the sink unconfigured: listed, but nobody's health.
    const off = await deps.db.read((q) => syncStats(q, { ...sync, httpUrl: null }, now));
    expect(off.sinks.http).toMatchObject({ configured: false, dead_letters: 1 });
    expect(syncHealth(off)).toMatchObject({ status: "ok", reasons: [] });
  });

  it("a delete committed without its record (an older version) is pushed from the order's last snapshot", async () => {
    const ids = deps.db.writeSync((tx) => {
      const a = tx.emit({
        type: "order_created",
        orderId: 77,
        payload: {
          type: "order_created",
          order_id: 77,
          order: { numero: "0000000077", cliente: "Antigo", status: "pronto", valor_total: "12.30", rascunho: false },
        },
      }).id;
      const d = tx.emit({ type: "order_deleted", orderId: 77, payload: { type: "order_deleted", order_id: 77 } }).id;
      return [a, d];
    });
    const els = await deps.db.read((q) => pushElements(q, ids[0], ids[1]));
    expect(els[1]).toMatchObject({
      pedido_id: 77,
      numero: "0000000077",
      cliente_nome: "Antigo",
      status: "pronto",
      valor_total: 12.3,
      deleted: true,
      event_id: ids[1],
    });
  });
});
