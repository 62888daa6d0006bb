// The formal assessment scheme a ruleset declares (GB/T 39117's five steps): the application and
// its rules, the requirements in scope, the score with the team's weights, certificates.
import { describe, expect, it } from 'vitest';
import {
  adjustableWeightGroups,
  applicationForm,
  assessmentOutcome,
  assessmentRequirements,
  certificateNumber,
  certificateStatus,
  certificateValidUntil,
  checkApplication,
  checkAssessmentWeights,
  lint,
  validateRuleset,
  EngineError,
  type Assessment,
  type Ruleset,
} from '../engine/index.ts';
import { smallRuleset } from './fixtures/small.ts';

const t = (zh: string, en = zh) => ({ zh, en });

/** Seed 003: a level-2 application needs a trained person; a level-2+ one a finished self-diagnosis. */
function scheme(): Assessment {
  return {
    title: t('正式评估申请', 'Application for a formal assessment'),
    targetLevels: [1, 2],
    application: {
      fields: [
        { id: 'contact', label: t('联系人', 'Contact'), kind: 'text', required: true, maxLength: 20 },
        { id: 'scope', label: t('申请评估范围', 'Scope'), kind: 'choice', required: true, options: [{ id: 'whole', label: t('全厂', 'Whole plant') }, { id: 'line', label: t('产线', 'A line') }] },
        { id: 'plannedDate', label: t('期望评估日期', 'Preferred date'), kind: 'date' },
        { id: 'employees', label: t('员工人数', 'Employees'), kind: 'number', min: 1 },
        { id: 'trained', label: t('培训考试合格人员', 'Staff trained and examined'), kind: 'people', max: 10 },
      ],
      rules: [
        {
          id: 'trained-for-2',
          name: t('二级须有一名培训合格人员', 'Level 2 needs one trained person'),
          conditions: { all: [{ fact: 'targetLevel', operator: 'greaterThanInclusive', value: 2 }, { fact: 'trained', operator: 'lessThan', value: 1 }] },
          message: t('申请二级评估须至少有一名企业内部人员培训并考试合格', 'a level-2 application needs at least one member of staff trained and examined'),
        },
        {
          id: 'self-diagnosis-first',
          name: t('先完成自诊断', 'Self-diagnose first'),
          conditions: { all: [{ fact: 'selfDiagnosisLevel', operator: 'lessThan', value: 1 }] },
          message: t('请先在平台完成自诊断', 'finish a self-diagnosis on the platform first'),
        },
      ],
    },
    team: { minAssessors: 3, scoredBy: 2 },
    evidence: { maxBytes: 20 * 1024 * 1024, types: ['pdf', 'docx', 'xlsx', 'jpg', 'png'], maxFiles: 10 },
    expertReview: true,
    certificate: { title: t('智能制造能力成熟度标准符合性证书', 'Certificate of conformity'), numberPrefix: 'CMMM', validityMonths: 36, template: 'cmmm-certificate' },
  };
}

const withScheme = (): Ruleset => ({ ...smallRuleset(), assessment: scheme() });
const enterprise = { industryType: 'discrete', regionPath: ['520000'] };
const person = (n: number) => ({ name: `员工${n}`, certificateNo: `PX-${n}` });

