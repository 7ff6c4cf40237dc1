// The checks section: `/checks` lists them, `/checks/new` and `/checks/:id?edit=1` show the form,
// `/checks/:id` one check. One module, so one lazily loaded chunk for the whole section.
import type { PageProps } from '../shell/pages.ts';
import { useSearchParams } from '../shell/router.tsx';
import { CheckDetailPage } from './check-detail.tsx';
import { CheckFormPage } from './check-form.tsx';
import { ChecksList } from './checks-list.tsx';
import './checks.css';

export function ChecksPage({ params }: PageProps) {
  const [query] = useSearchParams();
  const id = params['id'];
  if (id === undefined) return <ChecksList />;
  if (id === 'new') return <CheckFormPage id={null} />;
  if (query.get('edit')) return <CheckFormPage key={id} id={id} />;
  return <CheckDetailPage key={id} id={id} />;
}
