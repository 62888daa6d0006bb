// The authorities' view of their region: counts, the level distribution (each enterprise's last
// valid diagnosis), shares at level 2+ and 3+ beside the region's targets, domains weakest first,
// sub-regions, industries, size bands, the quarterly trend, and the enterprises with benchmarks.
import { useState } from 'react';
import { App, Breadcrumb, Button, Card, Col, Form, Input, InputNumber, Modal, Result, Row, Select, Space, Statistic, Switch, Table, Tag, Typography } from 'antd';
import { api, type Breakdown, type Dashboard, type DashboardEnterprise, type EnterpriseQuery } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { BarChart, LineChart, ScoreBars, levelColor } from '../components/charts.tsx';
import { formatDateTime, formatScore, Loaded, useAsync } from '../util.tsx';
import { navigate } from '../../../ui/router.tsx';

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

const firstQuery = (region: string | undefined): EnterpriseQuery => ({ region, page: 1, pageSize: 20, sort: 'score', order: 'desc' });
const prefetched = new Map<string, Promise<{ total: number; items: DashboardEnterprise[] }>>();
function prefetchEnterprises(q: EnterpriseQuery) {
  const request = api.dashboardEnterprises(q);
  // Not taken when the figures fail (another region): that failure is the one shown.
  request.catch(() => undefined);
  prefetched.set(JSON.stringify(q), request);
}
/** A prefetched answer is used once; later loads (filters, marks) ask again. */
function enterprisesFor(q: EnterpriseQuery) {
  const key = JSON.stringify(q);
  const hit = prefetched.get(key);
  prefetched.delete(key);
  return hit ?? api.dashboardEnterprises(q);
}

export function DashboardPage({ region }: { region?: string }) {
  const { t } = useI18n();
  const dashboard = useAsync(() => {
    // The first page of the enterprise table loads beside the figures, not after them.
    prefetchEnterprises(firstQuery(region));
    return api.dashboard(region);
  }, [region]);
  if (dashboard.error?.status === 404)
    return (
      <div className="page dashboard">
        <Result status="warning" title={dashboard.error.message} extra={<Button type="primary" onClick={() => navigate('/dashboard')}>{t('dash.ownRegion')}</Button>} />
      </div>
    );
  return (
    <div className="page page-wide dashboard">
      <Loaded a={dashboard}>{(d) => <DashboardView d={d} region={region} reload={dashboard.reload} />}</Loaded>
      {!dashboard.data && !dashboard.error && <Typography.Title level={1}>{t('dash.title')}</Typography.Title>}
    </div>
  );
}

