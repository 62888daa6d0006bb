// 自诊断结果: the level, S and how it is totalled, X1..Xn, the scores per domain (table and radar),
// the domains left out, and the policies that apply.
import { useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, List, Progress, Row, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import { FileTextOutlined, HomeOutlined, TrophyOutlined } from '@ant-design/icons';
import { api, type DiagnosisResult, type ResultNode, type RulesetRef } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { formatDateTime, formatScore, Loaded, useAsync, xName } from '../util.tsx';
import { Radar } from '../components/Radar.tsx';
import { PdfDownload } from '../components/PdfDownload.tsx';

export function ResultPage({ id }: { id: string }) {
  const data = useAsync(async () => {
    const [result, diagnosis] = await Promise.all([api.result(id), api.diagnosis(id)]);
    return { result, diagnosis };
  }, [id]);
  return (
    <div className="page">
      <Loaded a={data}>{({ result, diagnosis }) => <ResultView id={id} result={result} finishedAt={diagnosis.finishedAt} ruleset={diagnosis.ruleset} />}</Loaded>
    </div>
  );
}

type DomainRow = Omit<ResultNode, 'children'> & { key: string; children?: DomainRow[] };

function ResultView({ id, result, finishedAt, ruleset }: { id: string; result: DiagnosisResult; finishedAt?: string; ruleset: RulesetRef }) {
  const { t, list, locale, colon, paren } = useI18n();
  const ruleKey = `result.rule.${result.totalRule}` as MessageKey;
  const ruleText = ['gatedSum', 'passedPlusNext'].includes(result.totalRule) ? t(ruleKey) : result.totalRule;
  const toRows = (nodes: ResultNode[]): DomainRow[] => nodes.map(({ children, ...n }) => ({ ...n, key: n.id, ...(children?.length ? { children: toRows(children) } : {}) }));
  const [shownLevel, setShownLevel] = useState(result.domainsLevel);
  const shown = result.domainLevels.find((l) => l.level === shownLevel);
  const domains = shown?.domains ?? result.domains;
  const rows = toRows(domains);
  // The radar shows the domains (second layer) when there are enough of them, else the top layer.
  const second = domains.flatMap((d) => d.children ?? []);
  const radarItems = (second.length >= 3 ? second : domains).map((n) => ({ name: n.name, score: n.score ?? 0 }));
  const domainsLevel = shown?.name;
  const levelSwitch =
    result.domainLevels.length > 1 ? (
      <Segmented
        size="small"
        aria-label={t('result.domains')}
        value={shownLevel}
        onChange={(v) => setShownLevel(Number(v))}
        options={result.domainLevels.map((l) => ({ value: l.level, label: l.name }))}
      />
    ) : null;
  const reachedName = result.level > 0 ? result.levelName : result.levelName || t('result.levelNone');

  return (
    <>
      <div className="breadcrumbs">
        <Link to="/">{t('nav.selfDiagnosis')}</Link> / {t('result.title')}
      </div>
      <div className="page-heading">
        <Typography.Title level={1}>{t('result.title')}</Typography.Title>
        <Space wrap>
          <Button icon={<FileTextOutlined aria-hidden="true" />} href={api.reportUrl(id)} target="_blank" rel="noopener">
            {t('home.viewReport')}
          </Button>
          <PdfDownload diagnosisId={id} />
          <Button type="primary" icon={<HomeOutlined aria-hidden="true" />} onClick={() => navigate('/')}>
            {t('common.backHome')}
          </Button>
        </Space>
      </div>
      <Card className="result-summary">
        <Row gutter={[24, 16]} align="middle">
          <Col xs={24} md={8}>
            <Statistic title={t('result.level')} value={reachedName} prefix={<TrophyOutlined aria-hidden="true" />} styles={{ content: { color: '#1559b3', fontWeight: 600 } }} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('result.score')} value={formatScore(result.total)} />
          </Col>
          <Col xs={12} md={10}>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('result.totalRule')}>{ruleText}</Descriptions.Item>
              <Descriptions.Item label={t('result.ruleset')}>
                {ruleset.title}
                {paren(`${ruleset.id}@${ruleset.version}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('result.finishedAt')}>{formatDateTime(finishedAt)}</Descriptions.Item>
            </Descriptions>
          </Col>
        </Row>
        {result.consistent === false && <Alert type="info" showIcon title={t('result.inconsistent')} className="result-note" />}
      </Card>

      <Row gutter={[16, 16]} className="result-grid">
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-title">{t('result.levels')}</h2>}>
            <Table
              rowKey="level"
              size="small"
              pagination={false}
              dataSource={result.levels}
              scroll={{ x: 420 }}
              columns={[
                { title: t('result.col.level'), key: 'name', render: (_, l) => `${l.name}${paren(xName(l.level))}` },
                { title: t('result.col.score'), key: 'score', align: 'right', render: (_, l) => (l.assessed ? formatScore(l.score) : '—') },
                { title: t('result.col.threshold'), key: 'threshold', align: 'right', render: (_, l) => `≥ ${formatScore(l.threshold)}` },
                {
                  title: t('result.col.outcome'),
                  key: 'outcome',
                  render: (_, l) =>
                    !l.assessed ? <Tag>{t('result.notAssessed')}</Tag> : l.reached ? <Tag color="success">{t('result.reached')}</Tag> : <Tag color="error">{t('result.notReached')}</Tag>,
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-title">{t('result.radar')}</h2>} extra={levelSwitch}>
            {radarItems.length >= 3 ? <Radar items={radarItems} title={t('result.radar')} size={380} /> : <Empty />}
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={<h2 className="card-title">{domainsLevel ? t('result.domainsOf', { level: domainsLevel }) : t('result.domains')}</h2>} extra={levelSwitch}>
            <Table<DomainRow>
              size="small"
              pagination={false}
              dataSource={rows}
              expandable={{ defaultExpandedRowKeys: rows.map((r) => r.key) }}
              scroll={{ x: 480 }}
              columns={[
                { title: t('result.col.node'), dataIndex: 'name', key: 'name' },
                {
                  title: t('result.col.score'),
                  key: 'score',
                  width: '55%',
                  render: (_, n) => (
                    <Progress percent={Math.round((n.score ?? 0) * 100)} format={() => formatScore(n.score)} aria-label={`${n.name} ${formatScore(n.score)}`} />
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title={<h2 className="card-title">{t('result.excluded')}</h2>}>
            {result.excluded.length ? <p>{list(result.excluded.map((e) => e.name))}</p> : <Typography.Text type="secondary">{t('result.excludedNone')}</Typography.Text>}
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title={<h2 className="card-title">{t('result.policies')}</h2>}>
            {result.policies.length ? (
              <List
                dataSource={result.policies}
                renderItem={(p) => (
                  <List.Item>
                    <div className="policy">
                      <div className="policy-head">
                        <Tag color={p.kind === 'award' ? 'gold' : p.kind === 'requirement' ? 'blue' : 'default'}>{t(`result.policy.${p.kind}` as MessageKey)}</Tag>
                        <strong>{p.name}</strong>
                        {p.amount !== undefined && (
                          <span className="policy-amount">
                            {t('result.amount')}
                            {colon}
                            {typeof p.amount === 'number' ? p.amount : `${p.amount.value.toLocaleString(locale === 'en' ? 'en' : 'zh-CN')} ${p.amount.unit}`}
                          </span>
                        )}
                      </div>
                      <div>{p.text}</div>
                      {p.source && <Typography.Text type="secondary">{p.source}</Typography.Text>}
                    </div>
                  </List.Item>
                )}
              />
            ) : (
              <Typography.Text type="secondary">{t('result.policiesNone')}</Typography.Text>
            )}
          </Card>
        </Col>
        {result.indicators && result.indicators.length > 0 && (
          <Col xs={24}>
            <Card title={<h2 className="card-title">{t('result.indicators')}</h2>}>
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={result.indicators}
                scroll={{ x: 480 }}
                columns={[
                  { title: t('indicators.title'), dataIndex: 'label' },
                  { title: t('indicators.value'), dataIndex: 'value', align: 'right', render: (v: number | null | undefined) => (v === null || v === undefined ? '—' : v) },
                  { title: t('indicators.formula'), dataIndex: 'formula' },
                ]}
              />
            </Card>
          </Col>
        )}
      </Row>
    </>
  );
}
