// The runtime's forms for any level and tailoring, answered here to see the level scores, S, the
// level and the trace change live (a what-if simulator); the answers can become a test case.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Col, Descriptions, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { answerScoring, buildForm, indexRuleset, resultView, score, type AnswerValue, type NodeTrace, type ResultView } from '../../../engine/index.ts';
import { QuestionForm } from '../../../ui/questionForm/QuestionForm.tsx';
import { useLocale, useT, useText } from '../i18n.tsx';
import { useEditor } from '../editor/EditorContext.tsx';
import { useWhatIf, whatIf } from '../editor/whatIf.ts';
import { freshId } from './common.tsx';

const fmt = (x: number | null | undefined, d = 4) => (x === null || x === undefined ? '—' : Number(x.toFixed(d)).toString());

export function PreviewSection() {
  const t = useT();
  const tx = useText();
  const { locale } = useLocale();
  const { doc, edit, readOnly, goTo, schemaValid } = useEditor();
  const w = useWhatIf();
  const [level, setLevel] = useState(doc.flow.startLevel);
  const index = indexRuleset(doc);
  useEffect(() => {
    if (!doc.industryTypes.some((it) => it.id === w.industryType)) whatIf.reset(doc.industryTypes[0]?.id ?? '');
  }, [doc.industryTypes]);
  const industryType = w.industryType || doc.industryTypes[0]?.id;

  const computed = useMemo(() => {
    if (!schemaValid) return { error: t('preview.invalid') };
    try {
      const form = buildForm(doc, { level, industryType, excluded: w.excluded, locale });
      const result = score(doc, { industryType, excluded: w.excluded, answers: w.answers }, 'summary');
      return { form, result };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }, [doc, level, industryType, w.excluded, w.answers, locale, schemaValid]);

  // The outcome as the engine tells it everywhere (X as shown, words, the trace in the UI's language).
  const [view, setView] = useState<ResultView>();
  useEffect(() => {
    if (!('result' in computed) || !computed.result) return setView(undefined);
    let live = true;
    resultView(doc, { industryType, excluded: w.excluded, answers: w.answers, facts: { industryType }, trace: true }, locale).then(
      (v) => live && setView(v),
      () => live && setView(undefined),
    );
    return () => void (live = false);
  }, [computed]);

  const tailorable = index.nodes.filter((n) => n.node.tailorable && !n.node.mandatory);
  const levelQuestions = 'form' in computed && computed.form ? computed.form.questionIds : [];
  // Each question gets the option its score on the scale says (全部满足 → the option worth 1), whatever its letter.
  const fill = (scaleScore: number) => {
    const answers = { ...w.answers };
    for (const id of levelQuestions) {
      const q = index.questionById.get(id)?.question;
      const a = q && answerScoring(q, scaleScore);
      if (a !== undefined) answers[id] = a;
    }
    whatIf.set({ answers });
  };
  const saveAsTest = () => {
    if (!('result' in computed) || !computed.result) return;
    const r = computed.result;
    const id = freshId('case', (doc.tests ?? []).map((x) => x.id));
    edit(['tests', (doc.tests ?? []).length], {
      id,
      name: { zh: `预览答案：${r.level} 级，S = ${fmt(r.total)}`, en: `Preview answers: level ${r.level}, S = ${fmt(r.total)}` },
      industryType,
      ...(w.excluded.length ? { excluded: w.excluded } : {}),
      answers: w.answers,
      expect: { level: r.level, score: Number(r.total.toFixed(doc.scoring.total.decimals ?? 4)), tolerance: 0.0001 },
    });
    goTo({ section: 'tests' });
  };

  return (
    <Row gutter={12}>
      <Col span={14}>
        <Card
          size="small"
          title={t('preview.heading')}
          extra={
            <Space wrap>
              <Select aria-label={t('preview.industryType')} value={industryType} style={{ minWidth: 120 }} onChange={(v) => whatIf.set({ industryType: v })} options={doc.industryTypes.map((it) => ({ value: it.id, label: tx(it.name) }))} />
              <Select aria-label={t('preview.levelSelect')} value={level} style={{ minWidth: 120 }} onChange={setLevel} options={doc.levels.map((l) => ({ value: l.number, label: `${l.code} ${tx(l.name)}` }))} />
            </Space>
          }
        >
          {tailorable.length > 0 && (
            <div className="preview-tailoring">
              <Typography.Text type="secondary">{t('preview.tailoredOut')}</Typography.Text>
              <Checkbox.Group
                value={w.excluded}
                onChange={(v) => whatIf.set({ excluded: v as string[] })}
                options={tailorable.map((n) => ({ value: n.id, label: tx(n.node.name) }))}
              />
            </div>
          )}
          <Space wrap style={{ margin: '8px 0' }}>
            <Typography.Text type="secondary">{t('preview.fillLevel')}</Typography.Text>
            {doc.scoring.scale.map((s, i) => (
              <Button key={i} size="small" onClick={() => fill(s.score)}>
                {tx(s.label)}
              </Button>
            ))}
            <Button size="small" onClick={() => whatIf.set({ answers: {} })}>
              {t('preview.clear')}
            </Button>
          </Space>
          {'error' in computed ? (
            <Alert type="warning" showIcon message={computed.error} />
          ) : computed.form.questionIds.length === 0 ? (
            <Alert type="info" showIcon message={t('preview.noQuestions')} />
          ) : (
            <div className="preview-form">
              <QuestionForm form={computed.form} values={w.answers} locale={locale} levelName={tx(doc.levels.find((l) => l.number === level)?.name)} onChange={(changes) => whatIf.set({ answers: applyChanges(w.answers, changes) })} />
            </div>
          )}
        </Card>
      </Col>
      <Col span={10}>
        {view && <Outcome view={view} level={level} onSaveTest={readOnly ? undefined : saveAsTest} />}
      </Col>
    </Row>
  );
}

function applyChanges(answers: Record<string, AnswerValue>, changes: Record<string, AnswerValue | null>) {
  const next = { ...answers };
  for (const [id, v] of Object.entries(changes)) {
    if (v === null) delete next[id];
    else next[id] = v;
  }
  return next;
}

function Outcome({ view, level, onSaveTest }: { view: ResultView; level: number; onSaveTest?: () => void }) {
  const t = useT();
  const tx = useText();
  const { doc } = useEditor();
  const index = indexRuleset(doc);
  const trace = view.trace?.find((l) => l.level === level);
  const nodeName = (id: string) => tx(index.nodeById.get(id)?.node.name) || id;
  const rows = (nodes: NodeTrace[]): (NodeTrace & { key: string; children?: unknown[] })[] =>
    nodes.map((n) => ({ ...n, key: n.id, children: n.children?.length ? rows(n.children) : undefined }));
  return (
    <Space direction="vertical" style={{ width: '100%' }} className="what-if">
      <Card size="small" title={t('preview.result')} extra={onSaveTest && <Button size="small" onClick={onSaveTest}>{t('preview.saveAsTest')}</Button>}>
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t('preview.level')}>
            <Tag color="blue" className="what-if-level">
              {view.level}
            </Tag>
            {view.levelName}
          </Descriptions.Item>
          <Descriptions.Item label={t('preview.total')}>
            <span className="what-if-total">{view.total.text}</span>
            {view.band && <Typography.Text type="secondary">{` ${view.band.label}（${view.band.range}）`}</Typography.Text>}
          </Descriptions.Item>
        </Descriptions>
        <Table
          size="small"
          pagination={false}
          style={{ marginTop: 8 }}
          rowKey="level"
          dataSource={view.levels}
          columns={[
            { title: t('preview.level'), render: (_, l) => `${l.code} ${l.name}` },
            { title: 'Xₙ', render: (_, l) => l.score?.text ?? '—' },
            { title: t('preview.col.threshold'), render: (_, l) => `≥ ${l.threshold.text}` },
            { title: t('preview.col.outcome'), render: (_, l) => <Tag color={l.outcome === 'reached' ? 'green' : l.outcome === 'notReached' ? 'red' : undefined}>{l.outcomeText}</Tag> },
          ]}
        />
        {view.policies.length > 0 && (
          <div style={{ marginTop: 8 }}>
            <Typography.Text strong>{t('preview.policies')}</Typography.Text>
            {view.policies.map((p) => (
              <Tag key={p.id} color="gold">
                {p.name}
              </Tag>
            ))}
          </div>
        )}
      </Card>
      {trace && (
        <Card size="small" title={t('preview.trace', { code: doc.levels.find((l) => l.number === level)?.code ?? level })}>
          <Typography.Paragraph code className="trace-formula">
            {trace.formula}
          </Typography.Paragraph>
          <Table
            size="small"
            pagination={false}
            dataSource={rows(trace.nodes)}
            expandable={{ defaultExpandAllRows: true }}
            columns={[
              { title: t('preview.col.node'), render: (_, n) => nodeName(n.id) },
              { title: t('preview.col.score'), render: (_, n) => fmt(n.score, 3) },
              { title: t('preview.col.weight'), render: (_, n) => fmt(n.weight, 3) },
              { title: t('preview.col.share'), render: (_, n) => fmt(n.share, 3) },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
