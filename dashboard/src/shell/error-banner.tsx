// Failed requests (other than 401, which signs out) shown above the page until dismissed.
import { useSession } from './session.tsx';

export function ErrorBanner() {
  const { problems, dismiss } = useSession();
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
