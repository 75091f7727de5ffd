import type { Sql, Tx } from "../db/connection.ts";
import type { UrlSigner } from "../media/signing.ts";
import { notFound } from "../errors.ts";
import { textOrNull } from "../text.ts";
import { toIsoUtc } from "../time.ts";

/** The SQL of `fichas` (production sheets) and their wire shape. */

export const FICHA_NOT_FOUND = "Ficha não encontrada";

export interface FichaRow {
  id: number;
  client_id: number | null;
  nome: string | null;
  descricao: string | null;
  imagem_path: string | null;
  data_criacao: string | null;
  ultima_atualizacao: string | null;
}

/** The fields a create or PATCH writes (absent = unchanged on a PATCH). */
export interface FichaFields {
  client_id?: number | null;
  nome?: string | null;
  descricao?: string | null;
}

/** `FichaResponse` of the original; `imagem_url` is signed (an `<img>` needs no token), null without an image. */
export interface FichaWire {
  id: number;
  client_id: number | null;
  nome: string | null;
  descricao: string | null;
  imagem_path: string | null;
  imagem_url: string | null;
  data_criacao: string | null;
  ultima_atualizacao: string | null;
}

const COLUMNS = "id, client_id, nome, descricao, imagem_path, data_criacao, ultima_atualizacao";

/** The unsigned address of a ficha's image, the path every signature covers. */
export const fichaImageUrl = (id: number) => `/fichas/imagens/${id}`;

export function toFichaWire(r: FichaRow, signer: UrlSigner): FichaWire {
  const path = textOrNull(r.imagem_path);
  return {
    id: Number(r.id),
    client_id: r.client_id === null ? null : Number(r.client_id),
    nome: textOrNull(r.nome),
    descricao: textOrNull(r.descricao),
    imagem_path: path,
    imagem_url: path ? signer.sign(fichaImageUrl(Number(r.id))) : null,
    data_criacao: toIsoUtc(r.data_criacao),
    ultima_atualizacao: toIsoUtc(r.ultima_atualizacao),
  };
}

export const findFicha = (q: Sql, id: number): FichaRow | undefined => q.get<FichaRow>(`SELECT ${COLUMNS} FROM fichas WHERE id = ?`, id);

export function getFicha(q: Sql, id: number): FichaRow {
  const row = findFicha(q, id);
  if (!row) throw notFound(FICHA_NOT_FOUND);
  return row;
}

/** Newest first (the original's order), `skip`/`limit` in SQL. */
export const listFichas = (q: Sql, skip: number, limit: number): FichaRow[] =>
  q.all<FichaRow>(`SELECT ${COLUMNS} FROM fichas ORDER BY data_criacao DESC, id DESC LIMIT ? OFFSET ?`, limit, skip);

/** 404 `"Cliente não encontrado"` unless `clientId` is null or a cliente. */
function checkClient(q: Sql, clientId: number | null | undefined): void {
  if (clientId !== null && clientId !== undefined && !q.get("SELECT 1 AS x FROM cliente WHERE id = ?", clientId))
    throw notFound("Cliente não encontrado");
}

/**
 * The id the next ficha gets, reserved now (its own tiny transaction, before any file is written): a new ficha's
 * image lives in `fichas/{id}/`, so the id must be known before the image is staged, and the row is then inserted
 * with it in the one write transaction. A reservation that is never used leaves a gap, nothing else.
 * note: never below an id already taken or once used (`sqlite_sequence`), so a deleted ficha's folder is not reused.
 */
export function reserveFichaId(tx: Tx): number {
  tx.run("INSERT OR IGNORE INTO sequences (name, value) VALUES ('ficha_id', 0)");
  return tx.get<{ value: number }>(
    `UPDATE sequences SET value = MAX(value,
       (SELECT COALESCE(MAX(id), 0) FROM fichas),
       COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'fichas'), 0)) + 1
     WHERE name = 'ficha_id' RETURNING value`,
  )!.value;
}

/** Inserts a ficha with a reserved id; returns its row. */
export function insertFicha(tx: Tx, id: number, fields: FichaFields, imagemPath: string | null, now: string): FichaRow {
  checkClient(tx, fields.client_id);
  tx.run(
    "INSERT INTO fichas (id, client_id, nome, descricao, imagem_path, data_criacao, ultima_atualizacao) VALUES (?, ?, ?, ?, ?, ?, ?)",
    id,
    fields.client_id ?? null,
    fields.nome ?? null,
    fields.descricao ?? null,
    imagemPath,
    now,
    now,
  );
  return getFicha(tx, id);
}

/**
 * Applies the fields sent and, when `imagemPath` is not undefined, the new image path (null: no image).
 * Returns the row as committed and the image path it had before (its file is deleted after COMMIT when replaced).
 * @throws AppError 404 when the ficha (or the named cliente) does not exist.
 */
export function updateFicha(
  tx: Tx,
  id: number,
  fields: FichaFields,
  imagemPath: string | null | undefined,
  now: string,
): { row: FichaRow; previousPath: string | null } {
  const before = getFicha(tx, id);
  if (fields.client_id !== undefined) checkClient(tx, fields.client_id);
  const cols: Record<string, string | number | null> = { ultima_atualizacao: now };
  for (const k of ["client_id", "nome", "descricao"] as const) if (fields[k] !== undefined) cols[k] = fields[k] ?? null;
  if (imagemPath !== undefined) cols.imagem_path = imagemPath;
  const keys = Object.keys(cols);
  tx.run(`UPDATE fichas SET ${keys.map((k) => `${k} = ?`).join(", ")} WHERE id = ?`, ...Object.values(cols), id);
  return { row: getFicha(tx, id), previousPath: textOrNull(before.imagem_path) };
}

/** Deletes a ficha; returns its row as it was (its image is deleted after COMMIT). */
export function deleteFicha(tx: Tx, id: number): FichaRow {
  const row = getFicha(tx, id);
  tx.run("DELETE FROM fichas WHERE id = ?", id);
  return row;
}
