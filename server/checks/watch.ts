// Reloads checks as code when their files change. Polling a handful of stat() calls every few
// seconds, rather than fs.watch: editors replace files by rename, config folders are often
// bind mounts or network shares, and fs.watch misses or doubles events on both.
import { stat } from 'node:fs/promises';
import { formatDiagnostic } from '../../synthetic/index.ts';
import type { ChecksContext } from './context.ts';
import { checkFilesIn, loadCodeChecks, syncCodeChecks, type CodeCheckSources } from './code-checks.ts';

export interface CheckLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

async function fingerprint(sources: CodeCheckSources): Promise<string> {
  const files = [...(sources.configFile ? [sources.configFile] : []), ...(await checkFilesIn(sources.checksDir))];
  const parts = await Promise.all(files.map(async (file) => {
    try {
      const s = await stat(file);
      return `${file}:${s.mtimeMs}:${s.size}`;
    } catch {
      return `${file}:gone`;
    }
  }));
  return parts.join('\n');
}

export interface CodeChecksWatcher {
  /** Reloads now if anything changed since the last look (tests call it instead of waiting). */
  poll(): Promise<void>;
  close(): Promise<void>;
}

export async function watchCodeChecks(ctx: ChecksContext, sources: CodeCheckSources, log: CheckLog, intervalMs = 2000): Promise<CodeChecksWatcher> {
  let last = await fingerprint(sources);
  let polling: Promise<void> | null = null;

  const reload = async () => {
    const current = await fingerprint(sources);
    if (current === last) return;
    last = current;
    const loaded = await loadCodeChecks(ctx, sources);
    const summary = loaded.ok ? await syncCodeChecks(ctx, loaded.checks) : null;
    const diagnostics = summary ? summary.diagnostics : loaded.diagnostics;
    if (!summary || diagnostics.length > 0) {
      // A broken edit keeps the checks that were running; the log says what to fix.
      log.error({ problems: diagnostics.map(formatDiagnostic) }, 'checks as code not reloaded: fix the files and save again');
      return;
    }
    log.info({ created: summary.created, changed: summary.changed, deleted: summary.deleted }, 'checks as code reloaded');
  };
  const poll = async (): Promise<void> => {
    // After one in flight (which may have looked before the latest edit), look again.
    while (polling) await polling;
    polling = reload()
      .catch((err: unknown) => log.error({ err }, 'checks as code reload failed'))
      .finally(() => (polling = null));
    return polling;
  };
  const timer = setInterval(() => {
    if (!polling) void poll();
  }, intervalMs);
  timer.unref();
  return {
    poll,
    async close() {
      clearInterval(timer);
      await polling;
    },
  };
}
