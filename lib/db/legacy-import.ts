import type { Sql } from "./connection.ts";
import type { Logger } from "../log.ts";
import { parseMoney, formatCents } from "../money.ts";
import { toDateOnly, toIsoUtc } from "../time.ts";
import { foldText, textOrNull } from "../text.ts";
import { splitCity } from "../orders/city.ts";
import { normalizeLegacyStatus } from "../orders/status.ts";
import { hashPasswordSync, isBcryptHash } from "../auth/passwords.ts";

type LegacyOrder = Record<string, unknown> & { id: number; items: string | null };

/**
 * Normalises, once, the values a database of the original system holds, after its tables were rebuilt into our
 * shapes. Nothing is recomputed: stored money is parsed as it is written, unknown strings are kept.
 * Every change that could surprise someone is logged.
 */
export function importLegacyData(q: Sql, log: Logger): void {
  normaliseFlags(q, log);
  importUsers(q, log);
  const orders = q.all<LegacyOrder>("SELECT * FROM pedidos ORDER BY id");
  for (const o of orders) normaliseOrder(q, o, log);
  importItems(q, orders, log);
  dedupeNumeros(q, log);
  relinkImages(q);
  relinkPrintLogs(q);
  detachOrphans(q, log);
}

const FLAGS: Record<string, string[]> = {
  user: ["is_admin", "is_active"],
  pedidos: ["financeiro", "conferencia", "sublimacao", "costura", "expedicao", "pronto"],
  reposicoes: ["financeiro", "conferencia", "sublimacao", "costura", "expedicao", "pronto"],
  payment: ["ativo"],
  envio: ["ativo"],
  vendedor: ["ativo"],
  designer: ["ativo"],
  material: ["ativo"],
  producoes: ["active"],
  machines: ["active"],
};

/** Booleans written as text (`'t'`, `'false'`) become 0/1: read as they were, any string would be truthy. */
function normaliseFlags(q: Sql, log: Logger): void {
  let changed = 0;
  for (const [table, cols] of Object.entries(FLAGS))
    for (const c of cols)
      changed += q.run(
        `UPDATE "${table}" SET "${c}" = CASE WHEN lower(trim("${c}")) IN ('1', 't', 'true', 'y', 'yes', 's', 'sim', 'on') THEN 1 ELSE 0 END
         WHERE typeof("${c}") = 'text'`,
      ).changes;
  if (changed) log.warn({ values: changed }, "legacy booleans stored as text converted to 0/1");
}

function importUsers(q: Sql, log: Logger): void {
  for (const u of q.all<{ id: number; username: string; password_hash: string; created_at: unknown; updated_at: unknown }>(
    `SELECT id, username, password_hash, created_at, updated_at FROM "user"`,
  )) {
    // Legacy rows may hold a plaintext password: hash it so it is never stored in clear again.
    const hash = isBcryptHash(u.password_hash) ? u.password_hash : hashPasswordSync(u.password_hash);
    if (hash !== u.password_hash) log.warn({ user: u.username }, "plaintext legacy password hashed");
    q.run(
      `UPDATE "user" SET password_hash = ?, created_at = ?, updated_at = ? WHERE id = ?`,
      hash,
      toIsoUtc(u.created_at),
      toIsoUtc(u.updated_at),
      u.id,
    );
  }
}

