// A small history-API router: the whole view state is path + query, so "navigate" is
// pushState and every page reads its state from the URL instead of keeping it in React.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';
import { patchSearch, type ParamPatch } from '../lib/url-state.ts';

interface Place {
  pathname: string;
  search: string;
}

interface RouterValue extends Place {
  navigate: (to: string, options?: { replace?: boolean }) => void;
}

const RouterContext = createContext<RouterValue | null>(null);

const here = (): Place => ({ pathname: window.location.pathname, search: window.location.search });

export function RouterProvider({ children }: { children: ReactNode }) {
  const [place, setPlace] = useState<Place>(here);
  useEffect(() => {
    const onPop = () => setPlace(here());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string, options: { replace?: boolean } = {}) => {
    const current = window.location.pathname + window.location.search;
    if (to === current) return;
    if (options.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    setPlace(here());
    if (!options.replace) window.scrollTo(0, 0);
  }, []);
  const value = useMemo(() => ({ ...place, navigate }), [place, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter outside RouterProvider');
  return value;
}

/**
 * The query string as params plus a setter. Filters typed into a box replace the history
 * entry (one Back undoes the whole edit); choices such as a time range push a new one.
 */
export function useSearchParams(): [URLSearchParams, (patch: ParamPatch, options?: { replace?: boolean }) => void] {
  const { pathname, search, navigate } = useRouter();
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const update = useCallback((patch: ParamPatch, options?: { replace?: boolean }) => {
    navigate(pathname + patchSearch(window.location.search, patch), options);
  }, [pathname, navigate]);
  return [params, update];
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** An ordinary `<a href>` (so middle-click and copy-link work) that navigates in place on a plain click. */
export function Link({ to, onClick, children, ...rest }: LinkProps) {
  const { navigate } = useRouter();
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest}>{children}</a>;
}
