// The time window every page shows, read from the URL (`from`, `to`, `refresh`) and resolved
// to milliseconds once per URL change or auto-refresh tick, so all requests of a view ask for
// the same window and their numbers agree.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { DEFAULT_FROM, DEFAULT_TO, isRelative, refreshIntervalMs, resolveWindow, type TimeWindow } from '../lib/time-range.ts';
import { useSearchParams } from './router.tsx';

export interface WindowValue extends TimeWindow {
  /** As written in the URL. */
  from: string;
  to: string;
  /** False when the URL's from/to could not be read (the default window is used instead). */
  valid: boolean;
  /** Bumps on every auto-refresh tick and manual refresh: queries depend on it. */
  tick: number;
  refresh: () => void;
}

const WindowContext = createContext<WindowValue | null>(null);

export function TimeWindowProvider({ children }: { children: ReactNode }) {
  const [params] = useSearchParams();
  const from = params.get('from') ?? DEFAULT_FROM;
  const to = params.get('to') ?? DEFAULT_TO;
  const intervalMs = isRelative(to) ? refreshIntervalMs(params.get('refresh')) : null;
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (intervalMs === null) return;
    const timer = window.setInterval(() => setTick((n) => n + 1), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);

  const value = useMemo<WindowValue>(() => {
    const now = Date.now();
    const resolved = resolveWindow(from, to, now);
    const fallback = resolveWindow(DEFAULT_FROM, DEFAULT_TO, now) as TimeWindow;
    return { from, to, ...(resolved ?? fallback), valid: resolved !== null, tick, refresh: () => setTick((n) => n + 1) };
    // `tick` is what re-resolves "now": it is a dependency on purpose.
  }, [from, to, tick]);

  return <WindowContext.Provider value={value}>{children}</WindowContext.Provider>;
}

export function useTimeWindow(): WindowValue {
  const value = useContext(WindowContext);
  if (!value) throw new Error('useTimeWindow outside TimeWindowProvider');
  return value;
}
