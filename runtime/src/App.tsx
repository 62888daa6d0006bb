// The application: language and theme, the session, the page frame and the routes.
import { useEffect, type ReactNode } from 'react';
import { App as AntApp, Button, ConfigProvider, Result } from 'antd';
import { enUS, zhCN } from '../../ui/antdLocales.ts';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn.js';
import { I18nProvider, useI18n } from './i18n.tsx';
import { SessionProvider, useSession } from './session.tsx';
import { Layout } from './Layout.tsx';
import { currentPath, navigate, Router } from '../../ui/router.tsx';
import { Loading, localeTag } from './util.tsx';
import { LoginPage } from './pages/Login.tsx';
import { RegisterPage } from './pages/Register.tsx';
import { ForgotPasswordPage } from './pages/ForgotPassword.tsx';
import { CertificateLookupPage } from './pages/CertificateLookup.tsx';
import { FormalAssessmentPage } from './pages/assessment/FormalAssessment.tsx';
import { ForgotUsernamePage } from './pages/ForgotUsername.tsx';
import { HomePage } from './pages/Home.tsx';
import { DiagnosisPage } from './pages/Diagnosis.tsx';
import { ResultPage } from './pages/Result.tsx';
import { DashboardPage } from './pages/Dashboard.tsx';
import { RegionsPage } from './pages/Regions.tsx';
import { UsersPage } from './pages/admin/Users.tsx';
import { EnterprisesPage } from './pages/admin/Enterprises.tsx';
import { SupportPage } from './pages/admin/Support.tsx';
import { AuditPage } from './pages/admin/Audit.tsx';
import { AccountPage } from './pages/Account.tsx';
import { BodyApplicationsPage, EnterpriseAssessmentPage } from './pages/assessment/Assessment.tsx';

const FONTS_ZH =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif";
const FONTS_EN =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'Liberation Sans', 'DejaVu Sans', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif";

/** Pages that need a session: redirect to the login page (and back afterwards). */
function RequireLogin({ children }: { children: ReactNode }) {
  const { session } = useSession();
  useEffect(() => {
    if (session === null) navigate(`/login?next=${encodeURIComponent(currentPath())}`, { replace: true });
  }, [session]);
  if (!session) return <Loading />;
  return <>{children}</>;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title={t('common.notFound')}
      subTitle={t('common.notFoundHint')}
      extra={
        <Button type="primary" href="#/">
          {t('common.backHome')}
        </Button>
      }
    />
  );
}

function Routes() {
  return (
    <Router
      routes={[
        { pattern: '/login', render: () => <LoginPage /> },
        { pattern: '/register', render: () => <RegisterPage /> },
        { pattern: '/forgot-password', render: () => <ForgotPasswordPage /> },
        { pattern: '/forgot-username', render: () => <ForgotUsernamePage /> },
        { pattern: '/certificates', render: () => <CertificateLookupPage /> },
        { pattern: '/', render: () => <RequireLogin><HomePage /></RequireLogin> },
        { pattern: '/diagnosis/:id', render: (p) => <RequireLogin><DiagnosisPage key={p.id} id={p.id} /></RequireLogin> },
        { pattern: '/regions', render: () => <RequireLogin><RegionsPage /></RequireLogin> },
        { pattern: '/admin/users', render: () => <RequireLogin><UsersPage /></RequireLogin> },
        { pattern: '/admin/enterprises', render: () => <RequireLogin><EnterprisesPage /></RequireLogin> },
        { pattern: '/admin/support', render: () => <RequireLogin><SupportPage /></RequireLogin> },
        { pattern: '/admin/audit', render: () => <RequireLogin><AuditPage /></RequireLogin> },
        { pattern: '/account', render: () => <RequireLogin><AccountPage /></RequireLogin> },
        { pattern: '/assessment', render: () => <RequireLogin><EnterpriseAssessmentPage /></RequireLogin> },
        { pattern: '/assessment/applications', render: () => <RequireLogin><BodyApplicationsPage /></RequireLogin> },
        { pattern: '/assessment/applications/:id', render: (p) => <RequireLogin><FormalAssessmentPage key={p.id} id={p.id} /></RequireLogin> },
        { pattern: '/dashboard', render: () => <RequireLogin><DashboardPage /></RequireLogin> },
        { pattern: '/dashboard/:region', render: (p) => <RequireLogin><DashboardPage key={p.region} region={p.region} /></RequireLogin> },
        { pattern: '/diagnosis/:id/result', render: (p) => <RequireLogin><ResultPage key={p.id} id={p.id} /></RequireLogin> },
      ]}
      fallback={<NotFound />}
    />
  );
}

function Themed() {
  const { locale } = useI18n();
  useEffect(() => {
    dayjs.locale(localeTag(locale));
  }, [locale]);
  return (
    <ConfigProvider
      locale={locale === 'en' ? enUS : zhCN}
      theme={{
        token: {
          colorPrimary: '#1559b3',
          borderRadius: 4,
          // Chinese punctuation from a CJK font in Chinese; Latin quotes and apostrophes from a Latin font in English.
          fontFamily: locale === 'en' ? FONTS_EN : FONTS_ZH,
        },
      }}
    >
      <AntApp>
        <SessionProvider>
          <Layout>
            <Routes />
          </Layout>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Themed />
    </I18nProvider>
  );
}
