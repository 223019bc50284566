// The pieces of the browser test: openevent started as `npm start` starts it, OES's web client served
// against it (by ../shared's serve.mjs from its own origin, or unpacked into a FRONTEND_DIR that openevent
// serves itself), and ../shared's journeys.mjs driving it in Debian's Chromium.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { chromium, type Browser } from 'playwright-core';
import { sharedDir } from '../support/shared.ts';
import { databaseUrlFor } from '../support/postgres.ts';

export const projectRoot = resolve(import.meta.dirname, '..', '..');

/** ../shared/clients/open-event-frontend, or null when ../shared is absent. */
export const clientDir: string | null = sharedDir ? join(sharedDir, 'clients', 'open-event-frontend') : null;

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Why the browser test cannot run here, or null when it can. */
export function whyBrowserTestsCannotRun(): string | null {
  if (!clientDir) return '../shared is absent (set OPENEVENT_SHARED_DIR to its path)';
  if (!existsSync(join(clientDir, 'journeys.mjs'))) return `${clientDir} has no journeys.mjs`;
  if (!existsSync(chromiumPath)) {
    return `no Chromium at ${chromiumPath} (.ci/run installs Debian's chromium with apt; or set CHROMIUM_PATH)`;
  }
  return null;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

/** A child process that is killed with this one, whatever ends it. */
function spawnOwned(command: string, args: string[], options: Parameters<typeof spawn>[2]): ChildProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
  return child;
}

