/**
 * A throwaway npm registry for tests: Verdaccio (a devDependency) in a child process on
 * 127.0.0.1, storage in a temp directory, packages it does not hold fetched through an uplink
 * to the registry npm is configured with here. pulumi-hns itself has no uplink, so an install
 * gets the tarball a test published, never a public package of that name.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";

const run = promisify(execFile);
const REPO = path.resolve(__dirname, "../..");
const LOCAL_PACKAGE = "pulumi-hns";

export interface LocalRegistry {
  /** The registry's URL, ending in "/". */
  url: string;
  /** An npmrc (owner-only) with the registry and the token of its one user. */
  userconfig: string;
  /** Environment for npm (and for pulumi new, which runs npm install) to use this registry. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Loads Verdaccio, listens on a port the kernel picks (no race for a "free" port) and prints
 * the port as the first line; argv: Verdaccio's entry file, the config file.
 */
const SERVER = `
const [entry, config] = process.argv.slice(1);
require(entry).runServer(config).then((app) => {
  const server = app.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\\n"));
}, (e) => { console.error(e); process.exit(1); });
`;

async function upstreamRegistry(): Promise<string> {
  const { stdout } = await run("npm", ["config", "get", "registry"], { cwd: REPO });
  return stdout.trim();
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    child.stdout!.on("data", (d) => {
      out += d;
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve(out.slice(0, nl).trim());
    });
    child.on("exit", (code) => reject(new Error(`verdaccio exited (${code}) before listening:\n${err}`)));
  });
}

export async function startRegistry(dir: string): Promise<LocalRegistry> {
  mkdirSync(dir, { recursive: true });
  const config = path.join(dir, "config.yaml");
  writeFileSync(
    config,
    stringify({
      storage: path.join(dir, "storage"),
      auth: { htpasswd: { file: path.join(dir, "htpasswd"), max_users: 1 } },
      // maxage: within one test run a package's metadata is fetched from upstream once, not
      // again every 2 minutes (Verdaccio's default) while the installs go on.
      uplinks: { upstream: { url: await upstreamRegistry(), timeout: "120s", maxage: "1h" } },
      packages: {
        [LOCAL_PACKAGE]: { access: "$all", publish: "$authenticated" },
        "**": { access: "$all", publish: "$authenticated", proxy: "upstream" },
      },
      web: { enable: false },
      log: { type: "stdout", format: "pretty", level: "error" },
    }),
  );
  const child = spawn(process.execPath, ["-e", SERVER, require.resolve("verdaccio", { paths: [REPO] }), config], { stdio: ["ignore", "pipe", "pipe"] });
  const port = await firstLine(child);
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}/`;

  // Publishing needs a user: the first (and only) one is created by signing up, as `npm adduser` does.
  const user = "hns-test";
  const res = await fetch(`${url}-/user/org.couchdb.user:${user}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: user, password: "throwaway-local-registry" }),
  });
  if (!res.ok) throw new Error(`creating the registry user failed: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  // The token opens only this temporary registry, which dies with the test; the file is owner-only.
  const userconfig = path.join(dir, "npmrc");
  writeFileSync(userconfig, `registry=${url}\n//${host}/:_authToken=${token}\n`, { mode: 0o600 });

  return {
    url,
    userconfig,
    env: {
      npm_config_registry: url,
      npm_config_userconfig: userconfig,
      // Metadata npm already fetched from this registry (its cache is keyed by URL, so by this
      // port) is used without asking again: the second install of a run resolves from cache.
      npm_config_prefer_offline: "true",
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_update_notifier: "false",
    },
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}

/** Packs the repository as it is built (dist/) and publishes the tarball; returns the tarball's path. */
export async function publishThisPackage(registry: LocalRegistry, dir: string): Promise<string> {
  // --ignore-scripts: prepack would delete and rebuild dist/ under any other test using it now;
  // the caller checks dist/ is built (npm test builds first).
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: REPO });
  const tarball = path.join(dir, (JSON.parse(stdout) as { filename: string }[])[0].filename);
  await run("npm", ["publish", tarball, "--registry", registry.url, "--userconfig", registry.userconfig, "--ignore-scripts"], { cwd: dir });
  return tarball;
}
