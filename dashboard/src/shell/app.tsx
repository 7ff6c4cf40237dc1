// The app: theme, router, and either sign-in or a signed-in session with the header, the
// error banner and the current page.
import { Suspense, useCallback, useEffect, useState } from 'react';
import { matchPath } from '../lib/url-state.ts';
import { ErrorBanner } from './error-banner.tsx';
import { Header } from './header.tsx';
import { PAGES } from './pages.ts';
import { RouterProvider, useRouter } from './router.tsx';
import { SessionProvider } from './session.tsx';
import { SignIn } from './sign-in.tsx';
import { ThemeProvider } from './theme.tsx';
import { TimeWindowProvider } from './time-window.tsx';
import { clearToken, loadToken, saveToken } from './token-store.ts';

export function App() {
  return (
    <ThemeProvider>
      <RouterProvider>
        <Auth />
      </RouterProvider>
    </ThemeProvider>
  );
}

function Auth() {
  const [token, setToken] = useState<string | null>(loadToken);
  const [notice, setNotice] = useState<string | null>(null);
  const signOut = useCallback((reason?: string) => {
    clearToken();
    setNotice(reason ?? null);
    setToken(null);
  }, []);
  const signIn = useCallback((value: string) => {
    saveToken(value);
    setNotice(null);
    setToken(value);
  }, []);
  if (!token) return <SignIn notice={notice} onSignedIn={signIn} />;
  return (
    <SessionProvider token={token} onSignOut={signOut}>
      <TimeWindowProvider>
        <Header />
        <ErrorBanner />
        <main id="main" className="page">
          <CurrentPage />
        </main>
      </TimeWindowProvider>
    </SessionProvider>
  );
}

function CurrentPage() {
  const { pathname } = useRouter();
  let found: { page: (typeof PAGES)[number]; params: Record<string, string> } | null = null;
  for (const page of PAGES) {
    const params = matchPath(page.path, pathname);
    if (params) {
      found = { page, params };
      break;
    }
  }
  const title = found?.page.title ?? 'Not found';
  useEffect(() => {
    document.title = `${title} · Telltale`;
  }, [title]);
  if (!found) return <section className="panel"><h1>Not found</h1><p>No page at {pathname}.</p></section>;
  const Page = found.page.component;
  return (
    <Suspense fallback={<p className="muted" role="status">Loading…</p>}>
      <Page params={found.params} />
    </Suspense>
  );
}
