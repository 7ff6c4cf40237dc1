// The top bar: navigation (from the page table), the time window, refresh, theme, sign-out.
import { linkTo, matchPath } from '../lib/url-state.ts';
import { PAGES } from './pages.ts';
import { Link, useRouter } from './router.tsx';
import { useSession } from './session.tsx';
import { useTheme } from './theme.tsx';
import { RefreshPicker, TimePicker } from './time-picker.tsx';

export function Header() {
  const { pathname, search } = useRouter();
  const { signOut } = useSession();
  const { theme, toggle } = useTheme();
  return (
    <header className="topbar">
      <a className="skip-link" href="#main">Skip to content</a>
      <Link to={linkTo('/', search)} className="brand"><span className="brand-mark" aria-hidden="true" />Telltale</Link>
      <nav aria-label="Main">
        {PAGES.filter((p) => p.nav).map((p) => {
          const active = p.nav?.match.some((m) => matchPath(m, pathname) !== null) ?? false;
          return <Link key={p.path} to={linkTo(p.path, search)} aria-current={active ? 'page' : undefined}>{p.nav?.label}</Link>;
        })}
      </nav>
      <div className="topbar-controls">
        <TimePicker />
        <RefreshPicker />
        <button type="button" onClick={toggle} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`} title="Switch theme">
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
        <button type="button" onClick={() => signOut()}>Sign out</button>
      </div>
    </header>
  );
}
