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
      name: { zh: t('新测试用例', 'New test case') },
      industryType: doc.industryTypes[0].id,
      fill: first ? { [String(first.number)]: option } : {},
      expect: { level: first?.number ?? 0 },
    } satisfies RulesetTest);
  };
  return (
    <Card
      size="small"
      title={t('测试用例', 'Test cases')}
      extra={
        <Space>
          {outcomes instanceof Map && tests.length > 0 && <Tag color={passed === tests.length ? 'green' : 'red'} className="tests-summary">{t(`${passed}/${tests.length} 通过`, `${passed}/${tests.length} pass`)}</Tag>}
          {!readOnly && (
            <Button size="small" type="primary" onClick={add}>
              + {t('添加测试用例', 'Add test case')}
            </Button>
          )}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        {t('发布前须全部通过。也可在“预览与模拟”中作答后“保存为测试用例”。', 'All must pass before publishing. Answers from the preview can be saved as a test case too.')}
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
          {outcome ? outcome.passed ? <Tag color="green">{t('通过', 'Pass')}</Tag> : <Tag color="red">{t('未通过', 'Fail')}</Tag> : null}
          {tx(test.name)}
        </Space>
      }
      extra={<ListActions path={['tests']} index={index} length={count} />}
    >
      {outcome && !outcome.passed && <Alert type="error" showIcon message={outcome.failures.join('；')} style={{ marginBottom: 8 }} />}
      <div className="field-row">
        <label className="field-label">{t('标识', 'Id')}</label>
        <div className="field-control">
          <IdInput path={[...path, 'id']} label={t('测试用例标识', 'Test case id')} />
        </div>
      </div>
      <I18nField path={[...path, 'name']} label={t('名称', 'Name')} />
      <div className="field-row">
        <label className="field-label">{t('行业类型 · 裁剪', 'Industry type · tailoring')}</label>
        <div className="field-control">
          <Space wrap>
            <Select aria-label={t('测试用例行业类型', 'Test case industry type')} disabled={readOnly} value={test.industryType} style={{ minWidth: 140 }} onChange={(v) => edit([...path, 'industryType'], v)} options={doc.industryTypes.map((it) => ({ value: it.id, label: tx(it.name) }))} />
            {tailorable.length > 0 && (
              <Select
                aria-label={t('裁剪的节点', 'Tailored-out nodes')}
                mode="multiple"
                disabled={readOnly}
                placeholder={t('不裁剪', 'Nothing tailored out')}
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
        <label className="field-label">{t('答案', 'Answers')}</label>
        <div className="field-control">
          <Table
            size="small"
            pagination={false}
            rowKey="number"
            dataSource={doc.levels}
            columns={[
              { title: t('等级', 'Level'), render: (_, l) => `${l.code} ${tx(l.name)}` },
              {
                title: t('本级全部选', 'Every question of the level'),
                render: (_, l) => (
                  <Select
                    aria-label={t(`${l.code} 全部选`, `${l.code} answered with`)}
                    disabled={readOnly}
                    allowClear
                    placeholder={t('不作答', 'Not answered')}
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
              {t(`另有 ${Object.keys(test.answers).length} 道题的单独答案（来自预览）`, `plus ${Object.keys(test.answers).length} individual answers (from the preview)`)}
            </Typography.Text>
          )}
        </div>
      </div>
      <div className="field-row">
        <label className="field-label">{t('期望', 'Expected')}</label>
        <div className="field-control">
          <Space wrap>
            <span>{t('等级', 'Level')}</span>
            <InputNumber aria-label={t('期望等级', 'Expected level')} disabled={readOnly} min={0} value={test.expect.level} onChange={(v) => edit([...path, 'expect', 'level'], typeof v === 'number' ? v : undefined)} />
            <span>{t('总分 S', 'Total S')}</span>
            <InputNumber aria-label={t('期望总分', 'Expected total')} disabled={readOnly} step={0.01} value={test.expect.score} onChange={(v) => edit([...path, 'expect', 'score'], typeof v === 'number' ? v : undefined)} />
            <span>{t('容差', 'Tolerance')}</span>
            <InputNumber aria-label={t('容差', 'Tolerance')} disabled={readOnly} min={0} step={0.0001} value={test.expect.tolerance} onChange={(v) => edit([...path, 'expect', 'tolerance'], typeof v === 'number' ? v : undefined)} />
          </Space>
          {outcome && (
            <div>
              <Typography.Text type="secondary">
                {t(`实际：${outcome.result.level} 级，S = ${outcome.result.total}`, `Actual: level ${outcome.result.level}, S = ${outcome.result.total}`)}
              </Typography.Text>
            </div>
          )}
          <BaseHint path={[...path, 'expect']} />
        </div>
      </div>
    </Card>
  );
}
