import type { Param, Sql, Tx } from "../db/connection.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { emitOrderEvent, getOrder, type Actor } from "../orders/index.ts";
import { textOrNull } from "../text.ts";
import { nowIso, toDateOnly, toIsoUtc } from "../time.ts";
import type { ReposicaoCreate, ReposicaoListQuery, ReposicaoUpdate } from "./schemas.ts";

/**
 * Reposições: reprints of an order (`/reposicoes`). Each write is one transaction that also emits `order_updated`
 * on its order, with the standard order payload plus `reposicao` (the reposição as now, or as it was for a delete)
 * and `reposicao_acao` (`criada` | `atualizada` | `excluida`), so screens refresh and the order history sees it.
 * A reposição does not change its order: the event's `before` is the order as it is, so no order hook moves
 * anything (stock).
 */

export const REPOSICAO_STATUSES = ["Pendente", "Em Processamento", "Concluída", "Cancelada"] as const;
export const REPOSICAO_PRIORIDADES = ["NORMAL", "ALTA"] as const;
const FLAGS = ["financeiro", "conferencia", "sublimacao", "costura", "expedicao", "pronto"] as const;
export const REPOSICAO_NOT_FOUND = "Reposição não encontrada";

export type ReposicaoAcao = "criada" | "atualizada" | "excluida";

type Row = Record<string, unknown>;

/** The original's `ReposicaoResponse`; dates `YYYY-MM-DD`, timestamps ISO UTC, flags booleans. */
export function toReposicaoWire(r: Row) {
  const date = (x: unknown) => (x === null || x === undefined || x === "" ? null : (toDateOnly(x) ?? String(x)));
  return {
    id: Number(r.id),
    numero: textOrNull(r.numero),
    order_id: r.order_id === null ? null : Number(r.order_id),
    motivo: String(r.motivo ?? ""),
    descricao: textOrNull(r.descricao),
    data_solicitacao: date(r.data_solicitacao),
    data_entrega_prevista: date(r.data_entrega_prevista),
    status: String(r.status),
    prioridade: String(r.prioridade),
    observacao: textOrNull(r.observacao),
    financeiro: !!r.financeiro,
    conferencia: !!r.conferencia,
    sublimacao: !!r.sublimacao,
    costura: !!r.costura,
    expedicao: !!r.expedicao,
    pronto: !!r.pronto,
    created_at: toIsoUtc(r.created_at),
    updated_at: toIsoUtc(r.updated_at),
  };
}
export type ReposicaoWire = ReturnType<typeof toReposicaoWire>;

const findRow = (q: Sql, id: number) => q.get<Row>("SELECT * FROM reposicoes WHERE id = ?", id);

/** One reposição (404 `"Reposição não encontrada"`). */
export function getReposicao(q: Sql, id: number): ReposicaoWire {
  const row = findRow(q, id);
  if (!row) throw notFound(REPOSICAO_NOT_FOUND);
  return toReposicaoWire(row);
}

/** 400 `"Status inválido"` for anything but the four statuses (exact spelling, as the original). */
export function checkStatus(status: string | undefined): void {
  if (status !== undefined && !(REPOSICAO_STATUSES as readonly string[]).includes(status)) throw badRequest("Status inválido");
}

function checkPrioridade(prioridade: string | undefined): void {
  if (prioridade !== undefined && !(REPOSICAO_PRIORIDADES as readonly string[]).includes(prioridade))
    throw badRequest("Prioridade inválida");
}

function checkOrder(tx: Sql, orderId: number): void {
  if (!tx.get("SELECT 1 AS x FROM pedidos WHERE id = ?", orderId)) throw notFound("Pedido não encontrado");
}

/** `GET /reposicoes/`: newest first, by order and status (400 for an unknown status). */
export function listReposicoes(q: Sql, f: ReposicaoListQuery): ReposicaoWire[] {
  checkStatus(f.status);
  const where: string[] = [];
  const params: Param[] = [];
  if (f.order_id !== undefined) {
    where.push("order_id = ?");
    params.push(f.order_id);
  }
  if (f.status !== undefined) {
    where.push("status = ?");
    params.push(f.status);
  }
  const sql = `SELECT * FROM reposicoes${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`;
  return q.all<Row>(sql, ...params, f.limit, f.skip).map(toReposicaoWire);
}

