// A signed-in session: the API client made with the token, sign-out, and the error banner's
// messages. A 401 from any request ends the session (the shell shows sign-in again).
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { createApiClient, type ApiClient } from '../api/client.ts';

export interface Problem {
  id: number;
  message: string;
}

interface SessionValue {
  api: ApiClient;
  signOut: (reason?: string) => void;
  problems: Problem[];
  report: (message: string) => void;
  dismiss: (id: number) => void;
  dismissAll: () => void;
}

const SessionContext = createContext<SessionValue | null>(null);

let nextProblemId = 1;

export function SessionProvider({ token, onSignOut, children }: { token: string; onSignOut: (reason?: string) => void; children: ReactNode }) {
  const [problems, setProblems] = useState<Problem[]>([]);
  const api = useMemo(() => createApiClient({
    token,
    onUnauthorized: () => onSignOut('Your token is no longer accepted (expired or revoked). Sign in again.'),
  }), [token, onSignOut]);
  const report = useCallback((message: string) => {
    setProblems((list) => (list.some((p) => p.message === message) ? list : [...list.slice(-4), { id: nextProblemId++, message }]));
  }, []);
  const dismiss = useCallback((id: number) => setProblems((list) => list.filter((p) => p.id !== id)), []);
  const dismissAll = useCallback(() => setProblems((list) => (list.length === 0 ? list : [])), []);
  const value = useMemo(() => ({ api, signOut: onSignOut, problems, report, dismiss, dismissAll }), [api, onSignOut, problems, report, dismiss, dismissAll]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
