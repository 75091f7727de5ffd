import * as v from "valibot";

/** `?v=<version>` on the board's script and stylesheet URLs (any other value: served, not cached for good). */
export const assetQuery = v.object({ v: v.optional(v.pipe(v.string(), v.maxLength(64))) });
