// POST /pedidos/order-items/upload-image: the desktop client's pre-upload (multipart field `image`; the optional
// `order_item_id` is ignored, as in the original). The returned `server_reference` goes into an item's `imagem`.
import { defineFunction } from "../../lib/function.ts";
import { storeTmpUpload } from "../../lib/media/upload.ts";
import { UploadImageResponse } from "../../lib/orders/wire-schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/pedidos/order-items/upload-image",
  guard: "user",
  summary: "Envia a imagem de um item antes de salvar o pedido (PNG, JPEG, WebP ou GIF)",
  tags: ["pedidos", "imagens"],
  body: "multipart",
  response: UploadImageResponse,
  errors: [422, 503, 507],
  run: (ctx, { form }) => storeTmpUpload(ctx.media, form, ctx.config.maxImageBytes),
});
