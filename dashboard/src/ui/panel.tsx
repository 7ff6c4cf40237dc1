// A titled section of a page, with optional controls on the right of its heading.
import type { ReactNode } from 'react';

export function Panel({ title, actions, children, className, headingLevel = 2, id }: {
  title: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; headingLevel?: 2 | 3; id?: string;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className={`panel ${className ?? ''}`} aria-labelledby={id ? `${id}-title` : undefined} id={id}>
      <div className="panel-head">
        <Heading id={id ? `${id}-title` : undefined}>{title}</Heading>
        {actions && <div className="panel-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

/** What a panel shows before its data arrives, when it failed, or when there is none. */
export function QueryStatus({ loading, error, empty, emptyText }: { loading: boolean; error: string | null; empty: boolean; emptyText: string }) {
  if (error) return <p className="form-error">Could not load: {error}</p>;
  if (loading && empty) return <p className="muted" role="status">Loading…</p>;
  if (empty) return <p className="muted">{emptyText}</p>;
  return null;
}
