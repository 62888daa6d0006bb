// 正式评估 (GB/T 39117 step 3) for the team: the chief assigns each requirement to the team members
// who score it and follows the progress; an assessor scores the requirements assigned to it, with
// a written finding, and asks the enterprise for more evidence (补充材料). The server decides who
// sees which requirement and score; this page shows what it is given.
import { useState } from 'react';
import { Alert, App, Button, Card, Input, Progress, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { ApiError } from '../../api.ts';
import { useI18n } from '../../i18n.tsx';
import { useSession } from '../../session.tsx';
import { LoadError, Loading, useAsync } from '../../util.tsx';
import { Link } from '../../../../ui/router.tsx';
import { assessmentApi, type Requirement } from './assessmentApi.ts';

export function FormalAssessmentPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { session } = useSession();
  const me = session?.user.id;
  const application = useAsync(() => assessmentApi.application(id), [id]);
  const work = useAsync(() => assessmentApi.requirements(id), [id]);
  const [error, setError] = useState<ApiError>();
  const team = application.data?.preAssessment?.team;
  const chief = !!team && team.chief.id === me;
  const scoredBy = work.data?.scoredBy ?? 1;

  const act = async (run: () => Promise<unknown>) => {
    setError(undefined);
    try {
      const next = await run();
      if (next && typeof next === 'object' && 'requirements' in next) work.setData(next as never);
      message.success(t('assessment.done'));
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    }
  };

  /** Spreads the unassigned requirements over the team in turn, scoredBy members each; the server checks. */
  const spread = () => {
    if (!team || !work.data) return;
    const members = team.members.map((m) => m.id);
    const open = work.data.requirements.filter((r) => !(r.assessors ?? []).length);
    const assignments = Object.fromEntries(open.map((r, i) => [r.id, Array.from({ length: Math.min(scoredBy, members.length) }, (_, k) => members[(i + k) % members.length])]));
    void act(() => assessmentApi.assign(id, assignments));
  };

  if (application.error) return <LoadError error={application.error} onRetry={application.reload} />;
  if (work.error) return <LoadError error={work.error} onRetry={work.reload} />;
  if (!application.data || !work.data) return <Loading />;
  const p = work.data.progress;

  const columns: TableColumnsType<Requirement> = [
    { title: t('assessment.requirement'), width: 320, render: (_, r) => <div><span className="mono">{r.number}</span> {r.text}</div> },
    {
      title: t('assessment.assessors'),
      width: 240,
      render: (_, r) =>
        chief ? (
          <Select
            mode="multiple"
            size="small"
            style={{ width: '100%' }}
            aria-label={`${r.number} ${t('assessment.assessors')}`}
            maxCount={scoredBy}
            value={(r.assessors ?? []).map((a) => a.id)}
            options={(team?.members ?? []).map((m) => ({ value: m.id, label: m.username }))}
            onChange={(v: string[]) => v.length === scoredBy && void act(() => assessmentApi.assign(id, { [r.id]: v }))}
          />
        ) : (
          (r.assessors ?? []).map((a) => a.username).join('、')
        ),
    },
    {
      title: t('assessment.scores'),
      render: (_, r) => <ScoreCell requirement={r} me={me} chief={chief} onScore={(option, finding) => act(() => assessmentApi.score(id, r.id, option, finding))} onRequest={(text) => act(() => assessmentApi.request(id, r.id, text))} />,
    },
  ];

  return (
    <div className="page page-wide admin-page formal-assessment">
      <Link to="/assessment/applications">← {t('assessment.bodyTitle')}</Link>
      <Typography.Title level={1}>{t('assessment.formalTitle', { name: application.data.enterprise.name })}</Typography.Title>
      <Card>
        <Space wrap size="large" align="center">
          <Progress type="circle" size={64} percent={p.inScope ? Math.round((p.scored / p.inScope) * 100) : 0} />
          <Typography.Text>{t('assessment.progress', { scored: p.scored, assigned: p.assigned, total: p.inScope })}</Typography.Text>
          {chief && p.assigned < p.inScope && <Button onClick={spread}>{t('assessment.spread')}</Button>}
        </Space>
        {error && <Alert type="error" showIcon role="alert" message={error.message} style={{ marginTop: 12 }} />}
        <Table className="requirements" rowKey="id" size="small" columns={columns} dataSource={work.data.requirements} pagination={{ pageSize: 50 }} scroll={{ x: 900 }} style={{ marginTop: 16 }} />
      </Card>
    </div>
  );
}

function ScoreCell({ requirement: r, me, chief, onScore, onRequest }: { requirement: Requirement; me?: string; chief: boolean; onScore: (option: string, finding: string) => Promise<unknown>; onRequest: (text: string) => Promise<unknown> }) {
  const { t } = useI18n();
  const mine = r.scores?.find((s) => s.assessor === me);
  const [option, setOption] = useState(mine?.option);
  const [finding, setFinding] = useState(mine?.finding ?? '');
  const [asking, setAsking] = useState('');
  const assigned = (r.assessors ?? []).some((a) => a.id === me);
  const others = (r.scores ?? []).filter((s) => s.assessor !== me);
  const name = (id: string) => r.assessors?.find((a) => a.id === id)?.username ?? id;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {chief && others.map((s) => <Typography.Text key={s.assessor} type="secondary">{`${name(s.assessor)}：${r.options.find((o) => o.id === s.option)?.label ?? s.option} · ${s.finding}`}</Typography.Text>)}
      {assigned && (
        <Space wrap align="start">
          <Select size="small" style={{ width: 140 }} aria-label={`${r.number} ${t('assessment.score')}`} value={option} onChange={setOption} options={r.options.map((o) => ({ value: o.id, label: `${o.id}. ${o.label}` }))} />
          <Input.TextArea aria-label={`${r.number} ${t('assessment.finding')}`} placeholder={t('assessment.finding')} autoSize value={finding} onChange={(e) => setFinding(e.target.value)} style={{ width: 260 }} />
          <Button size="small" type="primary" disabled={!option} onClick={() => option && void onScore(option, finding)}>
            {t('regions.save')}
          </Button>
        </Space>
      )}
      {assigned && (
        <Space wrap>
          <Input size="small" aria-label={`${r.number} ${t('assessment.requestText')}`} placeholder={t('assessment.requestText')} value={asking} onChange={(e) => setAsking(e.target.value)} style={{ width: 260 }} />
          <Button size="small" disabled={!asking.trim()} onClick={() => void onRequest(asking).then(() => setAsking(''))}>
            {t('assessment.requestEvidence')}
          </Button>
        </Space>
      )}
      {r.requests.map((q) => <Typography.Text key={q.id} type="warning">{t('assessment.requested', { text: q.text })}</Typography.Text>)}
    </Space>
  );
}
