// The SLOs section: `/slos` lists every SLO with its budget, `/slos/:id` is one SLO's budget and
// burn over its window. One module, so one lazily loaded chunk for the section.
import type { PageProps } from '../shell/pages.ts';
import { SloDetailPage } from './slo-detail.tsx';
import { SloList } from './slo-list.tsx';
import '../alerts/alerts.css';

export function SlosPage({ params }: PageProps) {
  const id = params['id'];
  if (id === undefined) return <SloList />;
  return <SloDetailPage key={id} id={id} />;
}