describe('the application', () => {
  it('is part of the ruleset format and linted', () => {
    expect(validateRuleset(withScheme()).ok).toBe(true);
    expect(lint(withScheme()).filter((f) => f.pointer.startsWith('/assessment'))).toEqual([]);
    const broken = withScheme();
    broken.assessment!.targetLevels.push(7);
    broken.assessment!.application.fields.push({ id: 'targetLevel', label: t('目标'), kind: 'number' }, { id: 'kind', label: t('类别'), kind: 'choice' });
    broken.assessment!.application.rules[0].conditions = { all: [{ fact: 'trainedStaff', operator: 'lessThan', value: 1 }] };
    broken.assessment!.team.scoredBy = 4;
    const codes = lint(broken).filter((f) => f.pointer.startsWith('/assessment')).map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['dangling-reference', 'field-shadows-fact', 'choice-without-options', 'unknown-fact', 'team-too-small']));
  });

  it('goes ahead when the form is complete and no rule refuses it', async () => {
    const decision = await checkApplication(withScheme(), { targetLevel: 2, values: { contact: '张三', scope: 'whole', plannedDate: '2027-03-01', employees: 320, trained: [person(1)] }, selfDiagnosis: { level: 2, score: 2.55 }, enterprise });
    expect(decision).toEqual({ problems: [], refusals: [], allowed: true });
  });

  it('is refused with the rule\'s message: no trained person for level 2, no self-diagnosis', async () => {
    const decision = await checkApplication(withScheme(), { targetLevel: 2, values: { contact: '张三', scope: 'line', trained: [] }, enterprise });
    expect(decision.allowed).toBe(false);
    expect(decision.refusals.map((r) => r.rule)).toEqual(['trained-for-2', 'self-diagnosis-first']);
    expect(decision.refusals[0].message.zh).toContain('至少有一名');
    // Level 1 needs no trained person.
    const one = await checkApplication(withScheme(), { targetLevel: 1, values: { contact: '张三', scope: 'line' }, selfDiagnosis: { level: 1, score: 1.2 }, enterprise });
    expect(one.allowed).toBe(true);
  });

  it('names each bad field and why, and a level one may not apply for', async () => {
    const decision = await checkApplication(withScheme(), {
      targetLevel: 3,
      values: { scope: 'factory', plannedDate: '2027-02-30x', employees: 0, trained: [person(1), { name: '', certificateNo: 'PX-1' }], extra: 'x' },
      selfDiagnosis: { level: 2, score: 2.1 },
      enterprise,
    });
    const byPointer = Object.fromEntries(decision.problems.map((p) => [p.pointer, p.message.zh]));
    expect(byPointer['/values/contact']).toBe('请填写“联系人”');
    expect(byPointer['/values/scope']).toContain('给定选项');
    expect(byPointer['/values/plannedDate']).toContain('日期');
    expect(byPointer['/values/employees']).toContain('1 到');
    expect(byPointer['/values/trained/1/name']).toContain('缺少姓名');
    expect(byPointer['/values/trained/1/certificateNo']).toContain('重复');
    expect(byPointer['/values/extra']).toContain('没有字段');
    expect(byPointer['/targetLevel']).toContain('1、2');
    expect(decision.allowed).toBe(false);
  });

  it('is a form the runtime renders with the questions\' form engine', () => {
    const form = applicationForm(scheme(), 'zh');
    expect(form.schema).toMatchObject({ type: 'object', required: ['contact', 'scope'], properties: { plannedDate: { type: 'string', format: 'date' }, trained: { type: 'array', maxItems: 10 } } });
    expect((form.schema.properties as Record<string, { oneOf?: unknown[] }>).scope.oneOf).toEqual([{ const: 'whole', title: '全厂' }, { const: 'line', title: '产线' }]);
  });

  it('is refused by an engine function when the ruleset declares no scheme', async () => {
    await expect(checkApplication(smallRuleset(), { targetLevel: 1, values: {}, enterprise })).rejects.toBeInstanceOf(EngineError);
  });
});

