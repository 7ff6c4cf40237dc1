// The page table. Adding a page is one file under its feature folder plus one entry here:
// each page is its own lazily loaded chunk, so the initial bundle stays small as pages grow.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface PageProps {
  /** `:name` segments of the matched path. */
  params: Record<string, string>;
}

export interface PageDef {
  path: string;
  /** Document title (the page may refine it). */
  title: string;
  /** Shown in the header navigation when set; `match` lists paths that highlight it. */
  nav?: { label: string; match: string[] };
  component: LazyExoticComponent<ComponentType<PageProps>>;
}

// The checks section is one page module at two paths (a list, and one check or its form).
const checksPage = lazy(() => import('../checks/checks-page.tsx').then((m) => ({ default: m.ChecksPage })));
const runbooksPage = lazy(() => import('../runbooks/runbooks-page.tsx').then((m) => ({ default: m.RunbooksPage })));
const alertsPage = lazy(() => import('../alerts/alerts-page.tsx').then((m) => ({ default: m.AlertsPage })));
const slosPage = lazy(() => import('../slos/slos-page.tsx').then((m) => ({ default: m.SlosPage })));

export const PAGES: readonly PageDef[] = [
  {
    path: '/', title: 'Overview', nav: { label: 'Overview', match: ['/', '/routes'] },
    component: lazy(() => import('../overview/overview-page.tsx').then((m) => ({ default: m.OverviewPage }))),
  },
  {
    path: '/routes', title: 'Route',
    component: lazy(() => import('../route/route-page.tsx').then((m) => ({ default: m.RoutePage }))),
  },
  {
    path: '/traces', title: 'Traces', nav: { label: 'Traces', match: ['/traces', '/traces/:traceId'] },
    component: lazy(() => import('../traces/trace-search-page.tsx').then((m) => ({ default: m.TraceSearchPage }))),
  },
  {
    path: '/traces/:traceId', title: 'Trace',
    component: lazy(() => import('../traces/trace-page.tsx').then((m) => ({ default: m.TracePage }))),
  },
  ...(['/checks', '/checks/:id'] as const).map((path): PageDef => ({
    path, title: 'Checks', nav: path === '/checks' ? { label: 'Checks', match: ['/checks', '/checks/:id'] } : undefined,
    component: checksPage,
  })),
  ...(['/alerts', '/alerts/:fingerprint'] as const).map((path): PageDef => ({
    path, title: 'Alerts', nav: path === '/alerts' ? { label: 'Alerts', match: ['/alerts', '/alerts/:fingerprint'] } : undefined,
    component: alertsPage,
  })),
  ...(['/slos', '/slos/:id'] as const).map((path): PageDef => ({
    path, title: 'SLOs', nav: path === '/slos' ? { label: 'SLOs', match: ['/slos', '/slos/:id', '/reports'] } : undefined,
    component: slosPage,
  })),
  {
    path: '/reports', title: 'SLA report',
    component: lazy(() => import('../reports/reports-page.tsx').then((m) => ({ default: m.ReportsPage }))),
  },
  ...(['/runbooks', '/runbooks/:id'] as const).map((path): PageDef => ({
    path, title: 'Runbooks', nav: path === '/runbooks' ? { label: 'Runbooks', match: ['/runbooks', '/runbooks/:id'] } : undefined,
    component: runbooksPage,
  })),
];