/**
 * `order_updated` on the reposição's order, in this transaction, carrying the reposição. Nothing when the order is
 * gone (a legacy reposição whose order was deleted has none).
 */
function emitOnOrder(tx: Tx, orderId: number | null, reposicao: ReposicaoWire, acao: ReposicaoAcao, actor: Actor): void {
  if (orderId === null) return;
  const order = getOrder(tx, orderId);
  if (!order) return;
  emitOrderEvent(tx, "order_updated", order, actor, order, { reposicao, reposicao_acao: acao });
}

/** `REP-{id}`; should a legacy row already hold it, `REP-{id}-2`, `-3`, … (the numero stays unique). */
function numeroFor(tx: Tx, id: number): string {
  for (let n = 1; n <= 100; n++) {
    const numero = n === 1 ? `REP-${id}` : `REP-${id}-${n}`;
    if (!tx.get("SELECT 1 AS x FROM reposicoes WHERE numero = ?", numero)) return numero;
  }
  throw conflict("Não foi possível numerar a reposição");
}

/**
 * `POST /reposicoes/` (201): 404 for a missing order, then 400 for a bad status or priority, as the original.
 * `today`: the shop's local date, the default `data_solicitacao`.
 */
export function createReposicao(tx: Tx, body: ReposicaoCreate, actor: Actor, today = nowIso().slice(0, 10)): ReposicaoWire {
  checkOrder(tx, body.order_id);
  checkStatus(body.status);
  checkPrioridade(body.prioridade);
  const now = nowIso();
  const id = tx.run(
    `INSERT INTO reposicoes (order_id, motivo, descricao, data_solicitacao, data_entrega_prevista, status, prioridade, observacao,
       financeiro, conferencia, sublimacao, costura, expedicao, pronto, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    body.order_id,
    body.motivo,
    body.descricao ?? null,
    body.data_solicitacao ?? today,
    body.data_entrega_prevista ?? null,
    body.status ?? "Pendente",
    body.prioridade ?? "NORMAL",
    body.observacao ?? null,
    ...FLAGS.map((f) => (body[f] ? 1 : 0)),
    now,
    now,
  ).lastInsertRowid;
  tx.run("UPDATE reposicoes SET numero = ? WHERE id = ?", numeroFor(tx, id), id);
  const rep = getReposicao(tx, id);
  emitOnOrder(tx, body.order_id, rep, "criada", actor);
  return rep;
}

/**
 * `PATCH /reposicoes/{id}`: the fields sent. Moved to another order (`order_id`), both orders get the event: the
 * one it left and the one it joined.
 */
export function updateReposicao(tx: Tx, id: number, body: ReposicaoUpdate, actor: Actor): ReposicaoWire {
  const before = findRow(tx, id);
  if (!before) throw notFound(REPOSICAO_NOT_FOUND);
  if (body.order_id !== undefined) checkOrder(tx, body.order_id);
  checkStatus(body.status);
  checkPrioridade(body.prioridade);
  const cols: Record<string, Param> = {};
  for (const k of [
    "order_id",
    "motivo",
    "descricao",
    "data_solicitacao",
    "data_entrega_prevista",
    "status",
    "prioridade",
    "observacao",
  ] as const) {
    if (body[k] !== undefined) cols[k] = body[k] ?? null;
  }
  for (const f of FLAGS) if (body[f] !== undefined) cols[f] = body[f] ? 1 : 0;
  cols.updated_at = nowIso();
  const keys = Object.keys(cols);
  tx.run(`UPDATE reposicoes SET ${keys.map((k) => `${k} = ?`).join(", ")} WHERE id = ?`, ...Object.values(cols), id);
  const rep = getReposicao(tx, id);
  const previous = before.order_id === null ? null : Number(before.order_id);
  emitOnOrder(tx, rep.order_id, rep, "atualizada", actor);
  if (previous !== rep.order_id) emitOnOrder(tx, previous, rep, "atualizada", actor);
  return rep;
}

/** `DELETE /reposicoes/{id}` (admin); the event carries the reposição as it was. */
export function deleteReposicao(tx: Tx, id: number, actor: Actor): { message: string } {
  const rep = getReposicao(tx, id);
  tx.run("DELETE FROM reposicoes WHERE id = ?", id);
  emitOnOrder(tx, rep.order_id, rep, "excluida", actor);
  return { message: "Reposição excluída com sucesso" };
}
