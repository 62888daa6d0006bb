// The page frame: a header with the platform's name, the user, 退出 and the language switch.
import { useState, type ReactNode } from 'react';
import { Button, Grid, Layout as AntLayout, Segmented, Tooltip } from 'antd';
import { LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
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
            {isAdministrator(session) ? (
              <>
                <Link to="/dashboard" aria-current={path === '/' || path.startsWith('/dashboard') ? 'page' : undefined}>
                  {t('nav.dashboard')}
                </Link>
                <Link to="/regions" aria-current={path.startsWith('/regions') ? 'page' : undefined}>
                  {t('nav.regions')}
                </Link>
              </>
            ) : (
              <Link to="/">{t('nav.selfDiagnosis')}</Link>
            )}
          </nav>
        )}
        <div className="header-right">
          {session && (
            <span className="header-user" title={t('header.user')}>
              <UserOutlined aria-hidden="true" />
              <span className="sr-only">{t('header.user')}{colon}</span>
              {!narrow && <span>{session.user.username}</span>}
            </span>
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
    </AntLayout>
  );
}
