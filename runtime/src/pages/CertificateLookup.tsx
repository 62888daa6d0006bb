// 证书查询: anyone, without an account, looks a certificate of conformity up by its number (what
// the QR code on it opens: #/certificates?number=…) or by the enterprise's name or credit code,
// and sees whether it is valid, expired, suspended or revoked.
import { useEffect, useState } from 'react';
import { Alert, Card, Descriptions, Empty, Input, Space, Tag, Typography } from 'antd';
import { api, ApiError, type CertificateFound } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { navigate, usePath } from '../../../ui/router.tsx';

const STATUS_COLOR: Record<CertificateFound['status'], string> = { valid: 'green', expired: 'default', suspended: 'orange', revoked: 'red' };

/** A certificate number looks like PREFIX-YEAR-SEQUENCE; anything else is a name or a credit code. */
const looksLikeNumber = (s: string) => /^[A-Za-z]+[A-Za-z0-9]*(-[A-Za-z0-9]+)+$/.test(s);

export function CertificateLookupPage() {
  const { t } = useI18n();
  const path = usePath();
  const params = new URLSearchParams(path.split('?')[1] ?? '');
  const asked = params.get('number') ?? params.get('q') ?? '';
  const [typed, setTyped] = useState(asked);
  const [found, setFound] = useState<CertificateFound[]>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setTyped(asked);
    if (!asked) return void setFound(undefined);
    let live = true;
    setLoading(true);
    setError(undefined);
    api
      .certificateLookup(params.has('number') ? { number: asked } : { q: asked })
      .then((r) => live && setFound(r.items), (e) => live && (setFound(undefined), setError(e instanceof ApiError ? e.message : String(e))))
      .finally(() => live && setLoading(false));
    return () => void (live = false);
  }, [path]);

  const search = (value: string) => {
    const v = value.trim();
    if (!v) return;
    navigate(`/certificates?${looksLikeNumber(v) ? 'number' : 'q'}=${encodeURIComponent(v)}`);
  };

  return (
    <div className="page certificate-lookup">
      <Typography.Title level={2}>{t('cert.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('cert.intro')}</Typography.Paragraph>
      <Input.Search
        size="large"
        enterButton={t('cert.search')}
        aria-label={t('cert.searchLabel')}
        placeholder={t('cert.placeholder')}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        onSearch={search}
        loading={loading}
        maxLength={60}
      />
      {error && <Alert type="error" showIcon title={error} className="form-alert" role="alert" style={{ marginTop: 16 }} />}
      {found && !found.length && <Empty style={{ marginTop: 32 }} description={t('cert.none')} />}
      {found && found.length > 0 && (
        <Space direction="vertical" size="middle" style={{ width: '100%', marginTop: 16 }} role="list">
          {found.map((c) => (
            <Card key={c.number} role="listitem" className={`certificate certificate-${c.status}`} title={<span className="mono">{c.number}</span>} extra={<Tag color={STATUS_COLOR[c.status]}>{c.statusText}</Tag>}>
              <Descriptions column={{ xs: 1, md: 2 }} size="small">
                <Descriptions.Item label={t('cert.enterprise')}>{c.enterpriseName}</Descriptions.Item>
                <Descriptions.Item label={t('cert.creditCode')}>
                  <span className="mono">{c.creditCode}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('cert.level')}>{c.levelName}</Descriptions.Item>
                <Descriptions.Item label={t('cert.standard')}>{c.standard}</Descriptions.Item>
                <Descriptions.Item label={t('cert.scope')}>{c.scope}</Descriptions.Item>
                <Descriptions.Item label={t('cert.body')}>{c.body}</Descriptions.Item>
                <Descriptions.Item label={t('cert.issuedAt')}>{c.issuedAt}</Descriptions.Item>
                <Descriptions.Item label={t('cert.validUntil')}>{c.validUntil}</Descriptions.Item>
                {c.statusReason && <Descriptions.Item label={t('cert.statusReason')}>{c.statusReason}</Descriptions.Item>}
              </Descriptions>
            </Card>
          ))}
        </Space>
      )}
    </div>
  );
}
