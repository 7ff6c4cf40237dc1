// Sign-in with an API token (read scope or wider). The token is tried against the API before
// it is kept, so a typo is refused here rather than as an empty dashboard.
import { useState, type FormEvent } from 'react';
import { ApiError, createApiClient } from '../api/client.ts';

function refusal(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return 'That token was refused: it is unknown or has been revoked. Check for a typo, or create one with `npm run telltale -- token create --scope read`.';
    if (err.status === 403) return 'That token cannot read: the dashboard needs a token with the read, write or admin scope (ingest tokens only send data).';
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) {
      setError('Paste an API token to sign in.');
      return;
    }
    setBusy(true);
    setError(null);
    const now = Date.now();
    createApiClient({ token: value }).services({ fromMs: now - 60_000, toMs: now }).then(
      () => onSignedIn(value),
      (err: unknown) => {
        setError(refusal(err));
        setBusy(false);
      },
    );
  };

  return (
    <main className="sign-in">
      <form className="panel sign-in-form" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title"><span className="brand-mark" aria-hidden="true" />Telltale</h1>
        <p className="muted">Sign in with an API token that has the read scope.</p>
        {notice && <p className="notice" role="status">{notice}</p>}
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="off" spellCheck={false} value={token} onChange={(e) => setToken(e.target.value)} autoFocus />
        {error && <p className="form-error" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Checking…' : 'Sign in'}</button>
        <p className="muted small">The token stays in this browser (localStorage) until you sign out.</p>
      </form>
    </main>
  );
}
