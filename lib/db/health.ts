import type { Db } from "./connection.ts";

/** `SELECT 1` on the connection; never throws. */
export async function checkDatabase(db: Db): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    await db.read((q) => q.get("SELECT 1 AS ok"));
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
