import { lstat, readdir } from "node:fs/promises";
import type { Db } from "../db/connection.ts";
import type { Logger } from "../log.ts";
import type { MediaStore } from "./store.ts";
import { moveMediaFile, removeMediaFiles, STAGING_DIR, TMP_DIR } from "./files.ts";
import { imageRowByFilename, tmpPathsInUse } from "./repository.ts";

export const DAY_MS = 24 * 3600 * 1000;

export interface SweepReport {
  tmpRemoved: number;
  stagingRemoved: number;
  stagingMoved: number;
}

/** Entries of a media folder older than `cutoff` (ms), with their names; none when the folder does not exist. */
async function staleEntries(media: MediaStore, dir: string, cutoff: number): Promise<string[]> {
  const full = media.resolveInside(dir);
  if (!full) return [];
  const names = await readdir(full).catch(() => [] as string[]);
  const stale: string[] = [];
  for (const name of names) {
    const info = await lstat(`${full}/${name}`).catch(() => null);
    if (info && !info.isDirectory() && info.mtimeMs < cutoff) stale.push(name);
  }
  return stale;
}

/**
 * Deletes `pedidos/tmp/` uploads older than `maxAgeMs` that no order took. With `db`: a tmp file an item still
 * references (the original left failed promotions that way) is kept, and a staged image older than `maxAgeMs`
 * (a crash between commit and its move) is moved to its row's path, or deleted when no row has it.
 * Async file work only; meant for startup and an hourly timer (runtime/server.ts).
 */
export async function sweepTmp(
  deps: { media: MediaStore; db?: Db; log?: Logger },
  maxAgeMs = DAY_MS,
  nowMs = Date.now(),
): Promise<SweepReport> {
  const { media, db, log } = deps;
  const cutoff = nowMs - maxAgeMs;
  const report: SweepReport = { tmpRemoved: 0, stagingRemoved: 0, stagingMoved: 0 };

  const tmp = await staleEntries(media, TMP_DIR, cutoff);
  if (tmp.length) {
    const inUse = db ? await db.read((q) => tmpPathsInUse(q)) : new Set<string>();
    const doomed = tmp.filter((name) => !inUse.has(name));
    await removeMediaFiles(
      media,
      doomed.map((n) => `${TMP_DIR}/${n}`),
      log,
    );
    report.tmpRemoved = doomed.length;
  }

  if (db) {
    for (const name of await staleEntries(media, STAGING_DIR, cutoff)) {
      const row = await db.read((q) => imageRowByFilename(q, name));
      const target = row ? media.resolveInside(row.path) : null;
      if (row && target && !(await lstat(target).catch(() => null))) {
        await moveMediaFile(media, `${STAGING_DIR}/${name}`, row.path).catch((err) =>
          log?.warn({ err, name }, "could not move a staged image"),
        );
        report.stagingMoved++;
      } else {
        await removeMediaFiles(media, [`${STAGING_DIR}/${name}`], log);
        report.stagingRemoved++;
      }
    }
  }
  if (report.tmpRemoved || report.stagingRemoved || report.stagingMoved) log?.info(report, "media swept");
  return report;
}