function normaliseOrder(q: Sql, o: LegacyOrder, log: Logger): void {
  const status = normalizeLegacyStatus(o.status);
  if (!status) log.warn({ pedido: o.id, status: o.status }, "unknown legacy status read as pendente");
  const { cidade, estado } = splitCity(o.cidade_cliente, o.estado_cliente);
  const frete = parseMoney(o.valor_frete) ?? 0;
  const itens = parseMoney(o.valor_itens) ?? 0;
  const total = parseMoney(o.valor_total) ?? itens + frete;
  const prioridade = String(o.prioridade ?? "NORMAL").toUpperCase() === "ALTA" ? "ALTA" : "NORMAL";
  q.run(
    `UPDATE pedidos SET status = ?, prioridade = ?, cidade_cliente = ?, estado_cliente = ?, cliente_busca = ?,
       data_entrada = ?, data_entrega = ?,
       valor_frete = ?, valor_itens = ?, valor_total = ?, valor_frete_cents = ?, valor_itens_cents = ?, valor_total_cents = ?,
       financeiro_liberado_em = ?, data_criacao = ?, ultima_atualizacao = ?
     WHERE id = ?`,
    status ?? "pendente",
    prioridade,
    cidade,
    estado,
    foldText(o.cliente),
    // An empty entry date (a hand-edited row) falls back to the day the order was created.
    toDateOnly(o.data_entrada) ?? (o.data_entrada ? String(o.data_entrada) : (toDateOnly(toIsoUtc(o.data_criacao)) ?? "")),
    o.data_entrega == null || o.data_entrega === "" ? null : (toDateOnly(o.data_entrega) ?? String(o.data_entrega)),
    formatCents(frete),
    formatCents(itens),
    formatCents(total),
    frete,
    itens,
    total,
    toIsoUtc(o.financeiro_liberado_em),
    toIsoUtc(o.data_criacao),
    toIsoUtc(o.ultima_atualizacao),
    o.id,
  );
}

function parseItems(raw: string | null, orderId: number, log: Logger): Record<string, unknown>[] {
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw);
    if (Array.isArray(parsed)) return parsed.filter((x) => x && typeof x === "object");
  } catch {
    // fall through
  }
  log.error({ pedido: orderId }, "legacy items JSON unreadable; kept in pedidos.items, no item rows created");
  return [];
}

/**
 * Items move from the JSON column into `pedido_itens`. A legacy integer id that is unique across the database is
 * kept as the item's id (so print logs and open clients keep addressing it); the others get new ids. Every item
 * also keeps its original fallback address, `pedido.id*1000+index`, as `legacy_id`.
 */
