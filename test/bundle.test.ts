import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The deployable: dist/sgp.mjs + dist/libsql.node, run from a folder with nothing else (no node_modules up the tree).
let dir: string;
let child: ChildProcess;
let port = 0;
let output = "";

beforeAll(async () => {
  const build = spawnSync(process.execPath, ["build.mjs"], { encoding: "utf8" });
  expect(build.status, build.stderr).toBe(0);
  dir = mkdtempSync(join(tmpdir(), "sgp-bundle-"));
  for (const f of ["sgp.mjs", "libsql.node"]) copyFileSync(join("dist", f), join(dir, f));
  child = spawn(process.execPath, ["sgp.mjs"], {
    cwd: dir,
    env: { PATH: process.env.PATH, PORT: "0", HOST: "127.0.0.1", SGP_ADMIN_USER: "chefe", SGP_ADMIN_PASSWORD: "senha-do-chefe" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr!.on("data", (d) => (output += d));
  port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bundle did not start:\n${output}`)), 15_000);
    child.stdout!.on("data", (d: Buffer) => {
      output += d;
      const m = /"port":(\d+)[^\n]*SGP listening/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once("exit", (code) => reject(new Error(`bundle exited ${code}:\n${output}`)));
  });
});

afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the single-file bundle", () => {
  it("ships two files and no node_modules", () => {
    expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining(["libsql.node", "sgp.mjs"]));
    expect(existsSync(join(dir, "node_modules"))).toBe(false);
  });

  it("serves /health and logs the bootstrap admin in, on its embedded defaults (data/ and media/ in its folder)", async () => {
    const h = await fetch(`http://127.0.0.1:${port}/health`);
    expect(h.status).toBe(200);
    expect((await h.json()).checks.database).toBe("ok");
    const r = await fetch(`http://127.0.0.1:${port}/auth/login`, {
      method: "POST",
      body: JSON.stringify({ username: "chefe", password: "senha-do-chefe" }),
    });
    expect(r.status).toBe(200);
    expect((await r.json()).session_token).toMatch(/^ey/);
    expect(existsSync(join(dir, "data", "sgp.db"))).toBe(true);
    expect(existsSync(join(dir, "media"))).toBe(true);
  });

  it("stops cleanly on SIGTERM", async () => {
    const code = await new Promise<number | null>((resolve) => {
      child.once("exit", (c) => resolve(c));
      child.kill("SIGTERM");
    });
    expect(code).toBe(0);
    expect(output).toContain("SGP stopped");
  });
});
