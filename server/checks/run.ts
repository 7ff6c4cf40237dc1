// Running a stored check: open its secrets, run it, scrub the secrets from what the run
// recorded, and hand its ApiCall and history row to ingest as one batch. The scheduler and
// POST /checks/:id/run both come through here, so a run is recorded the same way either way.
import { runCheck, runToApiCall, runToRecord, type Check, type CheckRunResult } from '../../synthetic/index.ts';
import type { ChecksContext } from './context.ts';
import { mask, openSecrets, secretValues } from './seal.ts';

/** Replaces every secret's plaintext (a template may have put one into a URL or a message) with its mask. */
function scrub(result: CheckRunResult, secrets: readonly string[]): CheckRunResult {
  const worthHiding = secrets.filter((s) => s.length >= 4);
  if (worthHiding.length === 0) return result;
  let text = JSON.stringify(result);
  for (const secret of worthHiding) {
    // Secrets appear in the JSON text escaped the way JSON escapes them.
    const escaped = JSON.stringify(secret).slice(1, -1);
    text = text.split(escaped).join(mask(secret));
  }
  return JSON.parse(text) as CheckRunResult;
}

/**
 * Runs `stored` (secrets sealed) now; resolves with the result once it is committed. A check
 * already running (a scheduled run, or another "run now") is joined, never run twice at once.
 */
export function runAndRecord(ctx: ChecksContext, stored: Check): Promise<CheckRunResult> {
  const inFlight = ctx.running.get(stored.id);
  if (inFlight) return inFlight;
  const run = (async () => {
    const check = openSecrets(ctx.secrets, stored.id, stored);
    const result = scrub(await runCheck(check, ctx.runDeps), secretValues(ctx.secrets, stored.id, stored));
    await ctx.submit({ calls: [runToApiCall(check, result)], spans: [], checkRuns: [runToRecord(result)] });
    return result;
  })().finally(() => ctx.running.delete(stored.id));
  ctx.running.set(stored.id, run);
  return run;
}
