// Loads data for a view. The previous answer stays on screen while a refresh is in flight (no
// flicker every 10 s), stale requests are aborted, a 401 is left to the session (sign-in) and
// any other failure goes to the error banner.
import { useEffect, useRef, useState } from 'react';
import { UnauthorizedError, type ApiClient } from '../api/client.ts';
import { useSession } from './session.tsx';

export interface QueryState<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
}

/**
 * Runs `load` whenever `key` changes. The key must capture every input of `load` (window,
 * filters, refresh tick); it is compared as a string so callers need not memoise.
 */
export function useQuery<T>(key: string | null, load: (api: ApiClient, signal: AbortSignal) => Promise<T>): QueryState<T> {
  const { api, report } = useSession();
  const [state, setState] = useState<QueryState<T>>({ data: undefined, error: null, loading: key !== null });
  const loadRef = useRef(load);
  // Declared before the loading effect, so that effect always runs the latest `load`.
  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    loadRef.current(api, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: null, loading: false });
      },
      (err: unknown) => {
        if (controller.signal.aborted || err instanceof UnauthorizedError) return;
        const message = err instanceof Error ? err.message : String(err);
        report(message);
        setState((s) => ({ ...s, error: message, loading: false }));
      },
    );
    return () => controller.abort();
  }, [key, api, report]);

  return state;
}
