import * as v from "valibot";
import { pathId } from "../schemas.ts";
import { numberInput } from "../catalogs/crud.ts";
import { intQuery, optionalDate } from "../catalogs/query.ts";
import { PRINT_STATUSES } from "./print-logs.ts";

/** A print status in any case (`SUCCESS` from old data), stored lowercase. */
const status = v.pipe(
  v.string(),
  v.description("success, error ou reprint (maiúsculas também)"),
  v.trim(),
  v.toLowerCase(),
  v.picklist(PRINT_STATUSES, "Status deve ser success, error ou reprint"),
);

const id = (min: number) => v.pipe(numberInput(true), v.minValue(min, `Deve ser >= ${min}`));

/** Query of the print-log lists (limit up to 50000, as the client asks for 2000 to check an order's history). */
export const printLogQuery = v.object({
  limit: intQuery(1000, 1, 50_000),
  offset: intQuery(0, 0, Number.MAX_SAFE_INTEGER),
  status_filter: v.optional(status),
  data_inicio: optionalDate,
  data_fim: optionalDate,
});

/** Body of `POST /print-logs/`: `printer_id` 0 means "no machine". */
export const newPrintLog = v.object({
  printer_id: id(0),
  pedido_id: id(1),
  item_id: v.optional(v.nullable(id(1))),
  status,
  error_message: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(4000)))),
});

export const printerParams = v.object({ printer_id: pathId });
