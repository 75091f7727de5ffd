// Issue 15 #10: a shutdown landing while requests keep arriving closes the sockets (1001) only after every request
// it answered has committed and its events went out: a client that got a 200 for a create finds that order in the
// live stream it was listening to, however the requests and the SIGTERM interleave.
import { describe, expect, it } from "vitest";
import { Agent, request } from "node:http";
import { startTestServer } from "./helpers/server.ts";
import { wsConnect } from "./helpers/ws.ts";

function post(agent: Agent, url: string, token: string, body: unknown): Promise<{ status: number; id?: number }> {
  const data = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data), authorization: `Bearer ${token}` },
      },
      (res) => {
        let text = "";
        res
          .on("data", (c) => (text += c))
          .on("end", () => {
            let id: number | undefined;
            try {
              id = JSON.parse(text).id;
            } catch {
              // not an order (an error page)
            }
            resolve({ status: res.statusCode ?? 0, id });
          });
      },
    );
    req.on("error", () => resolve({ status: 0 })); // refused or reset during the shutdown: never acknowledged
    req.end(data);
  });
}

describe("shutdown order", () => {
  it("every create answered 200 reached the live socket before its 1001", async () => {
    const s = await startTestServer();
    const listener = await wsConnect(`${s.wsUrl}/ws/orders?token=${encodeURIComponent(s.adminToken)}`);
    await listener.next();
    const agent = new Agent({ keepAlive: true, maxSockets: 12 });
    const acknowledged: number[] = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; i < 200 && !stop; i++) {
        const r = await post(agent, `${s.url}/pedidos/`, s.adminToken, { cliente: `Fim ${w}-${i}`, data_entrada: "2026-11-29" });
        if (r.status === 200 && r.id) acknowledged.push(r.id);
        else if (r.status === 0) return;
      }
    };
    const workers = Array.from({ length: 12 }, (_, w) => worker(w));
    while (acknowledged.length < 30) await new Promise((r) => setTimeout(r, 5));
    const closed = s.stop(); // SIGTERM's path: close(), with requests still arriving on kept-alive connections
    const { code } = await listener.closed;
    stop = true;
    await Promise.all(workers);
    await closed;
    agent.destroy();
    expect(code).toBe(1001);
    const heard = new Set(listener.messages.filter((m) => m.type === "order_created").map((m) => m.order_id as number));
    const missing = acknowledged.filter((id) => !heard.has(id));
    expect(acknowledged.length).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });
});
