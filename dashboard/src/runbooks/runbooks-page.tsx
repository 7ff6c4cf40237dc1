// The runbooks section: `/runbooks` lists them, `/runbooks/:id` shows one rendered. One module,
// so one lazily loaded chunk for the section.
import type { PageProps } from '../shell/pages.ts';
import { RunbookView } from './runbook-view.tsx';
import { RunbooksList } from './runbooks-list.tsx';
import './runbooks.css';

export function RunbooksPage({ params }: PageProps) {
  const id = params['id'];
  if (id === undefined) return <RunbooksList />;
  return <RunbookView key={id} id={id} />;
}
