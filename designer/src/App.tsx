// The designer application: language, session, the list of rulesets and the editor.
import { App as AntApp, Button, ConfigProvider, Layout, Result, Select, Spin, Space, Typography } from 'antd';
import { enUS, zhCN } from '../../ui/antdLocales.ts';
import { Redirect, Router, usePath } from '../../ui/router.tsx';
import { LocaleProvider, useLocale, useT } from './i18n.tsx';
import { SessionProvider, useSession, DESIGNER_ROLES } from './session.tsx';
import { api } from './api.ts';
import { LoginPage } from './pages/Login.tsx';
import { SetupPage } from './pages/Setup.tsx';
import { RulesetListPage } from './pages/RulesetList.tsx';
import { EditorPage } from './pages/Editor.tsx';

const FONTS = "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif";

function Header() {
  const { locale, setLocale, t } = useLocale();
  const { session, refresh } = useSession();
  return (
    <Layout.Header className="designer-header">
      <a href="#/" className="designer-brand">
        Ladder · {t('app.title')}
      </a>
      <Space>
        {session && (
          <>
            <Typography.Text className="designer-user">{session.user.username}</Typography.Text>
            <Button size="small" onClick={async () => (await api.logout().catch(() => {}), await refresh(), (location.hash = '#/'))}>
              {t('app.logout')}
            </Button>
          </>
        )}
        <Select size="small" aria-label={t('app.language')} value={locale} onChange={setLocale} options={[{ value: 'zh', label: '中文' }, { value: 'en', label: 'English' }]} />
      </Space>
    </Layout.Header>
  );
}

function Pages() {
  const { session } = useSession();
  const t = useT();
  const path = usePath();
  // The one-time link for the first administrator arrives as #setup=TOKEN.
  const setupToken = new URLSearchParams(path.replace(/^\//, '')).get('setup');
  if (session === undefined) return <Spin style={{ margin: 48 }} />;
  // Once someone is logged in (the administrator just created, say) the link has done its work.
  if (setupToken) return session === null ? <SetupPage token={setupToken} /> : <Redirect to="/" />;
  if (session === null) return <LoginPage />;
  if (!(DESIGNER_ROLES as readonly string[]).includes(session.user.role))
    return <Result status="403" title={t('app.forbidden')} subTitle={t('app.forbiddenHint')} />;
  return (
    <Router
      routes={[
        { pattern: '/', render: () => <RulesetListPage /> },
        { pattern: '/edit/:id/:version', render: (p) => <EditorPage key={`${p.id}@${p.version}`} id={p.id} version={p.version} /> },
      ]}
      fallback={<Result status="404" title={t('app.notFound')} extra={<Button href="#/">{t('app.backToList')}</Button>} />}
    />
  );
}

function Themed() {
  const { locale } = useLocale();
  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#0b4f9c', fontFamily: FONTS, borderRadius: 4 } }}>
      <AntApp>
        <Layout className="designer">
          <Header />
          <Layout.Content className="designer-content">
            <Pages />
          </Layout.Content>
        </Layout>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <LocaleProvider>
      <SessionProvider>
        <Themed />
      </SessionProvider>
    </LocaleProvider>
  );
}
