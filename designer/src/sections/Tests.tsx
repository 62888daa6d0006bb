// Test cases stored with the ruleset: answers (a whole level given one option, or answers from the
// preview) with the expected level and S. They run here as the author works, in `npx ladder test`,
// and before publishing.
import { useMemo } from 'react';
import { Alert, Button, Card, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { indexRuleset, runRulesetTests, type RulesetTest, type TestOutcome } from '../../../engine/index.ts';
import { useT, useText } from '../i18n.tsx';
import { useEditor } from '../editor/EditorContext.tsx';
import { BaseHint, I18nField } from '../editor/fields.tsx';
import { useReveal } from '../editor/useReveal.ts';
import { freshId, IdInput, ListActions } from './common.tsx';

export function TestsSection() {
  const t = useT();
  const tx = useText();
  const { doc, edit, readOnly, schemaValid } = useEditor();
  useReveal();
  const tests = doc.tests ?? [];
  const outcomes = useMemo(() => {
    if (!schemaValid) return undefined;
    try {
      return new Map(runRulesetTests(doc).map((o) => [o.id, o]));
    } catch (e) {
      return (e as Error).message;
    }
  }, [doc, schemaValid]);
  const passed = outcomes instanceof Map ? [...outcomes.values()].filter((o) => o.passed).length : 0;
  const add = () => {
    const first = doc.levels[0];
    const option = doc.questions.find((q) => q.level === first?.number)?.options?.[0]?.id ?? 'A';
    edit(['tests', tests.length], {
      id: freshId('case', tests.map((x) => x.id)),
      name: { zh: t('tests.defaultName') },
      industryType: doc.industryTypes[0].id,
      fill: first ? { [String(first.number)]: option } : {},
      expect: { level: first?.number ?? 0 },
    } satisfies RulesetTest);
  };
  return (
    <Card
      size="small"
      title={t('tests.heading')}
      extra={
        <Space>
          {outcomes instanceof Map && tests.length > 0 && <Tag color={passed === tests.length ? 'green' : 'red'} className="tests-summary">{t('tests.passed', { passed, total: tests.length })}</Tag>}
          {!readOnly && (
            <Button size="small" type="primary" onClick={add}>
              + {t('tests.addTestCase')}
            </Button>
          )}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        {t('tests.hint')}
      </Typography.Paragraph>
      {typeof outcomes === 'string' && <Alert type="error" showIcon message={outcomes} />}
      {tests.map((test, i) => (
        <TestCase key={i} index={i} test={test} outcome={outcomes instanceof Map ? outcomes.get(test.id) : undefined} count={tests.length} tx={tx} />
      ))}
    </Card>
  );
}

function TestCase({ index, test, outcome, count, tx }: { index: number; test: RulesetTest; outcome?: TestOutcome; count: number; tx: (x: { zh: string; en?: string }) => string }) {
  const t = useT();
  const { doc, edit, readOnly } = useEditor();
  const path = ['tests', index];
  const model = indexRuleset(doc);
  const tailorable = model.nodes.filter((n) => n.node.tailorable && !n.node.mandatory);
  const optionIds = [...new Set(doc.questions.flatMap((q) => (q.options ?? []).map((o) => o.id)))];
  return (
    <Card
      size="small"
      type="inner"
      className="test-case"
      data-pointer={`/tests/${index}`}
      style={{ marginBottom: 12 }}
      title={
        <Space>
          {outcome ? outcome.passed ? <Tag color="green">{t('tests.pass')}</Tag> : <Tag color="red">{t('tests.fail')}</Tag> : null}
          {tx(test.name)}
        </Space>
      }
      extra={<ListActions path={['tests']} index={index} length={count} />}
    >
      {outcome && !outcome.passed && <Alert type="error" showIcon message={outcome.failures.join('；')} style={{ marginBottom: 8 }} />}
      <div className="field-row">
        <label className="field-label">{t('common.id')}</label>
        <div className="field-control">
          <IdInput path={[...path, 'id']} label={t('tests.idAria')} />
        </div>
      </div>
      <I18nField path={[...path, 'name']} label={t('tests.name')} />
      <div className="field-row">
        <label className="field-label">{t('tests.placement')}</label>
        <div className="field-control">
          <Space wrap>
            <Select aria-label={t('tests.industryAria')} disabled={readOnly} value={test.industryType} style={{ minWidth: 140 }} onChange={(v) => edit([...path, 'industryType'], v)} options={doc.industryTypes.map((it) => ({ value: it.id, label: tx(it.name) }))} />
            {tailorable.length > 0 && (
              <Select
                aria-label={t('tests.excluded')}
                mode="multiple"
                disabled={readOnly}
                placeholder={t('tests.excludedNone')}
                value={test.excluded ?? []}
                style={{ minWidth: 220 }}
                onChange={(v: string[]) => edit([...path, 'excluded'], v.length ? v : undefined)}
                options={tailorable.map((n) => ({ value: n.id, label: tx(n.node.name) }))}
              />
            )}
          </Space>
        </div>
      </div>
      <div className="field-row">
        <label className="field-label">{t('tests.answers')}</label>
        <div className="field-control">
          <Table
            size="small"
            pagination={false}
            rowKey="number"
            dataSource={doc.levels}
            columns={[
              { title: t('tests.level'), render: (_, l) => `${l.code} ${tx(l.name)}` },
              {
                title: t('tests.fillLevel'),
                render: (_, l) => (
                  <Select
                    aria-label={t('tests.fillLevelOf', { code: l.code })}
                    disabled={readOnly}
                    allowClear
                    placeholder={t('tests.notAnswered')}
                    style={{ minWidth: 130 }}
                    value={test.fill?.[String(l.number)]}
                    onChange={(v?: string) => {
                      const fill = { ...(test.fill ?? {}) };
                      if (v) fill[String(l.number)] = v;
                      else delete fill[String(l.number)];
                      edit([...path, 'fill'], Object.keys(fill).length ? fill : undefined);
                    }}
                    options={optionIds.map((o) => ({ value: o, label: o }))}
                  />
                ),
              },
            ]}
          />
          {test.answers && (
            <Typography.Text type="secondary">
              {t('tests.individualAnswers', { n: Object.keys(test.answers).length })}
            </Typography.Text>
          )}
        </div>
      </div>
      <div className="field-row">
        <label className="field-label">{t('tests.expected')}</label>
        <div className="field-control">
          <Space wrap>
            <span>{t('tests.level')}</span>
            <InputNumber aria-label={t('tests.expectedLevel')} disabled={readOnly} min={0} value={test.expect.level} onChange={(v) => edit([...path, 'expect', 'level'], typeof v === 'number' ? v : undefined)} />
            <span>{t('tests.total')}</span>
            <InputNumber aria-label={t('tests.expectedTotal')} disabled={readOnly} step={0.01} value={test.expect.score} onChange={(v) => edit([...path, 'expect', 'score'], typeof v === 'number' ? v : undefined)} />
            <span>{t('tests.tolerance')}</span>
            <InputNumber aria-label={t('tests.tolerance')} disabled={readOnly} min={0} step={0.0001} value={test.expect.tolerance} onChange={(v) => edit([...path, 'expect', 'tolerance'], typeof v === 'number' ? v : undefined)} />
          </Space>
          {outcome && (
            <div>
              <Typography.Text type="secondary">
                {t('tests.actual', { level: outcome.result.level, total: outcome.result.total })}
              </Typography.Text>
            </div>
          )}
          <BaseHint path={[...path, 'expect']} />
        </div>
      </div>
    </Card>
  );
}
