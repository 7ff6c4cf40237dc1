// The form that creates a silence: matchers (prefilled from an alert's labels when opened from
// one), how long, who and why. A refusal (a read-only token, a bad matcher) is shown as the
// API words it.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import { createSilence, type Matcher, type Silence } from '../api/alerts.ts';
import { useSession } from '../shell/session.tsx';

const DURATIONS = [
  { key: '1h', label: '1 hour', ms: 3_600_000 },
  { key: '2h', label: '2 hours', ms: 2 * 3_600_000 },
  { key: '4h', label: '4 hours', ms: 4 * 3_600_000 },
  { key: '12h', label: '12 hours', ms: 12 * 3_600_000 },
  { key: '1d', label: '1 day', ms: 86_400_000 },
  { key: '7d', label: '7 days', ms: 7 * 86_400_000 },
] as const;
const OPS = ['=', '!=', '=~', '!~'] as const;
const AUTHOR_KEY = 'telltale.author';

/** A refusal in words fit for the form. */
export function writeFailure(err: unknown, what: string): string {
  if (err instanceof ApiError && err.status === 403) return `Not allowed: ${err.message}. ${what} needs a token of the write scope; this one can only read.`;
  return err instanceof Error ? err.message : String(err);
}

function savedAuthor(): string {
  try {
    return window.localStorage.getItem(AUTHOR_KEY) ?? '';
  } catch {
    return '';
  }
}

export function SilenceForm({ initial, onCreated, onCancel }: { initial: Matcher[]; onCreated: (s: Silence) => void; onCancel: () => void }) {
  const { api } = useSession();
  const [matchers, setMatchers] = useState<Matcher[]>(initial.length > 0 ? initial : [{ name: 'alertname', op: '=', value: '' }]);
  const [duration, setDuration] = useState<string>('2h');
  const [comment, setComment] = useState('');
  const [author, setAuthor] = useState(savedAuthor);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const setMatcher = (i: number, patch: Partial<Matcher>) => setMatchers((list) => list.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ms = DURATIONS.find((d) => d.key === duration)?.ms ?? 3_600_000;
    const used = matchers.filter((m) => m.name.trim() !== '');
    if (used.length === 0) {
      setError('Add at least one matcher: a silence without one would mute everything.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      window.localStorage.setItem(AUTHOR_KEY, author.trim());
    } catch { /* private mode: the name is not remembered */ }
    createSilence(api, { matchers: used.map((m) => ({ ...m, name: m.name.trim() })), endsAt: new Date(Date.now() + ms).toISOString(), comment: comment.trim(), author: author.trim() }).then(
      (s) => {
        setBusy(false);
        onCreated(s);
      },
      (err: unknown) => {
        setBusy(false);
        setError(writeFailure(err, 'Creating a silence'));
      },
    );
  };

  return (
    <form className="silence-form" id="silence-form" onSubmit={submit} aria-label="New silence">
      <fieldset>
        <legend>Alerts whose labels match every matcher</legend>
        {matchers.map((m, i) => (
          <div className="matcher-row" key={i}>
            <label><span className="visually-hidden">Label {i + 1}</span>
              <input type="text" value={m.name} required pattern="[a-zA-Z_][a-zA-Z0-9_]*" onChange={(e) => setMatcher(i, { name: e.target.value })} placeholder="label" className="matcher-name" />
            </label>
            <label><span className="visually-hidden">Operator {i + 1}</span>
              <select value={m.op} onChange={(e) => setMatcher(i, { op: e.target.value })} className="matcher-op">
                {OPS.map((op) => <option key={op} value={op}>{op}</option>)}
              </select>
            </label>
            <label><span className="visually-hidden">Value {i + 1}</span>
              <input type="text" value={m.value} onChange={(e) => setMatcher(i, { value: e.target.value })} placeholder="value" className="matcher-value" />
            </label>
            <button type="button" className="link-button" onClick={() => setMatchers((list) => list.filter((_, j) => j !== i))} aria-label={`Remove matcher ${m.name || i + 1}`} disabled={matchers.length === 1}>Remove</button>
          </div>
        ))}
        <div><button type="button" onClick={() => setMatchers((list) => [...list, { name: '', op: '=', value: '' }])}>Add matcher</button></div>
      </fieldset>
      <div className="form-row">
        <label className="field"><span>For</span>
          <select id="silence-duration" value={duration} onChange={(e) => setDuration(e.target.value)}>
            {DURATIONS.map((d) => <option key={d.key} value={d.key}>{d.label}</option>)}
          </select>
        </label>
        <label className="field"><span>Your name</span>
          <input id="silence-author" type="text" required maxLength={100} value={author} onChange={(e) => setAuthor(e.target.value)} />
        </label>
      </div>
      <label className="field"><span>Why</span>
        <input id="silence-comment" type="text" autoFocus required maxLength={1000} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="e.g. deploying the fix, ticket OPS-123" />
      </label>
      {error && <p className="form-error" role="alert" id="silence-error">{error}</p>}
      <div className="form-actions">
        <button type="submit" className="primary" id="silence-submit" disabled={busy}>{busy ? 'Creating…' : 'Create silence'}</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
