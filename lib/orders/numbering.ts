import type { Tx } from "../db/connection.ts";
import { conflict } from "../errors.ts";

/**
 * Order numbers (`numero`): 10-digit zero-padded decimals, allocated from the `sequences` row `pedido_numero`
 * (the last number handed out) inside the write transaction of the order. Transactions run one at a time, so two
 * creates can never read the same value; the unique index on `pedidos.numero` is the backstop.
 */

export const NUMERO_CONFLICT = "Já existe um pedido com este numero.";
const SEQ = "pedido_numero";

export const formatNumero = (n: number): string => String(n).padStart(10, "0");

/**
 * True when another order has this number. A number of digits also collides with its other spellings (`1`,
 * `0000000001`): the client shows numbers unpadded, so both would read "#1".
 */
const taken = (tx: Tx, numero: string, exceptId?: number): boolean => {
  const spellings = /^\d{1,15}$/.test(numero) ? [...new Set([numero, String(Number(numero)), formatNumero(Number(numero))])] : [numero];
  return !!tx.get(
    `SELECT 1 FROM pedidos WHERE numero IN (${spellings.map(() => "?").join(", ")}) AND id IS NOT ?`,
    ...spellings,
    exceptId ?? null,
  );
};

/** The next free number. Skips numbers a client chose by hand (bounded: each skip is one taken row). */
export function allocateNumero(tx: Tx): string {
  for (;;) {
    const { value } = tx.get<{ value: number }>(
      `INSERT INTO sequences (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`,
      SEQ,
    )!;
    const numero = formatNumero(value);
    if (!taken(tx, numero)) return numero;
  }
}

/**
 * A client-chosen number: kept as sent (trimmed), 409 when another order has it. A numeric one moves the sequence
 * past it, so the generator never hands it out again.
 */
export function claimNumero(tx: Tx, requested: string, exceptId?: number): string {
  const numero = requested.trim();
  if (taken(tx, numero, exceptId)) throw conflict(NUMERO_CONFLICT);
  if (/^\d{1,15}$/.test(numero)) {
    const n = Number(numero);
    tx.run(`INSERT INTO sequences (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = MAX(value, excluded.value)`, SEQ, n);
  }
  return numero;
}