describe('the assessment', () => {
  it('verifies every applicable requirement of the levels up to the target, tailoring as the team confirmed it', () => {
    const r = withScheme();
    expect(assessmentRequirements(r, { targetLevel: 1, industryType: 'discrete', excluded: [] }).map((q) => q.id)).toEqual(['L1-1.1', 'L1-1.2', 'L1-2.1', 'L1-2.2', 'L1-3.1']);
    expect(assessmentRequirements(r, { targetLevel: 2, industryType: 'discrete', excluded: ['design'] }).map((q) => q.id)).toEqual(['L1-1.1', 'L1-1.2', 'L1-2.1', 'L1-2.2', 'L2-1.1', 'L2-2.1']);
  });

  it('scores with the team\'s weights, within the bounds the ruleset allows, never above the target', () => {
    const r = withScheme();
    r.scoring.adjustableWeights = { layers: ['element'], maxChange: 0.1 };
    const all = (option: string, level = 2) => Object.fromEntries(assessmentRequirements(r, { targetLevel: level, industryType: 'discrete', excluded: [] }).map((q) => [q.id, option]));
    const full = assessmentOutcome(r, { targetLevel: 1, industryType: 'discrete', excluded: [], scores: all('D', 1) });
    expect(full).toMatchObject({ level: 1, unscored: [] });
    // People fully met, making partly: with the default weights (0.4 / 0.6) level 1 is missed; moving 0.1 to people reaches it.
    // X1 = 0.4 × 1 + 0.6 × (0.75 × mean(0.5, 0.8) + 0.25 × 0.5) = 0.7675; with 0.5 / 0.5 it is 0.80625.
    const mixed = { 'L1-1.1': 'D', 'L1-1.2': 'D', 'L1-2.1': 'B', 'L1-2.2': 'C', 'L1-3.1': 'B' };
    const plain = assessmentOutcome(r, { targetLevel: 1, industryType: 'discrete', excluded: [], scores: mixed });
    const moved = assessmentOutcome(r, { targetLevel: 1, industryType: 'discrete', excluded: [], scores: mixed, weights: { 'e.people': 0.5, 'e.make': 0.5 } });
    expect(plain.result.levels[0].score).toBeCloseTo(0.7675, 9);
    expect(moved.result.levels[0].score).toBeCloseTo(0.80625, 9);
    expect([plain.level, moved.level]).toEqual([0, 1]);
    // All fully met up to level 2, applying for level 1: the certificate says level 1.
    expect(assessmentOutcome(r, { targetLevel: 1, industryType: 'discrete', excluded: [], scores: all('D', 1) }).result.levels.filter((l) => l.assessed).map((l) => l.level)).toEqual([1]);
    expect(checkAssessmentWeights(r, 'discrete', { 'e.people': 0.5, 'e.make': 0.5 })).toEqual([]);
    const outside = checkAssessmentWeights(r, 'discrete', { 'e.people': 0.7, 'e.make': 0.3 });
    expect(outside.length).toBeGreaterThan(0);
    expect(outside[0]).toMatchObject({ pointer: '/weights/e.people', message: { zh: expect.stringContaining('"人员" 的权重 0.7 超出允许范围 [0.3, 0.5]') } });
    expect(() => assessmentOutcome(r, { targetLevel: 1, industryType: 'discrete', excluded: [], scores: mixed, weights: { 'e.people': 0.7, 'e.make': 0.3 } })).toThrow(EngineError);
  });

  it('lists the groups an assessment may re-weight, each node with its default and bounds', () => {
    const r = withScheme();
    expect(adjustableWeightGroups(r, r.scoring.weightSets[0])).toEqual([]);
    r.scoring.adjustableWeights = { layers: ['element'], maxChange: 0.1 };
    const groups = adjustableWeightGroups(r, r.scoring.weightSets[0]);
    expect(groups).toHaveLength(1);
    expect(groups[0].parent).toBeUndefined();
    expect(groups[0].nodes.map((n) => [n.id, n.default, n.min, n.max])).toEqual([
      ['e.people', 0.4, expect.closeTo(0.3, 9), expect.closeTo(0.5, 9)],
      ['e.make', 0.6, expect.closeTo(0.5, 9), expect.closeTo(0.7, 9)],
    ]);
  });

  it('lists what is not scored yet, and refuses a score for a requirement outside its scope', () => {
    const r = withScheme();
    const partial = assessmentOutcome(r, { targetLevel: 1, industryType: 'discrete', excluded: [], scores: { 'L1-1.1': 'D' } });
    expect(partial.unscored).toEqual(['L1-1.2', 'L1-2.1', 'L1-2.2', 'L1-3.1']);
    expect(() => assessmentOutcome(r, { targetLevel: 1, industryType: 'discrete', excluded: [], scores: { 'L2-1.1': 'D' } })).toThrow(/不在本次评估范围内/);
  });
});

describe('certificates', () => {
  const s = scheme();
  it('are numbered PREFIX-YEAR-SEQUENCE in the ruleset\'s time zone', () => {
    // 31 December 20:00 UTC is already 1 January in UTC+8.
    expect(certificateNumber(s, new Date('2026-12-31T20:00:00Z'), 17, 480)).toBe('CMMM-2027-00017');
    expect(certificateNumber(s, new Date('2026-12-31T10:00:00Z'), 17, 480)).toBe('CMMM-2026-00017');
  });

  it('are valid for the scheme\'s months, to the day before, and month ends stay in their month', () => {
    expect(certificateValidUntil(s, new Date('2026-03-15T02:00:00Z'), 480)).toBe('2029-03-14');
    expect(certificateValidUntil({ ...s, certificate: { ...s.certificate, validityMonths: 6 } }, new Date('2026-08-31T02:00:00Z'), 480)).toBe('2027-02-27');
  });

  it('are valid, expired, suspended or revoked', () => {
    const cert = { validUntil: '2029-03-14' };
    expect(certificateStatus(cert, new Date('2029-03-14T15:00:00Z'), 480)).toBe('valid');
    expect(certificateStatus(cert, new Date('2029-03-14T16:30:00Z'), 480)).toBe('expired');
    expect(certificateStatus({ ...cert, suspendedAt: '2027-01-01T00:00:00Z' }, new Date('2027-06-01T00:00:00Z'), 480)).toBe('suspended');
    expect(certificateStatus({ ...cert, suspendedAt: '2027-01-01T00:00:00Z', revokedAt: '2027-02-01T00:00:00Z' }, new Date('2027-06-01T00:00:00Z'), 480)).toBe('revoked');
  });
});
