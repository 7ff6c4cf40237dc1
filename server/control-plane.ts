// The control roles of a running Telltale: synthetic checks (scheduler), alert evaluation and
// delivery (alerts), SLOs and scheduled reports (reports). Each starts only when this process
// has its role; what is defined in code (checks, rules, SLOs, schedules) is synced first, and
// a bad definition stops start with every problem. They run together on one control instance.
import type { Runtime } from './app.ts';
import type { Config } from './config.ts';
import type { AlertingLog } from './alerts/start.ts';

export interface ControlPlane {
  close(): Promise<void>;
}

type Closer = { close(): Promise<void> };

export async function startControlPlane(runtime: Runtime, cfg: Config, log: AlertingLog): Promise<ControlPlane> {
  const { store, control } = runtime;
  const started: Closer[] = [];
  const closeAll = async () => {
    // Checks first: runs in flight still hand their results to the ingest queue.
    for (const part of started) await part.close();
  };
  try {
    if (cfg.roles.has('scheduler')) {
      started.push(await (await import('./checks/start.ts')).startChecks(runtime, {
        sources: { configFile: cfg.configFile, checksDir: cfg.checksDir }, log,
      }));
    }
    // Problems in the config file's sections name the file; checks name their own files.
    const fromFile = async <T>(work: () => Promise<T>): Promise<T> => work().catch((err: unknown) => {
      throw new Error(`${cfg.configFile ?? 'config'}: ${(err as Error).message}`);
    });
    const hasControlRole = cfg.roles.has('query') || cfg.roles.has('alerts') || cfg.roles.has('reports');
    if (hasControlRole) {
      // SLOs before rules: a slo_burn rule reads them from its first evaluation.
      const [{ loadCodeSlos }, { loadCodeSchedules }] = await Promise.all([import('./reports/code-slos.ts'), import('./reports/code-schedules.ts')]);
      await fromFile(() => loadCodeSlos(control, cfg.file.slos));
      await fromFile(() => loadCodeSchedules(control, cfg.file.reportSchedules));
    }
    let kickDelivery = (): void => undefined;
    if (cfg.roles.has('alerts')) {
      const { createSloSource } = await import('../reports/index.ts');
      const { startAlerting } = await import('./alerts/start.ts');
      const alerting = await fromFile(() => startAlerting({
        store, control, runbooks: runtime.runbooks, slos: createSloSource(store, control), secrets: runtime.checks.secrets,
        config: cfg, codeRules: cfg.file.alertRules ?? [], registry: runtime.metrics.registry, log,
      }));
      kickDelivery = () => alerting.delivery.kick();
      started.push(alerting);
    }
    if (cfg.roles.has('reports')) {
      if (!cfg.roles.has('alerts')) log.warn({}, 'report emails are delivered by the alerts role: run reports and alerts together');
      const { startReportSchedules } = await import('../reports/index.ts');
      started.push(startReportSchedules({
        store, control, now: Date.now, publicUrl: cfg.publicUrl,
        onEnqueued: (m) => {
          log.info({ id: m.id }, 'report queued');
          kickDelivery();
        },
        onError: (id, err) => log.error({ err, schedule: id }, 'report failed'),
      }));
    }
  } catch (err) {
    await closeAll();
    throw err;
  }
  return { close: closeAll };
}
