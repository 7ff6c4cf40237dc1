// Debian's Chromium driven by playwright-core, for the dashboard's e2e tests and screenshots.
// Every page records what would show up red in DevTools (console errors, uncaught exceptions,
// failed requests, 4xx/5xx answers) and any dialog, so a test can assert there were none.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.TELLTALE_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DASHBOARD_DIR = join(ROOT, 'dashboard');
export const DIST_DIR = join(DASHBOARD_DIR, 'dist');

/** Launches headless Chromium (a fresh temporary profile); closed when the test ends. */
export async function launchBrowser(t?: Pick<TestContext, 'after'>): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (npm test does this as root)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t?.after(() => browser.close());
  return browser;
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, page errors, failed requests and HTTP errors, in order. */
  problems: string[];
  /** Messages of dialogs (alert, confirm, prompt) that opened; they are dismissed. */
  dialogs: string[];
  /** Forgets problems seen so far (after a step that provokes one on purpose). */
  clearProblems(): void;
  close(): Promise<void>;
}

export interface OpenPageOptions {
  baseUrl: string;
  /** Put in localStorage before any script runs, as if the user had signed in. */
  token?: string;
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
}

/** A new browser context and page with problem tracking. */
export async function openPage(browser: Browser, options: OpenPageOptions): Promise<WatchedPage> {
  const context = await browser.newContext({
    baseURL: options.baseUrl,
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1400, height: 900 },
  });
  if (options.token) {
    await context.addInitScript((token) => {
      if (!window.localStorage.getItem('telltale.token')) window.localStorage.setItem('telltale.token', token);
    }, options.token);
  }
  const page = await context.newPage();
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => {
    // The app aborts requests whose answer it no longer needs (a filter changed): not a failure.
    const failure = request.failure()?.errorText ?? 'failed';
    if (failure.includes('ERR_ABORTED')) return;
    problems.push(`requestfailed: ${request.method()} ${request.url()} ${failure}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`http ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return {
    page, context, problems, dialogs,
    clearProblems: () => problems.splice(0),
    close: () => context.close(),
  };
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** True when dashboard/dist is missing or older than a source file. */
export function dashboardBuildIsStale(): boolean {
  const built = join(DIST_DIR, 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => join(DASHBOARD_DIR, p)).filter((p) => existsSync(p));
  return Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;
}

/**
 * `npm test` builds the dashboard once before the suites; this only rebuilds when someone runs
 * a dashboard test file directly after editing the app. Test files run in parallel, so one
 * builds (holding a lock directory) while the others wait for it.
 */
export async function ensureDashboardBuilt(): Promise<void> {
  if (!dashboardBuildIsStale()) return;
  const lock = join(tmpdir(), `telltale-dashboard-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`);
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 120_000) throw new Error(`waited 2 minutes for another dashboard build (remove ${lock} if none is running)`);
      await sleep(200);
      if (!dashboardBuildIsStale()) return;
    }
  }
  try {
    if (!dashboardBuildIsStale()) return;
    const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const result = spawnSync(process.execPath, [vite, 'build', DASHBOARD_DIR, '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`dashboard build failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    rmdirSync(lock);
  }
}
