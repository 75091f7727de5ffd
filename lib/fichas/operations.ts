import type { Db } from "../db/connection.ts";
import type { Logger } from "../log.ts";
import type { MediaStore } from "../media/store.ts";
import { nowIso } from "../time.ts";
import { isBlank } from "../text.ts";
import { checkFichaImage, discardFichaFiles, stageFichaImage, type StagedFichaImage } from "./images.ts";
import {
  deleteFicha as deleteRow,
  findFicha,
  insertFicha,
  reserveFichaId,
  toFichaWire,
  updateFicha as updateRow,
  FICHA_NOT_FOUND,
  type FichaFields,
  type FichaWire,
} from "./repository.ts";
import { notFound } from "../errors.ts";

/**
 * Every ficha write, whole (the shape of the order operations):
 *
 *   image decoded, checked and written to `fichas/{id}/` → one synchronous transaction (the row) → COMMIT →
 *   the replaced or deleted file removed.
 *
 * A failure before COMMIT removes the file it wrote: no row without its file, no file without its row.
 */

export interface FichaDeps {
  db: Db;
  media: MediaStore;
  config: { maxImageBytes: number };
  log?: Logger;
}

/** A ficha body: the fields, and `imagem_base64` (a data URL or bare base64; on a PATCH `""` removes the image). */
export interface FichaInput extends FichaFields {
  imagem_base64?: string | null;
}

const fieldsOf = ({ imagem_base64: _img, ...fields }: FichaInput): FichaFields => fields;

/** Runs `write` with a staged image, removing the file when `write` throws (the transaction rolled back). */
async function withStaged<T>(deps: FichaDeps, id: number, staged: StagedFichaImage | null, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (staged) await discardFichaFiles(deps.media, id, [staged.path], deps.log);
    throw err;
  }
}

/** `POST /fichas/`: a new ficha, with its image when `imagem_base64` is given (blank = none, like the original). */
export async function createFicha(deps: FichaDeps, body: FichaInput): Promise<FichaWire> {
  const raw = body.imagem_base64;
  if (isBlank(raw)) {
    const row = await deps.db.write((tx) => insertFicha(tx, reserveFichaId(tx), fieldsOf(body), null, nowIso()));
    return toFichaWire(row, deps.media.signer);
  }
  const image = await checkFichaImage(raw as string, deps.config.maxImageBytes);
  // The image's folder is named by the id: reserved first, so the file can be in place before the row's transaction.
  const id = await deps.db.write((tx) => reserveFichaId(tx));
  const staged = await stageFichaImage(deps.media, id, image);
  const row = await withStaged(deps, id, staged, () => deps.db.write((tx) => insertFicha(tx, id, fieldsOf(body), staged.path, nowIso())));
  return toFichaWire(row, deps.media.signer);
}

/**
 * `PATCH /fichas/{id}`: the fields sent; a new image replaces the old one, whose file is deleted after COMMIT.
 * `imagem_base64` absent or null keeps the image; `""` removes it.
 */
export async function updateFicha(deps: FichaDeps, id: number, body: FichaInput): Promise<FichaWire> {
  // No file work for a ficha that does not exist (the transaction checks again: it may be deleted meanwhile).
  if (!(await deps.db.read((q) => findFicha(q, id)))) throw notFound(FICHA_NOT_FOUND);
  const raw = body.imagem_base64;
  let staged: StagedFichaImage | null = null;
  let imagemPath: string | null | undefined;
  if (typeof raw === "string" && raw.trim() === "") imagemPath = null;
  else if (typeof raw === "string") {
    staged = await stageFichaImage(deps.media, id, await checkFichaImage(raw, deps.config.maxImageBytes));
    imagemPath = staged.path;
  }
  const { row, previousPath } = await withStaged(deps, id, staged, () =>
    deps.db.write((tx) => updateRow(tx, id, fieldsOf(body), imagemPath, nowIso())),
  );
  if (imagemPath !== undefined && previousPath && previousPath !== imagemPath)
    await discardFichaFiles(deps.media, id, [previousPath], deps.log);
  return toFichaWire(row, deps.media.signer);
}

/** `DELETE /fichas/{id}`: the row, then (after COMMIT) its image and the emptied folder. */
export async function deleteFicha(deps: FichaDeps, id: number): Promise<{ message: string }> {
  const row = await deps.db.write((tx) => deleteRow(tx, id));
  await discardFichaFiles(deps.media, id, [row.imagem_path], deps.log, true);
  return { message: `Ficha ${id} deletada com sucesso` };
}
