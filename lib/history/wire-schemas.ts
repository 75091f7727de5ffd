import * as v from "valibot";
import { Count, Id, named, Timestamp } from "../wire-schemas.ts";

/** Wire shape of `GET /pedidos/{id}/historico` (`lib/history/index.ts` `HistoryEntry`; docs/painel-historico.md). */

/** One change of a write: `from`/`to` as the wire carries the field (null when absent on that side). */
const HistoryChange = named(
  "HistoryChange",
  v.object({
    field: v.pipe(v.string(), v.description("`status`, `items[31].largura`, `print_logs[7].status`, `reposicoes[3]`…")),
    from: v.unknown(),
    to: v.unknown(),
  }),
);

/** One write in an order's life. */
export const HistoryEntry = named(
  "HistoryEntry",
  v.object({
    event_id: v.pipe(Count, v.description("Cursor de `before`; 0 numa entrada `migrated` sintetizada")),
    type: v.picklist(["order_created", "order_updated", "order_status_updated", "order_deleted", "print_log_created", "migrated"]),
    at: Timestamp,
    user_id: v.nullable(Id),
    username: v.nullable(v.string()),
    changes: v.array(HistoryChange),
  }),
);

/** The page, oldest entry first. */
export const HistoryPageResponse = v.array(HistoryEntry);
