import type { Param, Tx } from "../db/connection.ts";
import { AppError, badRequest, forbidden, notFound, unprocessable, type ValidationIssue } from "../errors.ts";
import { formatCents } from "../money.ts";
import { foldText } from "../text.ts";
import { nowIso } from "../time.ts";
import { splitCity } from "./city.ts";
import { emitOrderDeleted, emitOrderEvent, type Actor } from "./events.ts";
import { assertStoredItemsFit, findItem, itemData, itemDataOf, updateItemData, writeItems } from "./items.ts";
import { allocateNumero, claimNumero } from "./numbering.ts";
import { priceItem, priceOrder } from "./pricing.ts";
import { getOrder } from "./read.ts";
import type { CreateOrderInput, DraftInput, UpdateOrderInput } from "./schemas.ts";
import { STAGE_FLAGS, type OrderStatus } from "./status.ts";
import type { PedidoResponse } from "./wire.ts";

/**
 * The transaction bodies of the order writes. Each runs inside one `db.write(tx => ...)`, appends its events
 * there (with the order as it was before, for the in-transaction hooks), and returns the order as committed.
 * Prices and totals are computed here on every path, from the items and the freight.
 * note: handlers never call these: they call the operations of `operations.ts`, which add the images around
 * the transaction. Effects that must commit with a write hang off its events (`hooks.ts`), never off a caller.
 */

export const FINANCEIRO_FORBIDDEN = "Somente administradores podem alterar o status financeiro.";

/**
 * Called inside the transaction right after the item rows are written (`itemIds[i]` = id of `items[i]`) and
 * before the order is read back for the response and the event: where item images get linked.
 */
export type AfterItems = (tx: Tx, orderId: number, itemIds: number[]) => void;

type Row = Record<string, unknown>;

/** The column values of the text fields a body may carry (same names on both sides). */
const TEXT_FIELDS = [
  "observacao",
  "telefone_cliente",
  "tipo_pagamento",
  "obs_pagamento",
  "forma_envio",
  "sublimacao_maquina",
  "sublimacao_data_impressao",
] as const;

const today = () => nowIso().slice(0, 10);

function insertRow(tx: Tx, cols: Row): number {
  const keys = Object.keys(cols);
  return tx.run(`INSERT INTO pedidos (${keys.join(", ")}) VALUES (${keys.map(() => "?").join(", ")})`, ...(Object.values(cols) as Param[]))
    .lastInsertRowid;
}

function updateRow(tx: Tx, id: number, cols: Row): void {
  const keys = Object.keys(cols);
  if (keys.length)
    tx.run(`UPDATE pedidos SET ${keys.map((k) => `${k} = ?`).join(", ")} WHERE id = ?`, ...(Object.values(cols) as Param[]), id);
}

const moneyCols = (freteCents: number, itensCents: number) => ({
  valor_frete: formatCents(freteCents),
  valor_frete_cents: freteCents,
  valor_itens: formatCents(itensCents),
  valor_itens_cents: itensCents,
  valor_total: formatCents(itensCents + freteCents),
  valor_total_cents: itensCents + freteCents,
});

/**
 * Creates an order (or a draft, which gets no `numero` until it is promoted). `opts.today` is the shop's local
 * date (the default `data_entrada`); without it, UTC's.
 */
