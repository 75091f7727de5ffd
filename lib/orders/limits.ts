/**
 * The size limits of an order, chosen from what the real client sends (an order form has a few dozen fields, an
 * item ~60 short ones; the shop's largest orders have tens of items) with wide margins, so that no single write or
 * read of one order can hold the event loop for long (≈ 1 MB of stored JSON parses and serializes in a few ms).
 * Beyond any of them a write is refused with 422 and a `detail` naming the field. Documented in the README.
 */
export const ORDER_LIMITS = {
  /** Items in one order. */
  items: 500,
  /** Characters of one top-level text field (`observacao`, `obs_pagamento`, …). */
  textChars: 10_000,
  /** Characters of the customer's name. */
  clienteChars: 300,
  /** Characters of one text value inside an item (image data URLs excepted: they become files, capped by size). */
  itemTextChars: 10_000,
  /** Keys of one item. */
  itemKeys: 300,
  /** Bytes of an order's items as stored (JSON, images excluded). */
  storedItemsBytes: 1_048_576,
  /** Digits of a client-chosen `numero` (the generated ones have 10). */
  numeroDigits: 10,
  /** The largest piece count an item may have. */
  quantity: 1_000_000,
} as const;
