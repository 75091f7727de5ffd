import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local HTTP receiver for the sync push, on a random loopback port, that can fail (HTTP 503), hang (never answer,
 * so the sender's timeout fires), go down (port closed: connection refused) and come back on the same port.
 * It records every request, and the elements of the requests it acknowledged (2xx) in arrival order.
 */
export type ReceiverMode = "ok" | "fail" | "hang" | "down";

export interface ReceivedRequest {
  at: number;
  headers: IncomingMessage["headers"];
  body: any;
  status: number | null;
}

export interface HttpReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Elements of acknowledged requests, in the order they were acknowledged. */
  acked: any[];
  setMode(mode: ReceiverMode, status?: number): Promise<void>;
  /** While set, a request holding an element it matches is refused with 422 (a poison event); null = none. */
  rejectIf: ((element: any) => boolean) | null;
  readonly mode: ReceiverMode;
  /** Resolves once `pred(acked)` holds (polling, bounded). */
  waitFor(pred: (acked: any[]) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<HttpReceiver> {
  let mode: ReceiverMode = "ok";
  let failStatus = 503;
  const requests: ReceivedRequest[] = [];
  const acked: any[] = [];
  const hanging = new Set<ServerResponse>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body: any = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        body = Buffer.concat(chunks).toString("utf8");
      }
      const rec: ReceivedRequest = { at: Date.now(), headers: req.headers, body, status: null };
      requests.push(rec);
      if (mode === "hang") {
        hanging.add(res);
        res.once("close", () => hanging.delete(res));
        return;
      }
      if (api.rejectIf && Array.isArray(body) && body.some((e) => api.rejectIf!(e))) {
        rec.status = 422;
        res.writeHead(422, { "content-type": "application/json" }).end('{"detail":"pedido recusado"}');
        return;
      }
      if (mode === "fail") {
        rec.status = failStatus;
        res.writeHead(failStatus, { "content-type": "text/plain" }).end("receptor indisponível");
        return;
      }
      rec.status = 200;
      if (Array.isArray(body)) acked.push(...body);
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  };
  let server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;

  const closeServer = () =>
    new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy();
      hanging.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    });

  const api: HttpReceiver = {
    rejectIf: null,
    url: `http://127.0.0.1:${port}/internal/sync/pedidos`,
    requests,
    acked,
    get mode() {
      return mode;
    },
    async setMode(next, status = 503) {
      failStatus = status;
      if (next === mode) return;
      if (mode === "hang") for (const res of hanging) res.destroy();
      if (next === "down") {
        mode = next;
        await closeServer();
        return;
      }
      if (mode === "down") {
        server = createServer(handler);
        await new Promise<void>((r, j) => server.once("error", j).listen(port, "127.0.0.1", () => r()));
      }
      mode = next;
    },
    async waitFor(pred, timeoutMs = 20_000, what = "condition") {
      const deadline = Date.now() + timeoutMs;
      while (!pred(acked)) {
        if (Date.now() > deadline)
          throw new Error(`receiver: timed out waiting for ${what} (acked ${acked.length}, requests ${requests.length})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      if (mode !== "down") await closeServer();
    },
  };
  return api;
}