export function createOrder(
  tx: Tx,
  input: CreateOrderInput | DraftInput,
  actor: Actor,
  opts: { draft?: boolean; afterItems?: AfterItems; today?: string } = {},
): PedidoResponse {
  if (input.financeiro === true && !actor.isAdmin) throw forbidden(FINANCEIRO_FORBIDDEN);
  const now = nowIso();
  const dataEntrada = input.data_entrada ?? opts.today ?? today();
  const freteCents = input.valor_frete ?? 0;
  const priced = priceOrder(input.items ?? [], freteCents);
  const { cidade, estado } = splitCity(input.cidade_cliente, input.estado_cliente);
  const cols: Row = {
    numero: opts.draft
      ? input.numero
        ? claimNumero(tx, input.numero)
        : null
      : input.numero
        ? claimNumero(tx, input.numero)
        : allocateNumero(tx),
    data_entrada: dataEntrada,
    data_entrega: input.data_entrega ?? dataEntrada,
    prioridade: input.prioridade ?? "NORMAL",
    status: input.status ?? "pendente",
    cliente: input.cliente ?? "",
    cliente_busca: foldText(input.cliente),
    cidade_cliente: cidade,
    estado_cliente: estado,
    forma_envio_id: input.forma_envio_id ?? 0,
    ...moneyCols(freteCents, priced.itensCents),
    rascunho: opts.draft ? 1 : 0,
    criado_por: actor.id,
    data_criacao: now,
    ultima_atualizacao: now,
  };
  for (const k of TEXT_FIELDS) cols[k] = input[k] ?? null;
  cols.telefone_cliente ??= "";
  cols.tipo_pagamento ??= "";
  for (const f of STAGE_FLAGS) cols[f] = input[f] ? 1 : 0;
  cols.financeiro_liberado_em = input.financeiro ? now : null;
  const id = insertRow(tx, cols);
  const itemIds = writeItems(tx, id, priced.items);
  opts.afterItems?.(tx, id, itemIds);
  assertStoredItemsFit(tx, id);
  const order = getOrder(tx, id)!;
  emitOrderEvent(tx, opts.draft ? "order_updated" : "order_created", order, actor, null);
  return order;
}

interface CurrentRow {
  id: number;
  numero: string | null;
  data_entrada: string;
  status: OrderStatus;
  cidade_cliente: string | null;
  estado_cliente: string | null;
  valor_frete_cents: number;
  financeiro: number;
  conferencia: number;
  sublimacao: number;
  costura: number;
  expedicao: number;
  pronto: number;
  rascunho: number;
}

function currentRow(tx: Tx, id: number): CurrentRow {
  const row = findRow(tx, id);
  if (!row) throw notFound("Pedido não encontrado");
  return row;
}

function findRow(tx: Tx, id: number): CurrentRow | undefined {
  return tx.get<CurrentRow>(
    `SELECT id, numero, data_entrada, status, cidade_cliente, estado_cliente, valor_frete_cents, financeiro, conferencia,
       sublimacao, costura, expedicao, pronto, rascunho FROM pedidos WHERE id = ?`,
    id,
  );
}

/** Recomputes an order's totals from its stored items and freight (after an item changed). */
export function refreshTotals(tx: Tx, orderId: number, freteCents?: number): void {
  const frete = freteCents ?? tx.get<{ c: number }>("SELECT valor_frete_cents AS c FROM pedidos WHERE id = ?", orderId)!.c;
  const { itensCents } = priceOrder(
    itemDataOf(tx, orderId).map((r) => r.data),
    frete,
  );
  updateRow(tx, orderId, moneyCols(frete, itensCents));
}

/** 422 (FastAPI-style, like the schema's own) when a PATCH of an order blanks its customer or its entry date. */
function requireFilled(input: UpdateOrderInput): void {
  const issues: ValidationIssue[] = [];
  if (input.cliente !== undefined && !input.cliente)
    issues.push({ loc: ["body", "cliente"], msg: "Informe o cliente", type: "value_error", input: input.cliente });
  if (input.data_entrada !== undefined && !input.data_entrada) {
    issues.push({
      loc: ["body", "data_entrada"],
      msg: "Informe a data de entrada (YYYY-MM-DD)",
      type: "value_error",
      input: input.data_entrada,
    });
  }
  if (issues.length) throw unprocessable(issues);
}

/** True when the status or a stage flag differs between two versions of an order. */
const stageChanged = (a: CurrentRow, b: PedidoResponse) => a.status !== b.status || STAGE_FLAGS.some((f) => Boolean(a[f]) !== b[f]);

/**
 * `PATCH /pedidos/{id}`: applies the fields sent. `items`, when sent, replaces the list (ids keep their rows).
 * Totals are always recomputed; a client `valor_total`/`valor_itens` is ignored.
 */
