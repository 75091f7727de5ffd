import { createHmac, timingSafeEqual } from "node:crypto";

/** Signs and checks media URLs, so an `<img>` or a blob loader without an Authorization header can still fetch them. */
export interface UrlSigner {
  /** `path?exp=<unix seconds>&sig=<base64url HMAC>`. */
  sign(path: string, nowMs?: number): string;
  /** True when `sig` is the signature of `path` + `exp` and `exp` has not passed. */
  verify(path: string, exp: string | undefined, sig: string | undefined, nowMs?: number): boolean;
}

/**
 * HMAC-SHA256 of `path` and `exp` with the server secret.
 * The expiry is rounded up to a whole `bucketSeconds`, so one image keeps the same URL for that long: the client
 * caches blobs by URL, and a URL that changed on every GET of an order would defeat that cache. Lifetime is thus
 * between `ttlSeconds` and `ttlSeconds + bucketSeconds`.
 * @example createUrlSigner(secret).sign("/pedidos/imagens/12") // "/pedidos/imagens/12?exp=1767225600&sig=3q2-…"
 */
export function createUrlSigner(secret: string, opts: { ttlSeconds?: number; bucketSeconds?: number } = {}): UrlSigner {
  const ttl = opts.ttlSeconds ?? 12 * 3600;
  const bucket = opts.bucketSeconds ?? 3600;
  // A key of its own, so a media signature can never be replayed as anything else signed with the secret.
  const key = createHmac("sha256", secret).update("sgp-media-url-v1").digest();
  const mac = (path: string, exp: string) => createHmac("sha256", key).update(`${path}\n${exp}`).digest();
  // A memo of the current bucket's URLs: the order list signs every image on each 30 s poll of the client. The
  // value is a pure function of (path, exp), so sharing it between requests cannot interleave into a wrong answer.
  let memoExp = "";
  const memo = new Map<string, string>();
  return {
    sign(path, nowMs = Date.now()) {
      const exp = String(Math.ceil((Math.floor(nowMs / 1000) + ttl) / bucket) * bucket);
      if (exp !== memoExp || memo.size > 100_000) {
        memo.clear();
        memoExp = exp;
      }
      let url = memo.get(path);
      if (url === undefined) {
        url = `${path}?exp=${exp}&sig=${mac(path, exp).toString("base64url")}`;
        memo.set(path, url);
      }
      return url;
    },
    verify(path, exp, sig, nowMs = Date.now()) {
      if (!exp || !sig || !/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return false;
      if (Number(exp) * 1000 < nowMs) return false;
      return timingSafeEqual(mac(path, exp), Buffer.from(sig, "base64url"));
    },
  };
}
