// Failed requests (other than 401, which signs out) shown above the page until dismissed or
// until the user goes to another page, where they no longer apply.
import { useEffect } from 'react';
import { useRouter } from './router.tsx';
import { useSession } from './session.tsx';

export function ErrorBanner() {
  const { problems, dismiss, dismissAll } = useSession();
  const { pathname } = useRouter();
  useEffect(() => dismissAll(), [pathname, dismissAll]);
  if (problems.length === 0) return null;
  return (
    <div className="banner" role="alert">
      {problems.map((p) => (
        <div key={p.id} className="banner-item">
          <span>{p.message}</span>
          <button type="button" className="link-button" onClick={() => dismiss(p.id)} aria-label="Dismiss this error">Dismiss</button>
        </div>
      ))}
    </div>
  );
}