export function updateOrder(
  tx: Tx,
  id: number,
  input: UpdateOrderInput,
  actor: Actor,
  opts: { afterItems?: AfterItems } = {},
): PedidoResponse {
  const cur = currentRow(tx, id);
  if (input.financeiro !== undefined && input.financeiro !== !!cur.financeiro && !actor.isAdmin) throw forbidden(FINANCEIRO_FORBIDDEN);
  const before = getOrder(tx, id);
  const now = nowIso();
  const cols: Row = { ultima_atualizacao: now };
  for (const k of TEXT_FIELDS) if (input[k] !== undefined) cols[k] = input[k];
  // A draft may stay incomplete: the client autosaves its form as it is (no customer yet, say). An order may not.
  if (!cur.rascunho) requireFilled(input);
  if (input.cliente !== undefined) Object.assign(cols, { cliente: input.cliente ?? "", cliente_busca: foldText(input.cliente) });
  if (input.data_entrada) cols.data_entrada = input.data_entrada; // blank on a draft: keeps the one it has
  if (input.data_entrega !== undefined) cols.data_entrega = input.data_entrega ?? input.data_entrada ?? cur.data_entrada;
  if (input.prioridade !== undefined) cols.prioridade = input.prioridade;
  if (input.status !== undefined) cols.status = input.status;
  if (input.forma_envio_id !== undefined && input.forma_envio_id !== null) cols.forma_envio_id = input.forma_envio_id;
  if (input.numero !== undefined) {
    if (input.numero) {
      if (input.numero !== cur.numero) cols.numero = claimNumero(tx, input.numero, id);
    } else if (!cur.numero && !cur.rascunho) cols.numero = allocateNumero(tx);
  }
  if (input.cidade_cliente !== undefined || input.estado_cliente !== undefined) {
    const city = input.cidade_cliente !== undefined ? splitCity(input.cidade_cliente) : { cidade: cur.cidade_cliente, estado: null };
    const estado = input.estado_cliente !== undefined ? splitCity(null, input.estado_cliente).estado : (city.estado ?? cur.estado_cliente);
    Object.assign(cols, { cidade_cliente: city.cidade, estado_cliente: estado });
  }
  for (const f of STAGE_FLAGS) if (input[f] !== undefined) cols[f] = input[f] ? 1 : 0;
  if (input.financeiro !== undefined && input.financeiro !== !!cur.financeiro) cols.financeiro_liberado_em = input.financeiro ? now : null;
  const freteCents = input.valor_frete !== undefined ? (input.valor_frete ?? 0) : cur.valor_frete_cents;
  updateRow(tx, id, cols);
  if (input.items !== undefined) {
    const priced = priceOrder(input.items, freteCents);
    const itemIds = writeItems(tx, id, priced.items);
    opts.afterItems?.(tx, id, itemIds);
    assertStoredItemsFit(tx, id);
    updateRow(tx, id, moneyCols(freteCents, priced.itensCents));
  } else refreshTotals(tx, id, freteCents);
  const order = getOrder(tx, id)!;
  emitOrderEvent(tx, "order_updated", order, actor, before);
  if (stageChanged(cur, order)) emitOrderEvent(tx, "order_status_updated", order, actor, before);
  return order;
}

/** `DELETE /pedidos/{id}`: the order goes with its items, images, print logs and replacements (cascades). */
export function deleteOrder(tx: Tx, id: number, actor: Actor): void {
  const before = getOrder(tx, id);
  if (!before) throw notFound("Pedido não encontrado");
  tx.run("DELETE FROM pedidos WHERE id = ?", id);
  emitOrderDeleted(tx, before, actor);
}

/**
 * `POST /pedidos/batch-status`: sets the status of every listed order (`entregue` also sets `pronto`), with the
 * same events as a PATCH. 404 when none of the ids exists.
 */
