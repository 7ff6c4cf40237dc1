// Windowed rendering for long tables: only the rows in (and near) the viewport are in the DOM,
// so a table of thousands of routes costs the same as one of fifty.
import { useCallback, useEffect, useRef, useState } from 'react';
import { virtualWindow, type VirtualWindow } from '../lib/tables.ts';

export function useVirtualRows(rowCount: number, rowHeight: number): { ref: (el: HTMLDivElement | null) => void; onScroll: () => void; window: VirtualWindow } {
  const element = useRef<HTMLDivElement | null>(null);
  const [view, setView] = useState({ scrollTop: 0, height: 600 });
  const measure = useCallback(() => {
    const el = element.current;
    if (el) setView({ scrollTop: el.scrollTop, height: el.clientHeight || 600 });
  }, []);
  const ref = useCallback((el: HTMLDivElement | null) => {
    element.current = el;
    measure();
  }, [measure]);
  useEffect(() => {
    const el = element.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [measure]);
  return { ref, onScroll: measure, window: virtualWindow(view.scrollTop, view.height, rowHeight, rowCount) };
}
