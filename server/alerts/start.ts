// Starting alerting in a running Telltale: the config file's rules synced (a bad rule stops
// start with every problem), the evaluation loop, and the outbox delivery with one notifier
// per channel. The loop enqueues and kicks delivery; it never waits for a mail server.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { AlertLoop, type LoopTimers } from '../../alerts/alert-loop.ts';
import { DOC, type InstanceDoc } from '../../alerts/documents.ts';
import type { RenderMessage } from '../../alerts/evaluator.ts';
import {
  OutboxDelivery, alertMailMessage, alertmanagerPostableAlerts, alertmanagerWebhookPayload, createAlertmanagerNotifier, createEmailNotifier,
  createWebhookNotifier, type AlertmanagerBody, type Notifier, type WebhookBody,
} from '../../alerts/notify/index.ts';
import type { RunbookLibrary } from '../../alerts/runbooks/library.ts';
import type { SloSource } from '../../alerts/slo-source.ts';
import type { ControlStore, Store } from '../../store/index.ts';
import type { Config } from '../config.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { openHeaders, openRuleOrNull, sealHeaders } from './seal-rules.ts';
import { syncCodeRules } from './verbs.ts';

/** Each target rendered into its channel's outbox body when the evaluator enqueues; webhook header secrets stay sealed there. */
export const messageRenderer = (secrets: SecretBox): RenderMessage => (n, target) => {
  switch (target.type) {
    case 'email':
      return { channel: 'email', body: alertMailMessage(n, target.to) };
    case 'webhook': {
      const headers = target.headers ? { headers: sealHeaders(secrets, target.url, target.headers) } : {};
      return { channel: 'webhook', body: { url: target.url, ...headers, payload: alertmanagerWebhookPayload(n) } satisfies WebhookBody };
    }
    case 'alertmanager':
      return { channel: 'alertmanager', body: { url: target.url, alerts: alertmanagerPostableAlerts(n) } satisfies AlertmanagerBody };
  }
};

// A rule whose secret no longer opens (the key was replaced) is still evaluated; its webhook
// deliveries then fail, visibly, until the value is sent again.
const openOrAsStored = (secrets: SecretBox) => (stored: unknown): unknown => openRuleOrNull(secrets, stored) ?? stored;

export interface AlertingLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface StartAlertingOptions {
  store: Store;
  control: ControlStore;
  runbooks: RunbookLibrary;
  slos?: SloSource;
  /** Seals and opens webhook header secrets. */
  secrets: SecretBox;
  config: Pick<Config, 'publicUrl' | 'alertEvalIntervalMs' | 'smtpUrl' | 'mailFrom'>;
  /** The config file's `alertRules`; they replace the code-owned rules in the store. */
  codeRules: readonly unknown[];
  registry: Registry;
  log: AlertingLog;
  now?: () => number;
  timers?: LoopTimers;
}

export interface RunningAlerting {
  loop: AlertLoop;
  delivery: OutboxDelivery;
  close(): Promise<void>;
}

function alertMetrics(registry: Registry, control: ControlStore) {
  const get = <T>(name: string) => registry.getSingleMetric(name) as T | undefined;
  const evaluation = get<Histogram>('telltale_alert_evaluation_seconds') ?? new Histogram({
    name: 'telltale_alert_evaluation_seconds', help: 'Time one evaluation of every alert rule took.',
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15], registers: [registry],
  });
  const notifications = get<Counter<'channel' | 'status'>>('telltale_notifications_total') ?? new Counter({
    name: 'telltale_notifications_total', help: 'Outbox messages settled, by channel and status (sent, or failed after retries).',
    labelNames: ['channel', 'status'], registers: [registry],
  });
  if (!get('telltale_alerts')) {
    new Gauge({
      name: 'telltale_alerts', help: 'Alert instances by state.', labelNames: ['state'], registers: [registry],
      async collect() {
        const counts = { pending: 0, firing: 0, resolved: 0 };
        for (const d of await control.documents(DOC.instance)) {
          const status = (d.body as InstanceDoc).state.status;
          if (status !== 'inactive') counts[status] += 1;
        }
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
  }
  if (!get('telltale_outbox_pending')) {
    new Gauge({
      name: 'telltale_outbox_pending', help: 'Messages waiting for delivery (at most 10000 counted).', registers: [registry],
      async collect() {
        this.set((await control.messages({ status: 'pending', limit: 10_000 })).length);
      },
    });
  }
  return { evaluation, notifications };
}

export async function startAlerting(options: StartAlertingOptions): Promise<RunningAlerting> {
  const now = options.now ?? Date.now;
  const { control, log } = options;
  const { secrets } = options;
  await syncCodeRules({ control, runbooks: options.runbooks, now, secrets }, options.codeRules);
  const metrics = alertMetrics(options.registry, control);
  const notifiers: Notifier[] = [createWebhookNotifier({ openHeaders: (url, headers) => openHeaders(secrets, url, headers) }), createAlertmanagerNotifier()];
  if (options.config.smtpUrl) notifiers.push(createEmailNotifier({ smtpUrl: options.config.smtpUrl, from: options.config.mailFrom }));
  else log.warn({}, 'TELLTALE_SMTP_URL is not set: alert and report emails wait in the outbox until it is');
  const delivery = new OutboxDelivery({
    control, notifiers, now,
    onSettled: (channel, status) => metrics.notifications.inc({ channel, status }),
    onAttempt: (channel, result) => {
      if (result.outcome !== 'sent') log.warn({ channel, outcome: result.outcome, error: result.error }, 'notification not delivered');
    },
    onError: (err) => log.error({ err }, 'outbox delivery failed'),
  });
  const loop = new AlertLoop({
    store: options.store, control, runbooks: options.runbooks, ...(options.slos ? { slos: options.slos } : {}),
    publicUrl: options.config.publicUrl, render: messageRenderer(secrets), openRule: openOrAsStored(secrets), intervalMs: options.config.alertEvalIntervalMs, now,
    ...(options.timers ? { timers: options.timers } : {}),
    onEvaluated: (summary, durationMs) => {
      metrics.evaluation.observe(durationMs / 1000);
      if (summary.messages > 0) delivery.kick();
    },
    onRuleError: (ruleId, err) => log.error({ err, ruleId }, 'alert rule evaluation failed; its state is kept'),
    onError: (err) => log.error({ err }, 'alert evaluation failed'),
  });
  delivery.start();
  loop.start();
  return {
    loop, delivery,
    async close() {
      await loop.close();
      await delivery.close();
    },
  };
}
