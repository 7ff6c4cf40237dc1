// Notifications to render and deliver in tests: one realistic firing alert, built fresh per call.
import type { Notification, NotifiedAlert } from '../../../alerts/notification.ts';

export const T0 = Date.UTC(2026, 10, 26, 2, 41, 0);

export function sampleAlert(overrides: Partial<NotifiedAlert> = {}): NotifiedAlert {
  return {
    fingerprint: '0123456789abcdef',
    status: 'firing',
    ruleId: 'checkout-errors',
    ruleName: 'Checkout errors',
    kind: 'error_rate',
    severity: 'page',
    labels: { alertname: 'Checkout errors', severity: 'page', service: 'checkout', method: 'POST', route: '/orders' },
    annotations: { summary: 'error rate 12.4% > 5%', description: 'More than 5% of calls failed with 5xx.', runbook_url: 'https://telltale.example.com/runbooks/high-error-rate' },
    startsAtMs: T0,
    endsAtMs: null,
    value: 0.124,
    threshold: 0.05,
    unit: 'ratio',
    series: [0.002, 0.004, 0.01, 0.03, null, 0.07, 0.1, 0.124].map((value, i) => ({ timeMs: T0 - (7 - i) * 60_000, value })),
    contributors: [{ label: 'POST /orders', calls: 950, errors: 120 }, { label: 'consumer mobile-app', calls: 400, errors: 80 }],
    exampleTraceIds: ['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7a3ce929d0e0e4736', 'abcdef0123456789abcdef0123456789', 'ffffffffffffffffffffffffffffffff'],
    deploys: [{ timeMs: T0 - 6 * 60_000, service: 'checkout', version: '1.4.2' }],
    runbook: {
      id: 'high-error-rate',
      title: 'High error rate',
      owner: 'payments-oncall',
      url: 'https://telltale.example.com/runbooks/high-error-rate',
      firstSteps: ['Open the route view and find the failing status codes.', 'Check the deploys panel for a release just before the start.', 'Roll back if a deploy lines up.'],
    },
    dashboardUrl: 'https://telltale.example.com/services/checkout?from=1764121260000&to=1764123060000',
    silenceUrl: 'https://telltale.example.com/silences/new?alertname=Checkout%20errors',
    acknowledged: false,
    ...overrides,
  };
}

export function sampleNotification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: 'n-checkout-1',
    status: 'firing',
    receiver: 'checkout-errors',
    groupKey: '{service="checkout"}',
    groupLabels: { service: 'checkout' },
    alerts: [sampleAlert()],
    externalUrl: 'https://telltale.example.com/',
    createdAtMs: T0 + 17 * 60_000,
    ...overrides,
  };
}