/** Stops a child with SIGTERM, and SIGKILL if it has not exited after a grace period. */
async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface RunningServer {
  url: string;
  /** Everything the process printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `openevent serve` in a child process, as `npm start` runs it: a fresh DATA_DIR (its PGlite database,
 * unless databaseUrl is given), migrating on start. Resolves once /health answers 200.
 */
export async function startOpenevent(options: {
  port: number;
  corsOrigins: string[];
  frontendDir: string;
  databaseUrl: string | null;
}): Promise<RunningServer> {
  const url = `http://127.0.0.1:${options.port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'openevent-browser-'));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: String(options.port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    CORS_ORIGINS: options.corsOrigins.join(','),
    FRONTEND_DIR: options.frontendDir,
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
  };
  delete env.DATABASE_URL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const child = spawnOwned(process.execPath, [join(projectRoot, 'src', 'cli.ts'), 'serve'], { env, cwd: projectRoot });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const server: RunningServer = {
    url,
    output: () => output,
    stop: async () => {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  // Migrating a fresh PGlite database on a busy machine can take a while.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      await server.stop();
      throw new Error(`openevent serve exited with ${child.exitCode} before it was healthy:\n${output}`);
    }
    try {
      if ((await fetch(`${url}/health`)).ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`openevent serve was not healthy at ${url} within 120 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** An empty database of its own on the TEST_DATABASE_URL server, for a server that migrates it itself. */
export async function createPostgresDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `openevent_browser_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  return { url: databaseUrlFor(serverUrl, name), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** `serve.mjs --api <api>` on a port of its own: the client from another origin than the API. */
export async function startClientServer(api: string): Promise<RunningServer> {
  const child = spawnOwned(process.execPath, [join(clientDir!, 'serve.mjs'), '--api', api, '--port', '0'], {
    env: process.env,
  });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((done, fail) => {
    let printed = '';
    child.stdout!.on('data', (chunk) => {
      printed += chunk;
      output += chunk;
      const match = /on (http:\/\/\S+)/.exec(printed);
      if (match) done(match[1]!);
    });
    child.once('exit', (code) => fail(new Error(`serve.mjs exited with ${code}:\n${output}`)));
    setTimeout(() => fail(new Error(`serve.mjs printed no address within 60 s:\n${output}`)), 60_000).unref();
  });
  return { url, output: () => output, stop: () => stopChild(child) };
}

/**
 * The client's files for FRONTEND_DIR: the tarball unpacked into a temporary folder, with the API host
 * baked into the build replaced by `api` — the same rewrite serve.mjs does in memory (every plain and
 * URL-encoded occurrence in index.html's config meta tag and in the app's boot call), done on disk.
 */
export function unpackClient(api: string): { dir: string; remove(): void } {
  const tarball = readdirSync(clientDir!).find((name) => /^open-event-frontend-.*\.tar\.xz$/.test(name));
  if (!tarball) throw new Error(`no open-event-frontend-*.tar.xz in ${clientDir}`);
  const into = mkdtempSync(join(tmpdir(), 'openevent-client-'));
  execFileSync('tar', ['-xJf', join(clientDir!, tarball), '-C', into]);
  const top = readdirSync(into);
  const dir = top.length === 1 && statSync(join(into, top[0]!)).isDirectory() ? join(into, top[0]!) : into;

  const indexFile = join(dir, 'index.html');
  const index = readFileSync(indexFile, 'utf8');
  const meta = /<meta\s+name="open-event-frontend\/config\/environment"\s+content="([^"]*)"/.exec(index);
  if (!meta) throw new Error(`${indexFile} has no open-event-frontend/config/environment meta tag`);
  const baked = String(JSON.parse(decodeURIComponent(meta[1]!)).APP.apiHost).replace(/\/+$/, '');
  const base = (() => {
    const url = new URL(api);
    return (url.origin + url.pathname).replace(/\/+$/, '');
  })();
  const rewrite = (text: string) =>
    text.split(encodeURIComponent(baked)).join(encodeURIComponent(base)).split(baked).join(base);
  for (const file of [indexFile, join(dir, 'assets', 'open-event-frontend.js')]) {
    if (existsSync(file)) writeFileSync(file, rewrite(readFileSync(file, 'utf8')));
  }
  return { dir, remove: () => rmSync(into, { recursive: true, force: true }) };
}

/** What journeys.mjs writes with --json (the parts the test reads). */
export interface JourneyReport {
  passed: number;
  total: number;
  journeys: {
    name: string;
    status: 'PASS' | 'FAIL';
    firstProblem: string | null;
    steps: { label: string; ok: boolean }[];
    failingRequests: { step: string; method: string; path: string; status: number | string; detail: string }[];
    pageErrors: { step: string; error: string }[];
  }[];
}

/**
 * Runs journeys.mjs against a served client. The runner is started from the project root, where it
 * finds playwright-core (a devDependency); it makes its own users and events through the API.
 */
export async function runJourneys(options: {
  frontend: string;
  api: string;
  journeys: readonly string[];
  stepTimeoutMs: number;
  /** The whole run is killed after this long (so a hang fails with the runner's output, not silently). */
  limitMs: number;
}): Promise<{ exitCode: number | null; output: string; report: JourneyReport | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'openevent-journeys-'));
  const jsonFile = join(dir, 'report.json');
  const args = [
    join(clientDir!, 'journeys.mjs'),
    '--frontend', options.frontend,
    '--api', options.api,
    '--only', options.journeys.join(','),
    '--json', jsonFile,
    '--timeout', String(options.stepTimeoutMs),
  ];
  const child = spawnOwned(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, CHROMIUM_PATH: chromiumPath },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => {
    output += `\n[test] journeys.mjs still running after ${options.limitMs / 1000} s: killed\n`;
    child.kill('SIGKILL');
  }, options.limitMs);
  const exitCode = await new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  clearTimeout(timer);
  const report = existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as JourneyReport) : null;
  rmSync(dir, { recursive: true, force: true });
  return { exitCode, output, report };
}

/** The backends the browser tests run openevent on: PGlite, and PostgreSQL when TEST_DATABASE_URL is set. */
export const backends = ['pglite', ...(process.env.TEST_DATABASE_URL ? ['postgres'] : [])] as const;
export type Backend = (typeof backends)[number];

export interface ServedClient {
  /** openevent, also serving the client's files itself (FRONTEND_DIR). */
  server: RunningServer;
  /** serve.mjs serving the client from an origin of its own (allowed by CORS_ORIGINS), when asked for. */
  crossOrigin: RunningServer | null;
  /** Stops both and removes what they made (the unpacked client, the PostgreSQL database). */
  stop(): Promise<void>;
}

/**
 * openevent as `npm start` runs it, on `backend` (a PostgreSQL database of its own, or a fresh PGlite), with
 * OES's client unpacked for it; with `crossOrigin`, the client is also served from another origin.
 */
export async function startOpeneventWithClient(backend: Backend, options: { crossOrigin: boolean }): Promise<ServedClient> {
  const cleanups: (() => unknown)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  };
  try {
    const port = await freePort();
    const api = `http://127.0.0.1:${port}`;
    const crossOrigin = options.crossOrigin ? await startClientServer(api) : null;
    if (crossOrigin) cleanups.push(() => crossOrigin.stop());
    const files = unpackClient(api);
    cleanups.push(() => files.remove());
    let databaseUrl: string | null = null;
    if (backend === 'postgres') {
      const database = await createPostgresDatabase(process.env.TEST_DATABASE_URL!);
      cleanups.push(() => database.drop());
      databaseUrl = database.url;
    }
    const server = await startOpenevent({ port, corsOrigins: crossOrigin ? [crossOrigin.url] : [], frontendDir: files.dir, databaseUrl });
    cleanups.unshift(() => server.stop());
    return { server, crossOrigin, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The API as a script calls it (JSON:API bodies, the user's token); an error answer throws with its body. */
export function apiCaller(server: RunningServer) {
  return async function api(method: string, path: string, body?: unknown, token?: string) {
    const response = await fetch(server.url + path, {
      method,
      headers: { 'content-type': 'application/vnd.api+json', ...(token ? { authorization: `JWT ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}\n${server.output()}`);
    return text ? JSON.parse(text) : null;
  };
}

/** Debian's Chromium, headless, as every browser test runs it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** A new account made and signed in through the API, with a unique address. */
export async function newPerson(server: RunningServer, prefix: string): Promise<{ email: string; password: string; token: string }> {
  const api = apiCaller(server);
  const email = `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.org`;
  const password = 'correct horse battery';
  await api('POST', '/v1/users', { data: { type: 'user', attributes: { email, password } } });
  const { access_token: token } = await api('POST', '/v1/auth/login', { email, password });
  return { email, password, token: token as string };
}
