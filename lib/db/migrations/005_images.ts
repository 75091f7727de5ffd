import type { Migration } from "../migrate.ts";

/**
 * Images: lookups by path (the media route, legacy `imagem_path` references) and by file name (the sweeper), and,
 * once for a database of the original, the item fields its output step used to fill on every read: an item linked
 * to an image row gets `imagem_path` = the row's path and, when its `imagem` is empty, `/pedidos/imagens/{id}`.
 */
export const images: Migration = {
  id: 5,
  name: "images",
  up(q, { log }) {
    q.run("CREATE INDEX IF NOT EXISTS ix_pedido_imagens_path ON pedido_imagens(path)");
    q.run("CREATE INDEX IF NOT EXISTS ix_pedido_imagens_filename ON pedido_imagens(filename)");
    const linked = q.all<{ id: number; item_id: number; path: string }>(
      "SELECT id, item_id, path FROM pedido_imagens WHERE item_id IS NOT NULL AND id IN (SELECT MAX(id) FROM pedido_imagens GROUP BY item_id)",
    );
    let filled = 0;
    for (const r of linked) {
      filled += q.run(
        `UPDATE pedido_itens SET data = json_set(data,
           '$.imagem', CASE WHEN COALESCE(json_extract(data, '$.imagem'), '') = '' THEN ? ELSE json_extract(data, '$.imagem') END,
           '$.imagem_path', ?)
         WHERE id = ? AND json_valid(data)`,
        `/pedidos/imagens/${r.id}`,
        String(r.path).replace(/\\/g, "/"),
        r.item_id,
      ).changes;
    }
    if (filled) log.info({ items: filled }, "legacy item image fields filled from pedido_imagens");
  },
};
