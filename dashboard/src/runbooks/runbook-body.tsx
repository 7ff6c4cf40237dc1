// A runbook's body as the server rendered it. The one place the dashboard sets HTML: the alert
// page can show a runbook in place with this same component (its styles come with it).
import type { MouseEvent } from 'react';
import { useRouter } from '../shell/router.tsx';
import './runbooks.css';

export function RunbookBody({ html, id }: { html: string; id?: string }) {
  const { navigate } = useRouter();
  // Same-origin links in the body (e.g. `/checks`, `/runbooks/slo-burn`) stay in the app;
  // in-page links (`#rb-…`) scroll natively.
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element).closest('a');
    if (!anchor || anchor.target || anchor.origin !== window.location.origin) return;
    if (anchor.pathname === window.location.pathname && anchor.hash) return;
    event.preventDefault();
    navigate(anchor.pathname + anchor.search + anchor.hash);
  };
  // `html` is sanitized by the server (alerts/runbooks/markdown.ts: markdown-it with raw HTML
  // escaped and only http(s), mailto and relative links), which is the only reason it may be
  // set as HTML here. Never pass anything else to this component.
  return <div id={id} className="runbook-html" onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
}
