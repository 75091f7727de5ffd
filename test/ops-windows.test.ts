// The Windows service recipe (deploy/windows/), tested as far as Linux allows: the WinSW XML is well-formed (a real
// XML parser: Chromium's DOMParser) and names files the build ships and a command the CLI has; and the process runs
// and stops the way WinSW runs and stops it (arguments and environment from the XML, Ctrl+C = SIGINT) with its
// log in the rotated file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { commands } from "../runtime/cli/commands.gen.ts";
import { buildBundle, REPO, tempDir } from "./ops-fixtures.ts";

let build: string;
let service: {
  errors: string | null;
  id: string;
  executable: string;
  args: string;
  workdir: string;
  stoptimeout: string;
  logMode: string;
  env: Record<string, string>;
  onfailure: string[];
};

beforeAll(async () => {
  build = buildBundle();
  const xml = readFileSync(join(REPO, "deploy/windows/sgp-service.xml"), "utf8");
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage();
    service = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, "application/xml");
      const err = doc.getElementsByTagName("parsererror")[0];
      const one = (tag: string) => doc.querySelector(`service > ${tag}`)?.textContent?.trim() ?? "";
      const env: Record<string, string> = {};
      for (const e of Array.from(doc.querySelectorAll("service > env"))) env[e.getAttribute("name")!] = e.getAttribute("value")!;
      return {
        errors: err ? err.textContent : null,
        id: one("id"),
        executable: one("executable"),
        args: one("arguments"),
        workdir: one("workingdirectory"),
        stoptimeout: one("stoptimeout"),
        logMode: doc.querySelector("service > log")?.getAttribute("mode") ?? "",
        env,
        onfailure: Array.from(doc.querySelectorAll("service > onfailure")).map((e) => e.getAttribute("action") ?? ""),
      };
    }, xml);
  } finally {
    await browser.close();
  }
}, 120_000);
afterAll(() => rmSync(build, { recursive: true, force: true }));

/** `%BASE%\x\y` → `<dir>/x/y` (WinSW's %BASE% is the folder of sgp-service.exe, i.e. the install folder). */
const atBase = (value: string, dir: string) => value.replace(/%BASE%/g, dir).replace(/\\/g, "/");

describe("deploy/windows/sgp-service.xml (WinSW)", () => {
  it("is well-formed XML with the service's essentials", () => {
    expect(service.errors).toBeNull();
    expect(service.id).toBe("SGP");
    expect(service.executable).toMatch(/node\.exe$/);
    expect(service.workdir).toBe("%BASE%");
    expect(service.stoptimeout).toMatch(/^\d+ sec$/);
    expect(Number(service.stoptimeout.split(" ")[0])).toBeGreaterThanOrEqual(15); // the server's own grace is 10 s
    expect(service.logMode).toBe("roll-by-size");
    expect(service.onfailure).toEqual(["restart", "restart", "restart"]);
  });

  it("names files the build ships and a command the CLI has", () => {
    const m = /^"(%BASE%\\[^"]+)"\s+(\S+)$/.exec(service.args);
    expect(m, service.args).not.toBeNull();
    expect(existsSync(atBase(m![1], build))).toBe(true);
    expect(commands.map((c) => c.name)).toContain(m![2]);
    for (const f of ["sgp-service.xml", "install-service.ps1", "sgp.mjs", "libsql.node"]) expect(existsSync(join(build, f)), f).toBe(true);
    const ps1 = readFileSync(join(build, "install-service.ps1"), "utf8");
    for (const f of ["sgp.mjs", "libsql.node", "sgp-service.xml", "sgp-service.exe"]) expect(ps1).toContain(f);
    // The data folder stays beside the install: nothing in the XML moves DATA_DIR or MEDIA_ROOT away from %BASE%.
    for (const v of Object.values(service.env)) expect(v.startsWith("%BASE%") || /^\d+$/.test(v)).toBe(true);
    expect(service.env.LOG_FILE).toBe("%BASE%\\logs\\sgp.log");
  });

  it("runs as WinSW runs it and stops gracefully on Ctrl+C (SIGINT), logging to the rotated file", async () => {
    const cwd = tempDir("winsw-cwd");
    const env: Record<string, string> = { PATH: process.env.PATH!, PORT: "0", HOST: "127.0.0.1", SGP_ADMIN_PASSWORD: "servico-admin-1" };
    for (const [k, v] of Object.entries(service.env)) env[k] = atBase(v, build);
    const args = service.args.match(/"[^"]+"|\S+/g)!.map((a) => atBase(a.replace(/"/g, ""), build));
    const child = spawn(process.execPath, args, { cwd: atBase(service.workdir, build), env, stdio: ["ignore", "pipe", "pipe"] });
    let console = "";
    child.stdout.on("data", (d) => (console += d));
    child.stderr.on("data", (d) => (console += d));
    const logFile = join(build, "logs", "sgp.1.log");
    const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
    try {
      const deadline = Date.now() + 30_000;
      while (!/SGP listening/.test(log())) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`did not start:\n${console}\n${log()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const port = Number(/"port":(\d+)/.exec(log())![1]);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      const exited = new Promise<number | null>((r) => child.once("exit", r));
      child.kill("SIGINT");
      expect(await exited).toBe(0);
      const lines = log()
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(lines).toContainEqual(expect.objectContaining({ msg: "shutting down", signal: "SIGINT" }));
      expect(lines.at(-1)).toMatchObject({ msg: "SGP stopped" });
      // What WinSW captures from stdout stays small: with LOG_FILE, only warnings and errors (and the generated
      // admin password of a first start) reach the console.
      expect(console).not.toContain('"msg":"request"');
      expect(readdirSync(join(build, "data"))).toContain("sgp.db");
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
