// The page frame: a header with the platform's name, the user, 退出 and the language switch.
import { useState, type ReactNode } from 'react';
import { Button, Drawer, Grid, Layout as AntLayout, Segmented, Tooltip } from 'antd';
import { LockOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { ChangePassword } from './components/ChangePassword.tsx';
import { useI18n, type Locale } from './i18n.tsx';
import { isAdministrator, useSession } from './session.tsx';
import { Link, usePath } from '../../ui/router.tsx';

export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <Segmented<Locale>
      size="small"
      aria-label={t('header.language')}
      value={locale}
      onChange={(v) => setLocale(v)}
      options={[
        { value: 'zh', label: <span lang="zh-CN">中文</span> },
        { value: 'en', label: <span lang="en">English</span> },
      ]}
    />
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t, colon } = useI18n();
  const { session, logout } = useSession();
  const path = usePath();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const [changing, setChanging] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <AntLayout className="app">
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        {t('common.skipToContent')}
      </a>
      <AntLayout.Header className="app-header">
        <Link to="/" className="brand" aria-label={t('app.title')}>
          <span className="brand-mark" aria-hidden="true">
            L
          </span>
          <span className="brand-name">Ladder</span>
          {!narrow && <span className="brand-sub"> · {t('app.subtitle')}</span>}
        </Link>
        {session && !narrow && (
          <nav aria-label={t('header.menu')} className="app-nav">
            <NavLinks />
          </nav>
        )}
        <div className="header-right">
          {session && narrow && (
            <Button type="text" className="header-logout menu-button" icon={<MenuOutlined aria-hidden="true" />} onClick={() => setMenuOpen(true)} aria-label={t('header.menu')} aria-expanded={menuOpen} />
          )}
          {session && (
            <Tooltip title={t('account.settings')}>
              {/* The user's name opens 账号设置 (profile, mobile, password). */}
              <Link to="/account" className="header-user" aria-current={path === '/account' ? 'page' : undefined}>
                <UserOutlined aria-hidden="true" />
                <span className="sr-only">{t('header.user')}{colon}</span>
                {!narrow && <span>{session.user.username}</span>}
                <span className="sr-only"> · {t('account.settings')}</span>
              </Link>
            </Tooltip>
          )}
          <LanguageSwitch />
          {session && (
            <Tooltip title={narrow ? t('account.changePassword') : undefined}>
              <Button type="text" className="header-logout" icon={<LockOutlined aria-hidden="true" />} onClick={() => setChanging(true)} aria-label={t('account.changePassword')}>
                {!narrow && t('account.changePassword')}
              </Button>
            </Tooltip>
          )}
          {session && (
            <Tooltip title={narrow ? t('header.logout') : undefined}>
              <Button type="text" className="header-logout" icon={<LogoutOutlined aria-hidden="true" />} onClick={() => void logout()} aria-label={t('header.logout')}>
                {!narrow && t('header.logout')}
              </Button>
            </Tooltip>
          )}
        </div>
      </AntLayout.Header>
      <AntLayout.Content id="main" tabIndex={-1} className="app-main">
        {children}
      </AntLayout.Content>
      <AntLayout.Footer className="app-footer">{t('app.footer')}</AntLayout.Footer>
      {session && <ChangePassword open={changing} onClose={() => setChanging(false)} />}
      {session && narrow && (
        // On a phone the links live in a drawer: an administrator reaches every page from the menu button.
        <Drawer open={menuOpen} onClose={() => setMenuOpen(false)} placement="right" width={260} title={t('header.menu')} className="nav-drawer">
          <nav aria-label={t('header.menu')} className="drawer-nav" onClick={(e) => (e.target as HTMLElement).closest('a') && setMenuOpen(false)}>
            <NavLinks />
          </nav>
        </Drawer>
      )}
    </AntLayout>
  );
}

/** The main navigation: an administrator's pages, or the enterprise's self-diagnosis. */
function NavLinks() {
  const { t } = useI18n();
  const { session } = useSession();
  const path = usePath();
  if (!session) return null;
  // An assessment body's staff: their body's applications; an enterprise: its self-diagnosis and formal assessment.
  if (session.user.role === 'assessor') return <Link to="/assessment/applications" aria-current={path === '/' || path.startsWith('/assessment') ? 'page' : undefined}>{t('nav.bodyApplications')}</Link>;
  if (session.user.role === 'enterprise')
    return (
      <>
        <Link to="/" aria-current={path === '/' || path.startsWith('/diagnosis') ? 'page' : undefined}>{t('nav.selfDiagnosis')}</Link>
        <Link to="/assessment" aria-current={path.startsWith('/assessment') ? 'page' : undefined}>{t('nav.assessment')}</Link>
      </>
    );
  if (!isAdministrator(session)) return <Link to="/">{t('nav.selfDiagnosis')}</Link>;
  const links: { to: string; label: string; current: boolean }[] = [
    { to: '/dashboard', label: t('nav.dashboard'), current: path === '/' || path.startsWith('/dashboard') },
    { to: '/regions', label: t('nav.regions'), current: path.startsWith('/regions') },
    { to: '/admin/users', label: t('nav.users'), current: path.startsWith('/admin/users') },
    { to: '/admin/enterprises', label: t('nav.enterprises'), current: path.startsWith('/admin/enterprises') },
    { to: '/admin/support', label: t('nav.support'), current: path.startsWith('/admin/support') },
    { to: '/admin/audit', label: t('nav.audit'), current: path.startsWith('/admin/audit') },
  ];
  return (
    <>
      {links.map((l) => (
        <Link key={l.to} to={l.to} aria-current={l.current ? 'page' : undefined}>
          {l.label}
        </Link>
      ))}
    </>
  );
}
