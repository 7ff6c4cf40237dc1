// The alerts section: `/alerts` lists alerts, silences and maintenance windows; `/alerts/:fingerprint`
// is one alert. One module, so one lazily loaded chunk for the whole section.
import type { PageProps } from '../shell/pages.ts';
import { AlertDetailPage } from './alert-detail.tsx';
import { AlertsList } from './alerts-list.tsx';
import './alerts.css';

export function AlertsPage({ params }: PageProps) {
  const fingerprint = params['fingerprint'];
  if (fingerprint === undefined) return <AlertsList />;
  return <AlertDetailPage key={fingerprint} fingerprint={fingerprint} />;
}
