import WebSocket from "ws";

/** A test WebSocket client that records every JSON message it receives. */
export interface WsClient {
  ws: WebSocket;
  messages: any[];
  /** Resolves with the first message (from index `from`) matching `pred`; rejects after `timeoutMs`. */
  next(pred?: (m: any) => boolean, timeoutMs?: number, from?: number): Promise<any>;
  /** Resolves once `count` messages match `pred`. */
  waitFor(pred: (m: any) => boolean, count: number, timeoutMs?: number): Promise<any[]>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export function wsConnect(url: string, opts: { protocols?: string[]; headers?: Record<string, string> } = {}): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, opts.protocols ?? [], { headers: opts.headers, perMessageDeflate: false });
    const messages: any[] = [];
    const waiters = new Set<() => void>();
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      ws.on("close", (code, reason) => r({ code, reason: reason.toString() })),
    );
    ws.on("message", (data, isBinary) => {
      const text = data.toString();
      try {
        messages.push(isBinary ? { binary: text } : JSON.parse(text));
      } catch {
        messages.push({ raw: text });
      }
      for (const w of [...waiters]) w();
    });
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c));
      res.on("end", () =>
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body, headers: res.headers })),
      );
    });
    ws.once("error", reject);
    ws.once("open", () => {
      const waitFor = (pred: (m: any) => boolean, count: number, timeoutMs = 5000) =>
        new Promise<any[]>((res, rej) => {
          const check = () => {
            const hits = messages.filter(pred);
            if (hits.length >= count) {
              waiters.delete(check);
              clearTimeout(timer);
              res(hits);
            }
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            rej(new Error(`timeout: ${messages.filter(pred).length}/${count} messages`));
          }, timeoutMs);
          waiters.add(check);
          check();
        });
      resolve({
        ws,
        messages,
        closed,
        close: () => ws.close(),
        waitFor,
        async next(pred = () => true, timeoutMs = 5000, from = 0) {
          const fromIdx = from;
          const hits = await waitFor((m) => messages.indexOf(m) >= fromIdx && pred(m), 1, timeoutMs);
          return hits[0];
        },
      });
    });
  });
}

/** The HTTP status an upgrade was refused with (throws if the socket opened). */
export async function upgradeStatus(url: string, opts: { protocols?: string[]; headers?: Record<string, string> } = {}): Promise<number> {
  try {
    const c = await wsConnect(url, opts);
    c.close();
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status) return status;
    throw err;
  }
  throw new Error("the socket opened");
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