function DashboardView({ d, region, reload }: { d: Dashboard; region?: string; reload: () => void }) {
  const { t } = useI18n();
  const open = (code: string | null) => navigate(code ? `/dashboard/${encodeURIComponent(code)}` : '/dashboard');
  // The ruleset's own words for what is averaged, and its threshold as the charts' mark.
  const groupsTitle = t('dash.groups', { layer: d.layers?.groups ?? t('dash.groupsFallback') });
  const leavesTitle = t('dash.weakestLeaves', { layer: d.layers?.leaves ?? t('dash.leavesFallback') });
  const markProps = d.mark !== null ? { mark: { value: d.mark, label: String(d.mark) } } : {};
  const breakdownColumns = [
    { title: t('dash.name'), width: 220, ellipsis: true, render: (_: unknown, r: Breakdown) => (r.section ? <span title={`${r.code} ${r.name}`}>{r.code} {r.name}</span> : r.name) },
    { title: t('dash.registered'), dataIndex: 'registered', width: 110, sorter: (a: Breakdown, b: Breakdown) => a.registered - b.registered },
    { title: t('dash.assessed'), dataIndex: 'assessed', width: 120, sorter: (a: Breakdown, b: Breakdown) => a.assessed - b.assessed },
    { title: t('dash.averageScore'), width: 110, render: (_: unknown, r: Breakdown) => formatScore(r.averageScore), sorter: (a: Breakdown, b: Breakdown) => (a.averageScore ?? -1) - (b.averageScore ?? -1) },
    { title: t('dash.levels'), width: 160, render: (_: unknown, r: Breakdown) => <LevelStrip levels={r.levels} labels={d.levels} /> },
  ];
  return (
    <>
      <div className="page-heading">
        <Typography.Title level={1}>
          {t('dash.title')} · {d.region.name}
        </Typography.Title>
        <TargetsButton d={d} onSaved={reload} />
      </div>
      <Breadcrumb
        className="breadcrumbs"
        items={[{ title: <a onClick={() => open(null)}>{t('dash.wholeCountry')}</a> }, ...d.region.path.map((p) => ({ title: <a onClick={() => open(p.code)}>{p.name}</a> }))]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card className="stat-card">
            <Statistic title={t('dash.registered')} value={d.counts.registered} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card className="stat-card">
            <Statistic title={t('dash.assessed')} value={d.counts.assessed} suffix={d.counts.registered ? <span className="stat-note">/ {percent(d.counts.assessed / d.counts.registered)}</span> : null} />
          </Card>
        </Col>
        {d.shares.map((s) => {
          // A share target, a count target or both: met when every one given is.
          const aims = [s.target !== undefined ? s.share >= s.target : undefined, s.targetCount !== undefined ? s.count >= s.targetCount : undefined].filter((x) => x !== undefined);
          const met = aims.length ? aims.every(Boolean) : undefined;
          const words = [
            ...(s.target !== undefined ? [t('dash.target', { value: percent(s.target) })] : []),
            ...(s.targetCount !== undefined ? [t('dash.targetCount', { count: s.count, target: s.targetCount })] : []),
          ];
          return (
            <Col xs={12} md={6} key={s.level}>
              <Card className={`stat-card ${met === undefined ? '' : met ? 'share-met' : 'share-below'}`}>
                <Statistic title={t('dash.shareAtLeast', { level: s.level })} value={percent(s.share)} suffix={<span className="stat-note">{t('dash.enterprisesCount', { n: s.count })}</span>} />
                <Typography.Text type={met === undefined ? 'secondary' : met ? 'success' : 'danger'}>{words.length ? words.join(t('dash.listSeparator')) : t('dash.noTarget')}</Typography.Text>
              </Card>
            </Col>
          );
        })}
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-title">{t('dash.levels')}</h2>} extra={<Typography.Text type="secondary">{t('dash.levelsNote')}</Typography.Text>}>
            <BarChart title={t('dash.levels')} bars={d.levels.map((l) => ({ label: l.label, value: l.count, color: levelColor(l.level) }))} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-title">{t('dash.trend')}</h2>}>
            {d.trend.length ? (
              <LineChart title={t('dash.trend')} labels={d.trend.map((q) => q.quarter)} series={[{ name: t('dash.trendScore'), values: d.trend.map((q) => q.averageScore), color: '#1677ff' }]} />
            ) : (
              <Typography.Text type="secondary">{t('dash.noData')}</Typography.Text>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-title">{groupsTitle}</h2>}>
            {d.domains.length ? <ScoreBars title={groupsTitle} items={d.domains.map((x) => ({ label: x.name, value: x.average }))} {...markProps} /> : <Typography.Text type="secondary">{t('dash.noData')}</Typography.Text>}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-title">{leavesTitle}</h2>}>
            {d.subDomains.length ? <ScoreBars title={leavesTitle} items={d.subDomains.slice(0, 8).map((x) => ({ label: x.name, value: x.average }))} {...markProps} /> : <Typography.Text type="secondary">{t('dash.noData')}</Typography.Text>}
          </Card>
        </Col>
        {d.bySubRegion.length > 0 && (
          <Col xs={24}>
            <Card title={<h2 className="card-title">{t('dash.subRegions')}</h2>}>
              <Table<Breakdown>
                size="small"
                rowKey="code"
                pagination={false}
                dataSource={[...d.bySubRegion].sort((a, b) => b.registered - a.registered)}
                columns={[{ title: t('dash.name'), render: (_: unknown, r: Breakdown) => <a onClick={() => open(r.code)} title={t('dash.drillDown')}>{r.name}</a> }, ...breakdownColumns.slice(1)]}
              />
            </Card>
          </Col>
        )}
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-title">{t('dash.byIndustry')}</h2>}>
            <Table<Breakdown> size="small" rowKey="code" tableLayout="fixed" scroll={{ x: 720 }} pagination={{ pageSize: 8, hideOnSinglePage: true }} dataSource={d.byIndustry} columns={breakdownColumns} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-title">{t('dash.bySize')}</h2>}>
            <Table<Breakdown> size="small" rowKey="code" tableLayout="fixed" scroll={{ x: 720 }} pagination={false} dataSource={d.bySizeBand} columns={breakdownColumns} />
          </Card>
        </Col>
        <Col xs={24}>
          <EnterpriseTable d={d} region={region} />
        </Col>
      </Row>
    </>
  );
}

/** How many enterprises are at each level, as a thin stacked strip. */
function LevelStrip({ levels, labels }: { levels: Record<string, number>; labels: Dashboard['levels'] }) {
  const total = Object.values(levels).reduce((a, b) => a + b, 0);
  if (!total) return <Typography.Text type="secondary">—</Typography.Text>;
  const described = labels.filter((l) => levels[l.level]).map((l) => `${l.label} ${levels[l.level]}`).join(', ');
  return (
    <div className="level-strip" role="img" aria-label={described} title={described}>
      {labels.map((l) => (levels[l.level] ? <span key={l.level} style={{ width: `${(levels[l.level] / total) * 100}%`, background: levelColor(l.level) }} /> : null))}
    </div>
  );
}

function TargetsButton({ d, onSaved }: { d: Dashboard; onSaved: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  // Every level above the lowest can have a target, not only those the cards show today.
  const targetLevels = d.levels.map((l) => l.level).filter((l) => l > 0);
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t('dash.setTargets')}</Button>
      <Modal
        open={open}
        title={t('dash.setTargets')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={Object.fromEntries(
            d.shares.flatMap((s) => [
              [`l${s.level}`, s.target !== undefined ? Math.round(s.target * 100) : undefined],
              [`c${s.level}`, s.targetCount],
            ]),
          )}
          onFinish={async (v: Record<string, number | undefined>) => {
            const given = (key: string) => (typeof v[key] === 'number' ? v[key] : undefined);
            try {
              await api.setTargets(
                d.region.code ?? undefined,
                targetLevels
                  .filter((level) => given(`l${level}`) !== undefined || given(`c${level}`) !== undefined)
                  .map((level) => ({
                    level,
                    ...(given(`l${level}`) !== undefined ? { share: given(`l${level}`)! / 100 } : {}),
                    ...(given(`c${level}`) !== undefined ? { count: given(`c${level}`)! } : {}),
                  })),
              );
              message.success(t('dash.targetsSaved'));
              setOpen(false);
              onSaved();
            } catch (e) {
              message.error((e as Error).message);
            }
          }}
        >
          {targetLevels.map((level) => (
            <Space key={level} align="start" wrap>
              <Form.Item name={`l${level}`} label={t('dash.shareAtLeast', { level })}>
                <InputNumber min={1} max={100} addonAfter="%" />
              </Form.Item>
              <Form.Item name={`c${level}`} label={t('dash.countAtLeast', { level })}>
                <InputNumber min={1} max={10_000_000} precision={0} addonAfter={t('dash.enterprisesUnit')} />
              </Form.Item>
            </Space>
          ))}
        </Form>
      </Modal>
    </>
  );
}

function EnterpriseTable({ d, region }: { d: Dashboard; region?: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [q, setQ] = useState<EnterpriseQuery>(() => firstQuery(region));
  const list = useAsync(() => enterprisesFor(q), [JSON.stringify(q)]);
  const sortOrder = (key: EnterpriseQuery['sort']) => (q.sort === key ? (q.order === 'asc' ? ('ascend' as const) : ('descend' as const)) : null);
  const set = (patch: Partial<EnterpriseQuery>) => setQ((old) => ({ ...old, page: 1, ...patch }));
  const toggle = async (e: DashboardEnterprise) => {
    try {
      await api.markBenchmark(e.id, !e.benchmark);
      list.reload();
    } catch (err) {
      message.error((err as Error).message);
    }
  };
  return (
    <Card
      title={<h2 className="card-title">{t('dash.enterprises')}</h2>}
      extra={
        <Button href={api.dashboardCsvUrl(q)} download>
          {t('dash.exportCsv')}
        </Button>
      }
    >
      <Space wrap className="actions-bar">
        <Input.Search allowClear placeholder={t('dash.search')} aria-label={t('dash.search')} onSearch={(v) => set({ q: v || undefined })} style={{ width: 260 }} />
        <Select
          aria-label={t('dash.level')}
          style={{ width: 160 }}
          value={q.level ?? 'all'}
          onChange={(v) => set({ level: v === 'all' ? undefined : Number(v) })}
          options={[{ value: 'all', label: t('dash.allLevels') }, ...d.levels.map((l) => ({ value: l.level, label: l.label }))]}
        />
        <Select
          aria-label={t('dash.industry')}
          style={{ width: 220 }}
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('dash.industry')}
          value={q.industry}
          onChange={(v?: string) => set({ industry: v })}
          options={d.byIndustry.map((i) => ({ value: i.code, label: `${i.code} ${i.name}` }))}
        />
        <Select
          aria-label={t('dash.sizeBand')}
          style={{ width: 140 }}
          allowClear
          placeholder={t('dash.sizeBand')}
          value={q.sizeBand}
          onChange={(v?: string) => set({ sizeBand: v })}
          options={d.bySizeBand.map((b) => ({ value: b.code, label: b.name }))}
        />
        <Space>
          <Switch aria-label={t('dash.onlyBenchmarks')} checked={q.benchmark === true} onChange={(v) => set({ benchmark: v || undefined })} />
          {t('dash.onlyBenchmarks')}
        </Space>
      </Space>
      <Table<DashboardEnterprise>
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        onChange={(pagination, _filters, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          setQ((old) => ({
            ...old,
            page: pagination.current ?? 1,
            pageSize: pagination.pageSize ?? 20,
            ...(s?.field ? { sort: s.field as EnterpriseQuery['sort'], order: s.order === 'ascend' ? 'asc' : 'desc' } : {}),
          }));
        }}
        pagination={{ current: q.page, pageSize: q.pageSize, total: list.data?.total ?? 0, showSizeChanger: true, showTotal: (total) => t('dash.total', { total }) }}
        columns={[
          { title: t('dash.name'), dataIndex: 'name', sorter: true, sortOrder: sortOrder('name'), render: (_, e) => <>{e.benchmark && <Tag color="gold">{t('dash.benchmark')}</Tag>}{e.name}</> },
          { title: t('dash.region'), render: (_, e) => e.region.name },
          { title: t('dash.industry'), render: (_, e) => <span title={e.industryName}>{e.industry}</span>, width: 80 },
          { title: t('dash.sizeBand'), render: (_, e) => e.sizeBandName, width: 100 },
          { title: t('dash.level'), dataIndex: 'level', sorter: true, sortOrder: sortOrder('level'), width: 130, render: (_, e) => (e.level === null ? <Typography.Text type="secondary">{t('dash.notAssessed')}</Typography.Text> : e.levelLabel ?? e.level) },
          { title: t('dash.score'), dataIndex: 'score', sorter: true, sortOrder: sortOrder('score'), width: 80, render: (_, e) => formatScore(e.score) },
          { title: t('dash.finishedAt'), dataIndex: 'finishedAt', sorter: true, sortOrder: sortOrder('finishedAt'), width: 150, render: (_, e) => formatDateTime(e.finishedAt) },
          {
            title: '',
            width: 190,
            render: (_, e) => (
              <Space size="small">
                {e.diagnosisId && (
                  <Button size="small" href={api.reportUrl(e.diagnosisId)} target="_blank">
                    {t('dash.report')}
                  </Button>
                )}
                <Button size="small" onClick={() => void toggle(e)}>
                  {e.benchmark ? t('dash.unmarkBenchmark') : t('dash.markBenchmark')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
