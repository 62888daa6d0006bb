// 预评估 (GB/T 39117 step 2) on an accepted application: the body's manager names the team, the
// chief assessor confirms the scope, this enterprise's weights and its readiness. What may be
// chosen (excludable nodes, weight bounds) comes from the server, which asks the engine; the
// server also decides whether a choice stands.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Checkbox, Form, Input, InputNumber, Modal, Radio, Select, Table, Typography } from 'antd';
import { ApiError } from '../../api.ts';
import { useI18n } from '../../i18n.tsx';
import { useAsync } from '../../util.tsx';
import { assessmentApi, type Application, type Assessor } from './assessmentApi.ts';

function Problem({ error }: { error?: ApiError }) {
  if (!error) return null;
  const more = error.details.filter((d) => d.message && d.message !== error.message);
  return <Alert type="error" showIcon role="alert" message={error.message} description={more.length ? more.map((d) => <div key={d.field + d.message}>{d.message}</div>) : undefined} />;
}

/** The manager picks the team: the body's assessors, an affiliated one shown but not choosable. */
export function TeamModal({ application, onClose, onSaved }: { application: Application; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const assessors = useAsync(() => assessmentApi.assessors(application.body.id), [application.body.id]);
  const [members, setMembers] = useState<string[]>(application.preAssessment?.team?.members.map((m) => m.id) ?? []);
  const [chief, setChief] = useState<string | undefined>(application.preAssessment?.team?.chief.id);
  const [error, setError] = useState<ApiError>();
  const affiliated = (a: Assessor) => a.affiliations.includes(application.enterprise.creditCode);
  const label = (a: Assessor) => `${a.username}（${a.certificateNumber}）`;
  const options = (assessors.data ?? []).filter((a) => !a.disabled).map((a) => ({ value: a.id, label: affiliated(a) ? `${label(a)} · ${t('assessment.affiliated')}` : label(a), disabled: affiliated(a) }));
  const save = async () => {
    setError(undefined);
    try {
      await assessmentApi.setTeam(application.id, { chief: chief ?? '', members });
      onSaved();
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    }
  };
  return (
    <Modal open title={t('assessment.teamTitle', { name: application.enterprise.name })} okText={t('regions.save')} onOk={() => void save()} onCancel={onClose} destroyOnHidden>
      {assessors.error && <Problem error={assessors.error} />}
      <Form layout="vertical">
        <Form.Item label={t('assessment.teamMembers')} required extra={t('assessment.teamMembersHint')}>
          <Select mode="multiple" aria-label={t('assessment.teamMembers')} loading={assessors.loading} value={members} onChange={(v: string[]) => (setMembers(v), chief && !v.includes(chief) && setChief(undefined))} options={options} optionFilterProp="label" />
        </Form.Item>
        <Form.Item label={t('assessment.chief')} required>
          <Select aria-label={t('assessment.chief')} value={chief} onChange={setChief} options={options.filter((o) => members.includes(o.value))} />
        </Form.Item>
      </Form>
      <Problem error={error} />
    </Modal>
  );
}

/** The chief confirms the scope, the weights and the readiness. */
export function PreAssessmentModal({ application, onClose, onSaved }: { application: Application; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const options = useAsync(() => assessmentApi.preAssessmentOptions(application.id), [application.id]);
  const before = application.preAssessment;
  const [excluded, setExcluded] = useState<string[]>(before?.excluded ?? []);
  const [weights, setWeights] = useState<Record<string, number>>(before?.weights ?? {});
  const [ready, setReady] = useState<boolean>(before?.ready ?? true);
  const [note, setNote] = useState(before?.readinessNote ?? '');
  const [error, setError] = useState<ApiError>();
  const groups = options.data?.weightGroups ?? [];
  // Weights start at the defaults (or what was confirmed before).
  useEffect(() => {
    if (!options.data || Object.keys(weights).length) return;
    setWeights(Object.fromEntries(groups.flatMap((g) => g.nodes.map((n) => [n.id, n.default]))));
  }, [options.data]);
  const changed = useMemo(() => groups.some((g) => g.nodes.some((n) => Math.abs((weights[n.id] ?? n.default) - n.default) > 1e-9)), [groups, weights]);
  const save = async () => {
    setError(undefined);
    try {
      await assessmentApi.confirmPreAssessment(application.id, { excluded, ...(changed ? { weights } : {}), ready, note });
      onSaved();
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    }
  };
  return (
    <Modal open width={760} title={t('assessment.preTitle', { name: application.enterprise.name })} okText={t('assessment.preConfirm')} onOk={() => void save()} onCancel={onClose} destroyOnHidden className="pre-assessment">
      {options.error && <Problem error={options.error} />}
      <Typography.Title level={5}>{t('assessment.scope')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('assessment.scopeHint')}</Typography.Paragraph>
      <div className="pre-tailoring">
        {(options.data?.tailoring ?? []).map((c) => (
          <Checkbox
            key={c.id}
            className={c.parent ? 'tailoring-child' : undefined}
            disabled={!c.excludable || (!!c.parent && excluded.includes(c.parent))}
            checked={excluded.includes(c.id) || (!!c.parent && excluded.includes(c.parent))}
            onChange={(e) => setExcluded((x) => (e.target.checked ? [...x, c.id] : x.filter((y) => y !== c.id)))}
          >
            {t('assessment.exclude', { name: c.name })}
            {c.reason && <Typography.Text type="secondary"> · {c.reason}</Typography.Text>}
          </Checkbox>
        ))}
      </div>
      {groups.length > 0 && (
        <>
          <Typography.Title level={5}>{t('assessment.weights')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('assessment.weightsHint')}</Typography.Paragraph>
          {groups.map((g) => (
            <Table
              key={g.parent?.id ?? 'top'}
              size="small"
              pagination={false}
              rowKey="id"
              title={() => g.parent?.name}
              dataSource={g.nodes}
              columns={[
                { title: t('assessment.node'), dataIndex: 'name' },
                { title: t('assessment.defaultWeight'), width: 110, render: (_, n) => +n.default.toFixed(4) },
                {
                  title: t('assessment.weight'),
                  width: 150,
                  render: (_, n) => (
                    <InputNumber aria-label={`${n.name} ${t('assessment.weight')}`} min={+n.min.toFixed(4)} max={+n.max.toFixed(4)} step={0.01} value={weights[n.id] ?? n.default} onChange={(v) => setWeights((w) => ({ ...w, [n.id]: v ?? n.default }))} />
                  ),
                },
              ]}
              footer={() => t('assessment.weightSum', { sum: +g.nodes.reduce((s, n) => s + (weights[n.id] ?? n.default), 0).toFixed(4) })}
            />
          ))}
        </>
      )}
      <Typography.Title level={5}>{t('assessment.readiness')}</Typography.Title>
      <Radio.Group value={ready} onChange={(e) => setReady(e.target.value)} options={[{ value: true, label: t('assessment.ready') }, { value: false, label: t('assessment.notReady') }]} />
      <Input.TextArea aria-label={t('assessment.readinessNote')} placeholder={t('assessment.readinessNote')} rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} style={{ marginTop: 8 }} />
      <div style={{ marginTop: 12 }}>
        <Problem error={error} />
      </div>
    </Modal>
  );
}
