// Loads data for a view. On an auto-refresh or a new time window the previous answer stays on
// screen while the new one loads (no flicker every 10 s); a different subject (another route,
// another filter) starts empty, so one route's numbers never show under another's name. Stale
// requests are aborted, a 401 is left to the session (sign-in), other failures go to the banner.
import { useEffect, useRef, useState } from 'react';
import { UnauthorizedError, type ApiClient } from '../api/client.ts';
import { useSession } from './session.tsx';
import { useTimeWindow } from './time-window.tsx';

export interface QueryState<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
}

interface Held<T> extends QueryState<T> {
  subject: string | null;
}

/**
 * Runs `load` for `subject` (a string naming everything `load` depends on besides the time
 * window; null to wait). Unless `followWindow` is false, the window and the refresh tick are
 * added to it, so `load` runs again whenever they change.
 */
export function useQuery<T>(subject: string | null, load: (api: ApiClient, signal: AbortSignal) => Promise<T>, options: { followWindow?: boolean } = {}): QueryState<T> {
  const { api, report } = useSession();
  const tw = useTimeWindow();
  const key = subject === null ? null : options.followWindow === false ? subject : `${subject}@${tw.fromMs}:${tw.toMs}:${tw.tick}`;
  const [state, setState] = useState<Held<T>>({ subject, data: undefined, error: null, loading: subject !== null });
  const loadRef = useRef(load);
  // Declared before the loading effect, so that effect always runs the latest `load`.
  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setState((s) => (s.subject === subject ? { ...s, loading: true } : { subject, data: undefined, error: null, loading: true }));
    loadRef.current(api, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ subject, data, error: null, loading: false });
      },
      (err: unknown) => {
        if (controller.signal.aborted || err instanceof UnauthorizedError) return;
        const message = err instanceof Error ? err.message : String(err);
        report(message);
        setState((s) => ({ ...s, subject, error: message, loading: false }));
      },
    );
    return () => controller.abort();
    // `subject` is part of `key`.
  }, [key, api, report]);

  // Until the effect above has run for a new subject, do not show the old subject's answer.
  if (state.subject !== subject) return { data: undefined, error: null, loading: subject !== null };
  return state;
}