function importItems(q: Sql, orders: LegacyOrder[], log: Logger): void {
  const parsed = orders.map((o) => ({ o, items: parseItems(o.items, o.id, log) }));
  const seen = new Map<number, number>();
  for (const { items } of parsed)
    for (const it of items)
      if (Number.isSafeInteger(it.id) && (it.id as number) > 0) seen.set(it.id as number, (seen.get(it.id as number) ?? 0) + 1);
  const keep = (it: Record<string, unknown>) => Number.isSafeInteger(it.id) && (it.id as number) > 0 && seen.get(it.id as number) === 1;
  const insert = (orderId: number, index: number, it: Record<string, unknown>, explicitId: number | null) => {
    const { id: _drop, ...data } = it;
    // The original's panel released art through `legenda_imagem: "LIBERADO"` before `status_arte` existed; the
    // default "aguardando" later masked it (original-api §8.29). Carry the release over once, explicitly.
    if (
      data.status_arte == null &&
      String(data.legenda_imagem ?? "")
        .trim()
        .toUpperCase() === "LIBERADO"
    )
      data.status_arte = "liberado";
    const machine =
      Number.isSafeInteger(Number(data.machine_id)) && data.machine_id !== null && data.machine_id !== "" ? Number(data.machine_id) : null;
    q.run(
      `INSERT INTO pedido_itens (id, pedido_id, posicao, legacy_id, tipo_producao, designer, vendedor, tecido, machine_id, status_arte, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      explicitId,
      orderId,
      index,
      orderId * 1000 + index,
      textOrNull(data.tipo_producao),
      textOrNull(data.designer),
      textOrNull(data.vendedor),
      textOrNull(data.tecido),
      machine,
      textOrNull(data.status_arte) ?? "aguardando",
      JSON.stringify(data),
    );
  };
  // Kept ids first, so an autoincrement id can never take one of them.
  for (const { o, items } of parsed) for (const [i, it] of items.entries()) if (keep(it)) insert(o.id, i, it, it.id as number);
  for (const { o, items } of parsed) for (const [i, it] of items.entries()) if (!keep(it)) insert(o.id, i, it, null);
  const dup = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  if (dup.length) log.warn({ ids: dup.slice(0, 50), count: dup.length }, "legacy item ids shared by several items were given new ids");
}

/** The lowest id keeps a shared or missing `numero`; the others get new numbers, logged one by one. */
function dedupeNumeros(q: Sql, log: Logger): void {
  let next =
    (q.get<{ n: number | null }>(
      "SELECT MAX(CAST(numero AS INTEGER)) AS n FROM pedidos WHERE numero GLOB '[0-9]*' AND CAST(numero AS INTEGER) > 0",
    )?.n ?? 0) + 1;
  const rows = q.all<{ id: number; numero: string | null }>("SELECT id, numero FROM pedidos ORDER BY id");
  const taken = new Set<string>();
  for (const r of rows) {
    const numero = r.numero === null ? "" : String(r.numero).trim();
    if (numero !== "" && !taken.has(numero)) {
      taken.add(numero);
      if (numero !== r.numero) q.run("UPDATE pedidos SET numero = ? WHERE id = ?", numero, r.id);
      continue;
    }
    let fresh = String(next++).padStart(10, "0");
    while (taken.has(fresh)) fresh = String(next++).padStart(10, "0");
    taken.add(fresh);
    q.run("UPDATE pedidos SET numero = ? WHERE id = ?", fresh, r.id);
    log.warn(
      { pedido: r.id, numero_antigo: r.numero, numero_novo: fresh },
      numero === "" ? "order without numero numbered" : "duplicate numero renumbered",
    );
  }
}

/** Image rows learn which item they belong to (by the old identifier, else by position); paths use `/`. */
function relinkImages(q: Sql): void {
  for (const img of q.all<{ id: number; pedido_id: number; item_index: number | null; item_identificador: string | null; path: string }>(
    "SELECT id, pedido_id, item_index, item_identificador, path FROM pedido_imagens",
  )) {
    let item: { id: number } | undefined;
    if (img.item_identificador && /^\d+$/.test(img.item_identificador)) {
      item = q.get("SELECT id FROM pedido_itens WHERE pedido_id = ? AND id = ?", img.pedido_id, Number(img.item_identificador));
    }
    if (!item && img.item_index !== null) {
      item = q.get("SELECT id FROM pedido_itens WHERE pedido_id = ? AND posicao = ?", img.pedido_id, img.item_index);
    }
    q.run(
      "UPDATE pedido_imagens SET item_id = ?, path = ?, criado_em = ? WHERE id = ?",
      item?.id ?? null,
      img.path.replace(/\\/g, "/"),
      toIsoUtc(q.get<{ c: unknown }>("SELECT criado_em AS c FROM pedido_imagens WHERE id = ?", img.id)?.c),
      img.id,
    );
  }
}

/** Print logs point at real item ids; an original id no item matches is kept in `item_id_legado`. */
function relinkPrintLogs(q: Sql): void {
  for (const l of q.all<{ id: number; pedido_id: number | null; item_id: number | null; status: string }>(
    "SELECT id, pedido_id, item_id, status FROM print_logs",
  )) {
    let itemId: number | null = null;
    if (l.item_id !== null) {
      const hit =
        q.get<{ id: number }>(
          "SELECT id FROM pedido_itens WHERE id = ? AND (pedido_id = ? OR ? IS NULL)",
          l.item_id,
          l.pedido_id,
          l.pedido_id,
        ) ?? q.get<{ id: number }>("SELECT id FROM pedido_itens WHERE legacy_id = ?", l.item_id);
      itemId = hit?.id ?? null;
    }
    q.run(
      "UPDATE print_logs SET item_id = ?, item_id_legado = ?, status = lower(status) WHERE id = ?",
      itemId,
      itemId === null ? l.item_id : null,
      l.id,
    );
  }
}

/**
 * The original never enforced foreign keys. Rows that point at orders or machines that no longer exist are
 * detached (kept, reference cleared) where the column allows it; image rows of deleted orders are dropped
 * (their rows were already unreachable).
 */
function detachOrphans(q: Sql, log: Logger): void {
  const counts = {
    print_logs_pedido: q.run(
      "UPDATE print_logs SET pedido_id = NULL WHERE pedido_id IS NOT NULL AND pedido_id NOT IN (SELECT id FROM pedidos)",
    ).changes,
    print_logs_printer: q.run(
      "UPDATE print_logs SET printer_id = NULL WHERE printer_id IS NOT NULL AND printer_id NOT IN (SELECT id FROM machines)",
    ).changes,
    reposicoes: q.run("UPDATE reposicoes SET order_id = NULL WHERE order_id IS NOT NULL AND order_id NOT IN (SELECT id FROM pedidos)")
      .changes,
    pedido_imagens: q.run("DELETE FROM pedido_imagens WHERE pedido_id NOT IN (SELECT id FROM pedidos)").changes,
  };
  if (Object.values(counts).some((n) => n > 0)) log.warn(counts, "orphan rows of the legacy database detached");
}

/**
 * The original's fichas and sheet templates, once their tables were rebuilt into ours (migration 7): timestamps in
 * ISO UTC, image paths with `/` (rows written on Windows), a `client_id` naming no cliente cleared (the original
 * enforced no foreign key), template types lower-cased. Files are not touched: they stay where the original wrote
 * them, under the same media root. Idempotent (a database our previous version took over runs it too).
 */
export function importLegacyFichas(q: Sql, log: Logger): void {
  let paths = 0;
  for (const f of q.all<{ id: number; imagem_path: unknown; data_criacao: unknown; ultima_atualizacao: unknown }>(
    "SELECT id, imagem_path, data_criacao, ultima_atualizacao FROM fichas",
  )) {
    const raw = textOrNull(f.imagem_path);
    const path =
      raw === null || raw.trim() === ""
        ? null
        : raw
            .trim()
            .replace(/\\/g, "/")
            .replace(/^\.?\/+/, "");
    if (path !== raw) paths++;
    q.run(
      "UPDATE fichas SET imagem_path = ?, data_criacao = ?, ultima_atualizacao = ? WHERE id = ?",
      path,
      toIsoUtc(f.data_criacao),
      toIsoUtc(f.ultima_atualizacao),
      f.id,
    );
  }
  const clients = q.run(
    "UPDATE fichas SET client_id = NULL WHERE client_id IS NOT NULL AND client_id NOT IN (SELECT id FROM cliente)",
  ).changes;
  const seen = new Set<string>();
  let dropped = 0;
  // Newest first: of two rows that only differ in the case of their type, the one written last is kept.
  for (const t of q.all<{ id: number; template_type: unknown; updatedAt: unknown }>(
    "SELECT id, template_type, updatedAt FROM ficha_templates ORDER BY id DESC",
  )) {
    const type = String(t.template_type ?? "")
      .trim()
      .toLowerCase();
    if (seen.has(type)) {
      q.run("DELETE FROM ficha_templates WHERE id = ?", t.id);
      dropped++;
      continue;
    }
    seen.add(type);
    q.run(
      "UPDATE ficha_templates SET template_type = ?, updatedAt = ? WHERE id = ?",
      type,
      toIsoUtc(t.updatedAt) ?? new Date().toISOString(),
      t.id,
    );
  }
  if (paths || clients || dropped)
    log.warn(
      { image_paths_normalised: paths, client_ids_cleared: clients, duplicate_templates_dropped: dropped },
      "legacy fichas normalised",
    );
}
