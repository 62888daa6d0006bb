// 自诊断结果: the level, S and how it is totalled, X1..Xn, the scores per domain (table and radar),
// the domains left out, and the policies that apply.
import { useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, List, Progress, Row, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import { FileTextOutlined, HomeOutlined, TrophyOutlined } from '@ant-design/icons';
import { api, type DiagnosisResult, type ResultNode, type RulesetRef } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.tsx';
import { Link, navigate } from '../../../ui/router.tsx';
import { Loaded, useAsync, xName } from '../util.tsx';
import { Radar } from '../components/Radar.tsx';
import { PdfDownload } from '../components/PdfDownload.tsx';

export function ResultPage({ id }: { id: string }) {
  const data = useAsync(async () => {
    const [result, diagnosis] = await Promise.all([api.result(id), api.diagnosis(id)]);
    return { result, diagnosis };
  }, [id]);
  return (
    <div className="page">
      <Loaded a={data}>{({ result, diagnosis }) => <ResultView id={id} result={result} ruleset={diagnosis.ruleset} />}</Loaded>
    </div>
  );
}

type DomainRow = Omit<ResultNode, 'children'> & { key: string; children?: DomainRow[] };

function ResultView({ id, result, ruleset }: { id: string; result: DiagnosisResult; ruleset: RulesetRef }) {
  const { t, list, locale, colon, paren } = useI18n();
  const toRows = (nodes: ResultNode[]): DomainRow[] => nodes.map(({ children, ...n }) => ({ ...n, key: n.id, ...(children?.length ? { children: toRows(children) } : {}) }));
  // The profile's level first (the engine orders them so); the other assessed levels one click away.
  const [shownLevel, setShownLevel] = useState(result.trees[0]?.level);
  const shown = result.trees.find((l) => l.level === shownLevel) ?? result.trees[0];
  const rows = toRows(shown?.nodes ?? []);
  const profile = result.profile;
  const levelSwitch =
    result.trees.length > 1 ? (
      <Segmented size="small" aria-label={t('result.treeLevel')} value={shown?.level} onChange={(v) => setShownLevel(Number(v))} options={result.trees.map((l) => ({ value: l.level, label: l.name }))} />
    ) : null;
  const layerNames = result.layers.map((l) => l.name).join(' / ');
  const leafList = (items: DiagnosisResult['strengths']) => (
    <ul className="plain-list leaf-list">
      {items.map((l) => (
        <li key={l.id}>
          <span>
            {l.name}
            {l.path.length > 0 && <Typography.Text type="secondary">{paren(l.path.join(' / '))}</Typography.Text>}
          </span>
          <strong className="leaf-score">{l.score.text}</strong>
        </li>
      ))}
    </ul>
  );

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
            <Statistic title={t('result.level')} value={result.levelName} prefix={<TrophyOutlined aria-hidden="true" />} styles={{ content: { color: '#1559b3', fontWeight: 600 } }} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('result.score')} value={result.total.text} />
            {result.band && (
              <Typography.Text type="secondary" className="band-range">
                {result.band.label}
                {paren(result.band.range)}
              </Typography.Text>
            )}
          </Col>
          <Col xs={12} md={10}>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('result.totalRule')}>{result.totalRule.text}</Descriptions.Item>
              <Descriptions.Item label={t('result.ruleset')}>
                {ruleset.title}
                {paren(`${ruleset.id}@${ruleset.version}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('result.finishedAt')}>{result.finishedAt?.dateTime ?? '—'}</Descriptions.Item>
            </Descriptions>
          </Col>
        </Row>
        {result.consistent === false && <Alert type="info" showIcon title={t('result.inconsistent')} className="result-note" />}
        {result.disclaimer && <Alert type="warning" showIcon title={result.disclaimer} className="result-note disclaimer" data-testid="disclaimer" />}
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
                { title: t('result.col.score'), key: 'score', align: 'right', render: (_, l) => l.score?.text ?? '—' },
                { title: t('result.col.threshold'), key: 'threshold', align: 'right', render: (_, l) => `≥ ${l.threshold.text}` },
                {
                  title: t('result.col.outcome'),
                  key: 'outcome',
                  render: (_, l) => <Tag color={l.outcome === 'reached' ? 'success' : l.outcome === 'notReached' ? 'error' : undefined}>{l.outcomeText}</Tag>,
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-title">{profile ? t('result.radarOf', { layer: profile.layer.name, level: profile.name }) : t('result.radar')}</h2>}>
            {profile && profile.groups.length >= 3 ? (
              <Radar items={profile.groups.map((g) => ({ name: g.name, score: g.score.value, text: g.score.text }))} title={t('result.radarOf', { layer: profile.layer.name, level: profile.name })} size={380} />
            ) : (
              <Empty />
            )}
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={<h2 className="card-title">{shown ? t('result.treeOf', { level: shown.name }) : t('result.tree')}</h2>} extra={levelSwitch}>
            <Table<DomainRow>
              size="small"
              pagination={false}
              dataSource={rows}
              expandable={{ defaultExpandedRowKeys: rows.map((r) => r.key) }}
              scroll={{ x: 480 }}
              columns={[
                { title: layerNames, dataIndex: 'name', key: 'name' },
                {
                  title: t('result.col.score'),
                  key: 'score',
                  width: '55%',
                  render: (_, n) => <Progress percent={Math.round((n.score?.value ?? 0) * 100)} format={() => n.score?.text ?? '—'} aria-label={`${n.name} ${n.score?.text ?? '—'}`} />,
                },
              ]}
            />
          </Card>
        </Col>
        {profile && result.strengths.length > 0 && (
          <>
            <Col xs={24} md={12}>
              <Card title={<h2 className="card-title">{t('result.strengths', { level: profile.name })}</h2>}>{leafList(result.strengths)}</Card>
            </Col>
            <Col xs={24} md={12}>
              <Card title={<h2 className="card-title">{t('result.weaknesses', { level: profile.name })}</h2>}>{leafList(result.weaknesses)}</Card>
            </Col>
          </>
        )}
        <Col xs={24}>
          <Card title={<h2 className="card-title">{result.gap ? t('result.gapTo', { level: result.gap.targetName }) : t('result.gap')}</h2>}>
            {!result.gap ? (
              <Typography.Text type="secondary">{t('result.allReached')}</Typography.Text>
            ) : (
              <>
                <p>{t('result.gapScore', { x: xName(result.gap.targetLevel), score: result.gap.score.text, threshold: result.gap.threshold.text, shortfall: result.gap.shortfall.text })}</p>
                {result.gap.weakSubDomains.length > 0 && (
                  <p>
                    {t('result.gapWeak')}
                    {colon}
                    {list(result.gap.weakSubDomains.map((w) => `${w.name} ${w.score.text}`))}
                  </p>
                )}
                {result.gap.reachable ? (
                  <Table
                    rowKey="questionId"
                    size="small"
                    pagination={false}
                    dataSource={result.gap.changes}
                    scroll={{ x: 560 }}
                    caption={t('result.gapChanges')}
                    columns={[
                      { title: t('result.col.question'), key: 'q', render: (_, c) => `${c.number} ${c.text}` },
                      { title: t('result.col.from'), dataIndex: 'from' },
                      { title: t('result.col.to'), dataIndex: 'to' },
                      { title: t('result.col.gain'), key: 'gain', align: 'right', render: (_, c) => `+${c.gain.text}` },
                    ]}
                  />
                ) : (
                  <Alert type="warning" showIcon title={t('result.gapUnreachable')} />
                )}
              </>
            )}
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
                            {p.amount.text}
                          </span>
                        )}
                      </div>
                      {p.statusText && (
                        <div className={`policy-status policy-${p.status}`}>
                          <Tag color={p.status === 'mayApply' ? 'orange' : 'green'}>{p.statusText}</Tag>
                        </div>
                      )}
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
