import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { CAN, useSession, type Role } from './api/session.js';
import { Loading } from './components/states.component.js';
import { LoginPage } from './features/login/login.page.js';
import { useI18n, type MessageKey } from './i18n/i18n.js';
import { listOutbox, onOutboxChange, syncOutbox } from './offline/outbox.js';
import { Link, matchPath, navigate, useLocation } from './router.js';

// The dashboard is the first screen for most roles; the others load on demand.
import { DashboardPage } from './features/dashboard/dashboard.page.js';
const RegionPage = lazy(() => import('./features/region/region.page.js'));
const PosyanduDayPage = lazy(() => import('./features/posyandu-day/posyandu-day.page.js'));
const ChildPage = lazy(() => import('./features/child/child.page.js'));
const ImportPage = lazy(() => import('./features/import/import.page.js'));
const QualityPage = lazy(() => import('./features/quality/quality.page.js'));
const EvaluationPage = lazy(() => import('./features/evaluation/evaluation.page.js'));
const AdminPage = lazy(() => import('./features/admin/admin.page.js'));

interface NavItem {
  to: string;
  label: MessageKey;
  show: (role: Role) => boolean;
}

const NAV: NavItem[] = [
  { to: '/', label: 'nav.dashboard', show: () => true },
  { to: '/hari-posyandu', label: 'nav.posyanduDay', show: CAN.enter },
  { to: '/impor', label: 'nav.import', show: CAN.import },
  { to: '/kualitas', label: 'nav.quality', show: CAN.quality },
  { to: '/evaluasi', label: 'nav.evaluation', show: CAN.evaluation },
  { to: '/admin', label: 'nav.admin', show: CAN.admin },
];

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}

function NetworkStatus() {
  const { t } = useI18n();
  const online = useOnline();
  const [pending, setPending] = useState(0);
  useEffect(() => {
    const refresh = () => {
      listOutbox().then((all) => setPending(all.length)).catch(() => setPending(0));
    };
    refresh();
    return onOutboxChange(refresh);
  }, []);
  useEffect(() => {
    if (online) syncOutbox().catch(() => undefined);
  }, [online]);
  return (
    <span className={`net ${online ? 'net-online' : 'net-offline'}`} role="status" data-testid="network-status">
      {online ? t('net.online') : t('net.offline')}
      {pending > 0 && <> · {t('net.pending', { count: pending })}</>}
    </span>
  );
}

function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang" role="group" aria-label={t('lang.label')}>
      <button type="button" aria-pressed={lang === 'id'} onClick={() => setLang('id')} lang="id">{t('lang.id')}</button>
      <button type="button" aria-pressed={lang === 'en'} onClick={() => setLang('en')} lang="en">{t('lang.en')}</button>
    </div>
  );
}

function Forbidden() {
  const { t } = useI18n();
  return <p className="state state-error" role="alert">{t('error.forbiddenPage')}</p>;
}

function routeFor(path: string, role: Role): ReactNode {
  let m: Record<string, string> | null;
  if (path === '/') return <DashboardPage />;
  if ((m = matchPath('/wilayah/:code', path))) return <RegionPage code={m.code} />;
  if ((m = matchPath('/posyandu/:id', path))) return <RegionPage code={null} posyanduId={Number(m.id)} />;
  if (path === '/hari-posyandu') return CAN.enter(role) ? <PosyanduDayPage /> : <Forbidden />;
  if ((m = matchPath('/anak/:id', path))) return CAN.personal(role) ? <ChildPage id={Number(m.id)} /> : <Forbidden />;
  if (path === '/impor') return CAN.import(role) ? <ImportPage /> : <Forbidden />;
  if (path === '/kualitas') return CAN.quality(role) ? <QualityPage /> : <Forbidden />;
  if (path === '/evaluasi') return CAN.evaluation(role) ? <EvaluationPage /> : <Forbidden />;
  if (path === '/admin') return CAN.admin(role) ? <AdminPage /> : <Forbidden />;
  return null;
}

/** The app shell: header with menu, language switch and network status; the page below. */
export function App() {
  const { t } = useI18n();
  const { session, checking, logout } = useSession();
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    if (!checking && !session && path !== '/masuk') navigate(`/masuk?next=${encodeURIComponent(location.pathname + location.search)}`, true);
    if (!checking && session && path === '/masuk') navigate('/', true);
  }, [checking, session, path]);

  useEffect(() => setMenuOpen(false), [path]);

  if (checking) return <main id="main"><Loading /></main>;
  if (!session) {
    return (
      <>
        <header className="topbar topbar-plain">
          <span className="brand">{t('app.name')}</span>
          <LanguageSwitch />
        </header>
        <main id="main"><LoginPage /></main>
      </>
    );
  }
  const role = session.user.role;
  const page = routeFor(path, role);
  return (
    <>
      <a className="skip" href="#main">{t('app.skip')}</a>
      <header className="topbar">
        <Link to="/" className="brand">{t('app.name')}</Link>
        <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen)}>
          {t('nav.menu')}
        </button>
        <nav id="nav" aria-label={t('nav.label')} className={menuOpen ? 'open' : undefined}>
          <ul>
            {NAV.filter((n) => n.show(role)).map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={path === n.to ? 'page' : undefined}>{t(n.label)}</Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-end">
          <NetworkStatus />
          <LanguageSwitch />
          <span className="user" data-testid="current-user">{session.user.displayName} · {t(`role.${role}` as MessageKey)}</span>
          <button type="button" className="secondary" onClick={() => { logout().finally(() => navigate('/masuk')); }}>{t('nav.logout')}</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          {page ?? <p className="state state-error" role="alert">{t('error.notFound')}</p>}
        </Suspense>
      </main>
    </>
  );
}
