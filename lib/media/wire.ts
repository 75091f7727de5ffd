import type { UrlSigner } from "./signing.ts";
import { imageUrlOf, mediaUrlOf, parseImageRef } from "./refs.ts";

/**
 * The `imagem` a client receives: one of our references gets an expiring signature (so the client's blob loader
 * and `<img>` work without a header); anything else is returned as stored.
 * @example signImageRef(media.signer, "/pedidos/imagens/12") // "/pedidos/imagens/12?exp=…&sig=…"
 */
export function signImageRef(signer: UrlSigner, value: unknown): unknown {
  const ref = parseImageRef(value);
  switch (ref.kind) {
    case "row":
      return signer.sign(imageUrlOf(ref.id));
    case "tmp":
    case "path":
      return signer.sign(mediaUrlOf(ref.path));
    default:
      return value;
  }
}

/**
 * An order (or a list of orders) with the `imagem` of every item signed. Returns copies: the object given may also
 * be the payload of a logged event, which keeps the unsigned, non-expiring reference.
 */
export function signOrderImages<T>(signer: UrlSigner, orders: T): T {
  const one = (order: unknown): unknown => {
    const items = (order as { items?: unknown } | null)?.items;
    if (!Array.isArray(items)) return order;
    return {
      ...(order as object),
      items: items.map((item) =>
        item && typeof item === "object" && "imagem" in item
          ? { ...item, imagem: signImageRef(signer, (item as { imagem: unknown }).imagem) }
          : item,
      ),
    };
  };
  return (Array.isArray(orders) ? orders.map(one) : one(orders)) as T;
}