export function batchStatus(tx: Tx, ids: readonly number[], status: OrderStatus, actor: Actor): { count: number; status: OrderStatus } {
  let count = 0;
  const now = nowIso();
  for (const id of new Set(ids)) {
    const row = findRow(tx, id);
    if (!row) continue;
    const before = getOrder(tx, id);
    updateRow(tx, id, { status, ultima_atualizacao: now, ...(status === "entregue" ? { pronto: 1 } : {}) });
    const order = getOrder(tx, id)!;
    emitOrderEvent(tx, "order_updated", order, actor, before);
    if (stageChanged(row, order)) emitOrderEvent(tx, "order_status_updated", order, actor, before);
    count++;
  }
  if (count === 0) throw notFound("Nenhum pedido encontrado");
  return { count, status };
}

/**
 * Merges `changes` into one item (addressed by its id or legacy `pedido.id*1000+index`), reprices it, recomputes
 * the order's totals, bumps `ultima_atualizacao` and emits `order_updated`. `orderId` restricts the lookup.
 */
export function patchItem(tx: Tx, itemId: number, changes: Record<string, unknown>, actor: Actor, orderId?: number): PedidoResponse {
  return patchItemOf(tx, itemId, changes, actor, orderId).order;
}

/** `patchItem`, also telling which item row the address resolved to. */
export function patchItemOf(
  tx: Tx,
  itemId: number,
  changes: Record<string, unknown>,
  actor: Actor,
  orderId?: number,
): { order: PedidoResponse; itemId: number } {
  if (orderId !== undefined && !tx.get("SELECT 1 FROM pedidos WHERE id = ?", orderId)) throw notFound("Pedido não encontrado.");
  const found = findItem(tx, itemId, orderId);
  if (!found)
    throw notFound(
      orderId === undefined ? `Item ${itemId} não encontrado em nenhum pedido.` : `Item ${itemId} não encontrado no pedido informado.`,
    );
  const before = getOrder(tx, found.orderId);
  const data = priceItem({ ...found.data, ...itemData(changes) }).item;
  updateItemData(tx, found.itemId, data);
  assertStoredItemsFit(tx, found.orderId);
  if ("machine_id" in changes || "data_impressao" in changes) recordItemPrint(tx, found.orderId, found.itemId, data.machine_id);
  refreshTotals(tx, found.orderId);
  updateRow(tx, found.orderId, { ultima_atualizacao: nowIso() });
  const order = getOrder(tx, found.orderId)!;
  emitOrderEvent(tx, "order_updated", order, actor, before);
  return { order, itemId: found.itemId };
}

/** The original's side effect of the item route: one `success` print log per (order, item) on its machine. */
function recordItemPrint(tx: Tx, orderId: number, itemId: number, machineId: unknown): void {
  const printer = Number(machineId);
  if (!Number.isSafeInteger(printer) || printer <= 0 || !tx.get("SELECT 1 FROM machines WHERE id = ?", printer)) return;
  const existing = tx.get<{ id: number }>(
    "SELECT id FROM print_logs WHERE pedido_id = ? AND item_id = ? ORDER BY id DESC LIMIT 1",
    orderId,
    itemId,
  );
  if (existing)
    tx.run("UPDATE print_logs SET printer_id = ?, status = 'success', created_at = ? WHERE id = ?", printer, nowIso(), existing.id);
  else
    tx.run(
      "INSERT INTO print_logs (printer_id, pedido_id, item_id, status, created_at) VALUES (?, ?, ?, 'success', ?)",
      printer,
      orderId,
      itemId,
      nowIso(),
    );
}

/** `POST /pedidos/{id}/promover`: a draft becomes an order (numbered now, `order_created` emitted). */
export function promoteDraft(tx: Tx, id: number, actor: Actor): PedidoResponse {
  const cur = currentRow(tx, id);
  if (!cur.rascunho) throw new AppError(409, "O pedido não é um rascunho");
  const row = tx.get<{ cliente: string }>("SELECT cliente FROM pedidos WHERE id = ?", id)!;
  if (!row.cliente.trim()) throw badRequest("Informe o cliente antes de promover o rascunho");
  const before = getOrder(tx, id);
  const now = nowIso();
  updateRow(tx, id, { rascunho: 0, numero: cur.numero ?? allocateNumero(tx), data_criacao: now, ultima_atualizacao: now });
  const order = getOrder(tx, id)!;
  emitOrderEvent(tx, "order_created", order, actor, before);
  return order;
}
