// The self-diagnosis: create (within the ruleset's limits), tailor, answer level by level,
// submit, fill the indicators, see the result. Every decision is the engine's over the pinned ruleset.
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { Request, Response } from 'express';
import {
  buildForm,
  checkAnswers,
  checkLimits,
  type PastDiagnosis,
  indexRuleset,
  localized,
  navigationTree,
  levelName,
  localTime,
  resultView,
  ResultViewSchema,
  shownTotal,
  score,
  startState,
  submitIndicators,
  submitLevel,
  submitTailoring,
  tailoringChoices,
  text,
  type AnswerValue,
  type IndicatorValue,
  type Ruleset,
  type ScoreResult,
} from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError, forbidden, localeOf, notFound, say, type Locale } from '../http/apiError.ts';
import { REPORT_CSP } from '../http/security.ts';
import { canRead, canWrite, currentUser } from '../auth.ts';
import { pinnedRuleset, rulesetForEnterprise } from '../catalog.ts';
import { enterpriseFacts } from '../enterpriseFacts.ts';
import type { Diagnosis, DiagnosisSummary, Enterprise, User } from '../store/types.ts';
import { coverOf, reportModel } from '../report/model.ts';
import { renderReport, reportTemplates } from '../report/render.ts';
import { ChromiumMissing } from '../chromium.ts';
import { byFinishedAt, countedDiagnosis } from '../dashboard/counting.ts';
import {
  DiagnosisList,
  DiagnosisView,
  Eligibility,
  FormView,
  IndicatorsSubmitted,
  IndicatorValueSchema,
  LevelSubmitted,
  NavigationTree,
  Outline,
  Saved,
  SearchHits,
  type NavigationNodeView,
} from './diagnosisSchemas.ts';


const rulesetRef = (r: Ruleset, locale: Locale) => ({ id: r.id, version: r.version, title: localized(r.title, locale) });

const outcomeText = (o: { id: string; message: { zh: string; en: string } }, locale: Locale) => ({ id: o.id, message: say(o.message, locale) });

/** What limits know about a past diagnosis. */
const pastDiagnosis = (d: DiagnosisSummary): PastDiagnosis => ({ id: d.id, startedAt: d.startedAt, finishedAt: d.finishedAt ?? null, ...(d.status === 'discarded' ? { discarded: true } : {}) });

export function diagnosisRoutes(routes: RouteTable, ctx: Context) {
  const { store } = ctx;

  async function enterpriseOf(user: User): Promise<Enterprise> {
    const e = user.enterpriseId ? await store.getEnterprise(user.enterpriseId) : undefined;
    if (!e) throw new ApiError(403, 'not_enterprise', text('只有企业用户可以开展自诊断', 'only enterprise users run self-diagnoses'));
    return e;
  }

  /** Loads a diagnosis the user may see (write access when asked), with its enterprise and pinned ruleset. */
  async function load(req: Request, res: Response, write = false) {
    const user = currentUser(res);
    const diagnosis = await store.getDiagnosis(String(req.params.id));
    const enterprise = diagnosis && (await store.getEnterprise(diagnosis.enterpriseId));
    // Someone else's diagnosis is reported as missing, not as forbidden: ids are not to be probed.
    if (!diagnosis || !enterprise || !canRead(user, enterprise)) throw notFound(text('自诊断不存在', 'no such diagnosis'));
    if (write && !canWrite(user, enterprise)) throw forbidden();
    const ruleset = await pinnedRuleset(ctx, diagnosis.rulesetId, diagnosis.rulesetVersion);
    return { user, diagnosis, enterprise, ruleset, locale: localeOf(req) };
  }

  const discardedError = () => new ApiError(409, 'discarded', text('该自诊断已放弃，不能再作答；请新建自诊断', 'this diagnosis was discarded and takes no more answers; start a new one'));

  /** Every change a route makes to a diagnosis: never to a discarded one, checked inside the store's lock. */
  const changeDiagnosis = (id: string, change: (d: Diagnosis) => Diagnosis | Promise<Diagnosis>, seen?: Diagnosis) =>
    store.updateDiagnosis(
      id,
      (d) => {
        if (d.status === 'discarded') throw discardedError();
        return change(d);
      },
      seen,
    );

  const view = (d: Diagnosis, r: Ruleset, locale: Locale): DiagnosisView => ({
    id: d.id,
    status: d.status,
    phase: d.state.phase,
    excluded: d.state.excluded,
    submitted: d.state.submitted,
    answers: d.answers,
    indicators: d.indicators,
    levelResults: d.levelResults.map(({ level, score: s, reached, threshold }) => ({ level, score: s, reached, threshold })),
    ruleset: rulesetRef(r, locale),
    revision: d.revision,
    startedAt: d.startedAt,
    ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}),
    ...(d.discardedAt ? { discardedAt: d.discardedAt } : {}),
  });

  const levelParam = (req: Request, r: Ruleset) => {
    const level = Number(req.params.level ?? req.query.level);
    if (!indexRuleset(r).levelByNumber.has(level)) throw new ApiError(400, 'invalid_level', text(`不存在的等级 "${req.params.level ?? req.query.level ?? ''}"`, `no level "${req.params.level ?? req.query.level ?? ''}"`), '/level');
    return level;
  };

  async function eligibility(user: User, enterprise: Enterprise) {
    const record = await rulesetForEnterprise(ctx, enterprise);
    if (!record) throw new ApiError(503, 'no_ruleset', text('平台尚未发布规则集', 'no ruleset is published yet'));
    const history = (await store.listDiagnoses(enterprise.id)).map(pastDiagnosis);
    const decision = await checkLimits(record.document, history, ctx.now(), await enterpriseFacts(ctx, enterprise));
    return { record, decision };
  }

  routes.add({
    method: 'get',
    path: '/diagnoses',
    tag: 'diagnoses',
    summary: "The enterprise's diagnoses, newest first; `counts` marks the one the platform counts",
    access: 'user',
    query: { enterprise: { type: 'string', description: 'for administrators: whose diagnoses' } },
    responses: { 200: 'the list', 403: 'not an enterprise user', 404: 'enterprise not visible' },
    response: DiagnosisList,
    handler: async (req, res) => {
      const user = currentUser(res);
      const locale = localeOf(req);
      let enterprise: Enterprise | undefined;
      if (user.role === 'enterprise') enterprise = await enterpriseOf(user);
      else {
        enterprise = req.query.enterprise ? await store.getEnterprise(String(req.query.enterprise)) : undefined;
        if (!enterprise || !canRead(user, enterprise)) throw notFound(text('企业不存在', 'no such enterprise'));
      }
      // A discarded diagnosis held nothing: it stays in the store for the record, not in the list.
      const list = (await store.listDiagnoses(enterprise.id)).filter((d) => d.status !== 'discarded').sort((a, b) => b.startedAt.localeCompare(a.startedAt));
      const rulesets = new Map<string, Ruleset>();
      for (const d of list) if (!rulesets.has(`${d.rulesetId}@${d.rulesetVersion}`)) rulesets.set(`${d.rulesetId}@${d.rulesetVersion}`, await pinnedRuleset(ctx, d.rulesetId, d.rulesetVersion));
      // The same rule as the authorities' dashboard, so the one marked here is the one they count.
      const finished = list.filter((d) => d.status === 'finished').sort(byFinishedAt);
      const counted = countedDiagnosis(finished, (d) => rulesets.get(`${d.rulesetId}@${d.rulesetVersion}`)!.counting.result)?.id;
      return {
        items: list.map((d) => {
          const r = rulesets.get(`${d.rulesetId}@${d.rulesetVersion}`)!;
          // Named, shown and dated as the result page tells them (engine/resultView.ts).
          return {
            id: d.id,
            status: d.status,
            phase: d.phase,
            ruleset: rulesetRef(r, locale),
            startedAt: d.startedAt,
            started: localTime(r, d.startedAt),
            ...(d.finishedAt ? { finishedAt: d.finishedAt, finished: localTime(r, d.finishedAt) } : {}),
            ...(d.level !== undefined ? { level: d.level, levelName: localized(levelName(r, d.level), locale), total: d.total, ...(d.total !== undefined ? { totalText: shownTotal(r, d.total).text } : {}) } : {}),
            counts: d.id === counted,
          };
        }),
      };
    },
  });

  routes.add({
    method: 'get',
    path: '/diagnoses/eligibility',
    tag: 'diagnoses',
    summary: 'Whether a new diagnosis may start now (the ruleset\'s submission limits), and with which ruleset',
    access: 'user',
    responses: { 200: 'allowed or not, with the rules\' messages', 403: 'not an enterprise user' },
    response: Eligibility,
    handler: async (req, res) => {
      const user = currentUser(res);
      const { record, decision } = await eligibility(user, await enterpriseOf(user));
      const locale = localeOf(req);
      const r = record.document;
      const q = decision.quota;
      return {
        allowed: decision.allowed,
        refusals: decision.refusals.map((o) => outcomeText(o, locale)),
        warnings: decision.warnings.map((o) => outcomeText(o, locale)),
        reminders: decision.reminders.map((o) => outcomeText(o, locale)),
        ...(decision.nextAllowedAt ? { nextAllowed: localTime(r, decision.nextAllowedAt) } : {}),
        ...(q ? { quota: { used: q.used, limit: q.limit, remaining: q.remaining, text: say(q.text, locale), ...(q.freesAt ? { freesAt: localTime(r, q.freesAt) } : {}) } } : {}),
        ruleset: rulesetRef(r, locale),
      };
    },
  });

  routes.add<{ acknowledgeWarnings?: boolean }>({
    method: 'post',
    path: '/diagnoses',
    tag: 'diagnoses',
    summary: 'Start a new diagnosis, pinned to the ruleset of the enterprise\'s region',
    access: 'user',
    body: Type.Object({ acknowledgeWarnings: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
    responses: { 201: 'created (phase tailoring)', 409: 'refused by a limit, or advisory warnings not acknowledged', 403: 'not an enterprise user' },
    response: DiagnosisView,
    handler: async (req, res) => {
      const user = currentUser(res);
      const enterprise = await enterpriseOf(user);
      const locale = localeOf(req);
      const record = await rulesetForEnterprise(ctx, enterprise);
      if (!record) throw new ApiError(503, 'no_ruleset', text('平台尚未发布规则集', 'no ruleset is published yet'));
      const now = ctx.now();
      const diagnosis: Diagnosis = {
        id: randomUUID(),
        enterpriseId: enterprise.id,
        userId: user.id,
        rulesetId: record.id,
        rulesetVersion: record.version,
        status: 'inProgress',
        state: startState(),
        answers: {},
        indicators: {},
        levelResults: [],
        revision: 1,
        startedAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      // The limit is checked inside the store's lock: two requests at once cannot both pass it.
      const created = await store.createDiagnosis(diagnosis, async (history) => {
        const decision = await checkLimits(record.document, history.map(pastDiagnosis), now, await enterpriseFacts(ctx, enterprise));
        if (!decision.allowed) return { ok: false, reason: decision.refusals[0] };
        if (decision.warnings.length && !req.body.acknowledgeWarnings) return { ok: false, reason: { warnings: decision.warnings } };
        return { ok: true };
      });
      if (!created.ok) {
        const reason = created.reason as { message?: { zh: string; en: string }; warnings?: { id: string; message: { zh: string; en: string } }[] };
        if (reason.warnings)
          throw new ApiError(
            409,
            'warnings_not_acknowledged',
            reason.warnings[0].message,
            '/acknowledgeWarnings',
            reason.warnings.map((w) => ({ field: w.id, text: w.message })),
          );
        throw new ApiError(409, 'limit', reason.message!);
      }
      await store.audit({ at: now.toISOString(), actor: user.id, action: 'diagnosis.create', target: diagnosis.id, detail: { ruleset: `${record.id}@${record.version}` }, region: enterprise.region });
      res.status(201);
      return view(diagnosis, record.document, locale);
    },
  });

  routes.add({
    method: 'delete',
    path: '/diagnoses/:id',
    tag: 'diagnoses',
    summary: "Discard a diagnosis nothing was answered in (tailoring alone does not count as an answer); whether it still counts toward the limits is the ruleset's counting.discarded",
    access: 'user',
    responses: { 200: 'discarded', 404: 'no such diagnosis (or not yours)', 409: 'answered, finished or already discarded' },
    response: DiagnosisView,
    handler: async (req, res) => {
      const { user, diagnosis, ruleset, enterprise, locale } = await load(req, res, true);
      const updated = await changeDiagnosis(diagnosis.id, (d) => {
        if (d.status !== 'inProgress') throw new ApiError(409, 'not_in_progress', text('只能放弃进行中的自诊断', 'only a diagnosis in progress can be discarded'));
        const answered = Object.keys(d.answers).length > 0 || Object.keys(d.indicators).length > 0 || d.state.submitted.length > 0;
        if (answered) throw new ApiError(409, 'answered', text('该自诊断已有作答，不能放弃；请继续作答并提交', 'this diagnosis has answers and cannot be discarded; continue and submit it'));
        return { ...d, status: 'discarded', discardedAt: ctx.now().toISOString() };
      }, diagnosis);
      await store.audit({ at: ctx.now().toISOString(), actor: user.id, action: 'diagnosis.discard', target: diagnosis.id, region: enterprise.region });
      return view(updated, ruleset, locale);
    },
  });

  routes.add({
    method: 'get',
    path: '/diagnoses/:id',
    tag: 'diagnoses',
    summary: 'One diagnosis: phase, tailoring, answers, level results',
    access: 'user',
    responses: { 200: 'the diagnosis', 404: 'no such diagnosis (or not yours)' },
    response: DiagnosisView,
    handler: async (req, res) => {
      const { diagnosis, ruleset, locale } = await load(req, res);
      return view(diagnosis, ruleset, locale);
    },
  });

  routes.add({
    method: 'get',
    path: '/diagnoses/:id/outline',
    tag: 'diagnoses',
    summary: 'What the pages need from the pinned ruleset: levels, layers, tailoring choices, indicators, flow',
    access: 'user',
    responses: { 200: 'the outline', 404: 'no such diagnosis' },
    response: Outline,
    handler: async (req, res) => {
      const { ruleset: r, enterprise, locale } = await load(req, res);
      // A text the ruleset always has is a string; an optional one is left out when absent.
      function t(x: { zh: string; en?: string }): string;
      function t(x?: { zh: string; en?: string }): string | undefined;
      function t(x?: { zh: string; en?: string }) {
        return x ? localized(x, locale) : undefined;
      }
      const choices = await tailoringChoices(r, await enterpriseFacts(ctx, enterprise));
      const index = indexRuleset(r);
      return {
        levels: [...r.levels].sort((a, b) => a.number - b.number).map((l) => ({ number: l.number, code: l.code, name: t(l.name), description: t(l.description), threshold: l.threshold })),
        layers: r.model.layers.map((l) => ({ id: l.id, name: t(l.name) })),
        tailoring: choices.map((c) => ({ id: c.id, name: t(c.name), ...(c.parent ? { parent: c.parent } : {}), mandatory: c.mandatory, excludable: c.excludable, ...(c.reason ? { reason: say(c.reason, locale) } : {}) })),
        // What the ruleset calls the parts an enterprise may leave out (能力域…): the layer of the first that may be.
        tailoringLayer: t(r.model.layers[index.nodeById.get((choices.find((c) => c.excludable) ?? choices[0])?.id ?? '')?.depth ?? 0]?.name),
        indicators: {
          title: t(r.flow.indicators.title),
          note: t(r.flow.indicators.note),
          notApplicableValue: r.flow.indicators.notApplicableValue,
          notApplicableFormula: r.flow.indicators.notApplicableFormula,
          fields: r.flow.indicators.fields.map((f) => ({ id: f.id, label: t(f.label), help: t(f.help), unit: t(f.unit), valueRequired: f.valueRequired, formulaRequired: f.formulaRequired })),
        },
        flow: { onReachedDelaySeconds: r.flow.onReached.delaySeconds ?? 0, tailoringLocked: r.flow.tailoringLocked, requireAllAnswered: r.flow.requireAllAnswered },
      };
    },
  });

  routes.add<{ excluded: string[] }>({
    method: 'post',
    path: '/diagnoses/:id/tailoring',
    tag: 'diagnoses',
    summary: 'Choose the excluded domains and start answering; final once answering starts',
    access: 'user',
    body: Type.Object({ excluded: Type.Array(Type.String({ maxLength: 80 }), { maxItems: 100 }) }, { additionalProperties: false }),
    responses: { 200: 'answering starts', 400: 'a domain that cannot be excluded', 409: 'tailoring is already final' },
    response: DiagnosisView,
    handler: async (req, res) => {
      const { diagnosis, ruleset, enterprise, locale } = await load(req, res, true);
      const updated = await changeDiagnosis(diagnosis.id, async (d) => {
        if (d.state.phase.phase !== 'tailoring')
          throw new ApiError(409, 'tailoring_final', text('裁剪已确定，开始答题后不能修改；如需更改，请完成本次自诊断后重新开始', 'tailoring is final once answering starts; finish this diagnosis and start a new one to change it'));
        const t = await submitTailoring(ruleset, d.state, Array.from(new Set<string>(req.body.excluded)), await enterpriseFacts(ctx, enterprise));
        if (!t.ok) throw ApiError.fromProblems(t.problems, 'invalid_tailoring');
        return { ...d, state: t.state };
      }, diagnosis);
      return view(updated, ruleset, locale);
    },
  });

  routes.add({
    method: 'get',
    path: '/diagnoses/:id/navigation',
    tag: 'diagnoses',
    summary: 'The navigation tree of one level: per node its question count, answered, remaining and status',
    access: 'user',
    query: { level: { type: 'integer', required: true } },
    responses: { 200: 'the tree', 400: 'no such level', 404: 'no such diagnosis' },
    response: NavigationTree,
    handler: async (req, res) => {
      const { diagnosis, ruleset, enterprise, locale } = await load(req, res);
      const level = levelParam(req, ruleset);
      const localise = (n: ReturnType<typeof navigationTree>[number]): NavigationNodeView => ({ ...n, name: localized(n.name, locale), children: n.children.map(localise) });
      return navigationTree(ruleset, { level, excluded: diagnosis.state.excluded, industryType: enterprise.industryType, answers: diagnosis.answers }).map(localise);
    },
  });

  routes.add({
    method: 'get',
    path: '/diagnoses/:id/form',
    tag: 'diagnoses',
    summary: 'JSON Schema and uiSchema (for @rjsf) of one level, optionally one navigation node',
    access: 'user',
    query: { level: { type: 'integer', required: true }, node: { type: 'string' } },
    responses: { 200: '{ schema, uiSchema, questionIds }', 400: 'no such level or node', 404: 'no such diagnosis' },
    response: FormView,
    handler: async (req, res) => {
      const { diagnosis, ruleset, enterprise, locale } = await load(req, res);
      const level = levelParam(req, ruleset);
      const node = req.query.node ? String(req.query.node) : undefined;
      if (node && !indexRuleset(ruleset).nodeById.has(node)) throw new ApiError(400, 'invalid_node', text(`不存在的节点 "${node}"`, `no node "${node}"`), '/node');
      return buildForm(ruleset, { level, node, excluded: diagnosis.state.excluded, industryType: enterprise.industryType, locale });
    },
  });

  routes.add({
    method: 'get',
    path: '/diagnoses/:id/search',
    tag: 'diagnoses',
    summary: 'Search the questions of one level by number or text',
    access: 'user',
    query: { level: { type: 'integer', required: true }, q: { type: 'string', required: true } },
    responses: { 200: 'matching questions with their node', 400: 'no such level', 404: 'no such diagnosis' },
    response: SearchHits,
    handler: async (req, res) => {
      const { diagnosis, ruleset, enterprise, locale } = await load(req, res);
      const level = levelParam(req, ruleset);
      const q = String(req.query.q ?? '').trim().toLowerCase();
      if (!q) return [];
      const index = indexRuleset(ruleset);
      const form = buildForm(ruleset, { level, excluded: diagnosis.state.excluded, industryType: enterprise.industryType, locale });
      return form.questionIds
        .map((id) => index.questionById.get(id)!.question)
        .filter((x) => x.number.startsWith(q) || x.text.zh.toLowerCase().includes(q) || (x.text.en ?? '').toLowerCase().includes(q))
        .slice(0, 50)
        .map((x) => {
          const leaf = index.nodeById.get(x.subDomain)!;
          return { id: x.id, number: x.number, text: localized(x.text, locale), nodeId: leaf.id, path: leaf.path.map((p) => localized(index.nodeById.get(p)!.node.name, locale)) };
        });
    },
  });

  routes.add<{ answers: Record<string, AnswerValue | null>; revision?: number }>({
    method: 'put',
    path: '/diagnoses/:id/answers',
    tag: 'diagnoses',
    summary: 'Save answers of the level being answered (merge; null clears one)',
    access: 'user',
    body: Type.Object(
      {
        answers: Type.Record(Type.String({ maxLength: 80 }), Type.Union([Type.String({ maxLength: 2000 }), Type.Array(Type.String({ maxLength: 80 }), { maxItems: 50 }), Type.Number(), Type.Null()]), { maxProperties: 1000 }),
        revision: Type.Optional(Type.Integer({ minimum: 1 })),
      },
      { additionalProperties: false },
    ),
    responses: { 200: '{ revision, savedAt }', 400: 'an unknown question or option, or a question outside the current level; nothing saved', 409: 'not answering now, or a stale revision' },
    response: Saved,
    handler: async (req, res) => {
      const { diagnosis, ruleset, enterprise } = await load(req, res, true);
      const updated = await changeDiagnosis(diagnosis.id, (d) => {
        const phase = d.state.phase;
        if (phase.phase !== 'answering') throw new ApiError(409, 'not_answering', text('当前不在答题阶段', 'this diagnosis is not being answered now'));
        if (req.body.revision !== undefined && req.body.revision < d.revision)
          throw new ApiError(409, 'stale', text('答案已在其他窗口更新，请刷新后再保存', 'the answers were changed in another window; reload before saving'), '/revision');
        const given = Object.fromEntries(Object.entries(req.body.answers).filter(([, v]) => v !== null)) as Record<string, AnswerValue>;
        const problems = checkAnswers(ruleset, { industryType: enterprise.industryType, excluded: d.state.excluded, answers: given });
        const index = indexRuleset(ruleset);
        for (const id of Object.keys(req.body.answers)) {
          const q = index.questionById.get(id)?.question;
          if (q && q.level !== phase.level)
            problems.push({ code: 'answers.level', pointer: `/answers/${id}`, message: text(`题目 ${q.number} 不属于当前等级`, `question ${q.number} is not in the level being answered`) });
          else if (!q && !problems.some((p) => p.pointer === `/answers/${id}`))
            problems.push({ code: 'answers.unknownQuestion', pointer: `/answers/${id}`, message: text(`不存在的题目 "${id}"`, `no question "${id}"`) });
        }
        if (problems.length) throw ApiError.fromProblems(problems, 'invalid_answers');
        const answers = { ...d.answers };
        for (const [id, v] of Object.entries(req.body.answers)) {
          if (v === null) delete answers[id];
          else answers[id] = v as AnswerValue;
        }
        return { ...d, answers };
      }, diagnosis);
      return { revision: updated.revision, savedAt: updated.updatedAt };
    },
  });

  routes.add({
    method: 'post',
    path: '/diagnoses/:id/levels/:level/submit',
    tag: 'diagnoses',
    summary: 'Submit the level being answered: scored, then the next level or the indicators page as the ruleset says',
    access: 'user',
    responses: { 200: '{ level, diagnosis, delaySeconds? }', 400: 'unanswered questions (listed)', 409: 'this level is not the one being answered' },
    response: LevelSubmitted,
    handler: async (req, res) => {
      const { diagnosis, ruleset, enterprise, locale } = await load(req, res, true);
      const level = levelParam(req, ruleset);
      let outcome: { level: { level: number; score: number; reached: boolean; threshold: number }; delaySeconds?: number } | undefined;
      const updated = await changeDiagnosis(diagnosis.id, (d) => {
        const phase = d.state.phase;
        if (phase.phase !== 'answering' || phase.level !== level)
          throw new ApiError(409, 'not_current_level', text(`当前不在答第 ${level} 级`, `level ${level} is not the one being answered`));
        const t = submitLevel(ruleset, d.state, { industryType: enterprise.industryType, answers: d.answers });
        if (!t.ok) throw ApiError.fromProblems(t.problems, t.problems[0].code === 'flow.unanswered' ? 'unanswered' : 'invalid');
        const entry = { level, score: t.level!.score ?? 0, reached: t.level!.reached === true, threshold: t.level!.threshold };
        outcome = { level: entry, ...(t.delaySeconds !== undefined ? { delaySeconds: t.delaySeconds } : {}) };
        const next = { ...d, state: t.state, levelResults: [...d.levelResults, { ...entry, submittedAt: ctx.now().toISOString() }] };
        return t.state.phase.phase === 'finished' ? finish(next, ruleset, enterprise) : next;
      }, diagnosis);
      await store.audit({ at: ctx.now().toISOString(), actor: currentUser(res).id, action: 'diagnosis.submitLevel', target: diagnosis.id, detail: outcome!.level, region: enterprise.region });
      return { ...outcome!, diagnosis: view(updated, ruleset, locale) };
    },
  });

  const IndicatorValues = Type.Record(Type.String({ maxLength: 80 }), IndicatorValueSchema, { maxProperties: 100 });

  const onIndicatorsPage = (d: Diagnosis) => {
    if (d.state.phase.phase !== 'indicators') throw new ApiError(409, 'not_indicators', text('当前不在成效类指标填报阶段', 'this diagnosis is not on the indicators page'));
  };

  const finish = (d: Diagnosis, ruleset: Ruleset, enterprise: Enterprise): Diagnosis => {
    const result: ScoreResult = score(ruleset, { industryType: enterprise.industryType, excluded: d.state.excluded, answers: d.answers, levels: d.state.submitted }, 'nodes');
    return { ...d, status: 'finished', result, finishedAt: ctx.now().toISOString() };
  };

  routes.add<{ values: Record<string, IndicatorValue> }>({
    method: 'put',
    path: '/diagnoses/:id/indicators',
    tag: 'diagnoses',
    summary: 'Save the effectiveness indicators as a draft',
    access: 'user',
    body: Type.Object({ values: IndicatorValues }, { additionalProperties: false }),
    responses: { 200: 'saved', 400: 'an unknown indicator', 409: 'not on the indicators page' },
    response: Saved,
    handler: async (req, res) => {
      const { diagnosis, ruleset } = await load(req, res, true);
      const known = new Set(ruleset.flow.indicators.fields.map((f) => f.id));
      const unknown = Object.keys(req.body.values).filter((k) => !known.has(k));
      if (unknown.length) throw ApiError.fromProblems(unknown.map((k) => ({ code: 'indicators.unknown', pointer: `/values/${k}`, message: text(`不存在的指标 "${k}"`, `no indicator "${k}"`) })));
      const updated = await changeDiagnosis(diagnosis.id, (d) => {
        onIndicatorsPage(d);
        return { ...d, indicators: { ...d.indicators, ...req.body.values } };
      }, diagnosis);
      return { revision: updated.revision, savedAt: updated.updatedAt };
    },
  });

  routes.add<{ values: Record<string, IndicatorValue> }>({
    method: 'post',
    path: '/diagnoses/:id/indicators/submit',
    tag: 'diagnoses',
    summary: 'Submit the indicators: the diagnosis is finished and its result computed',
    access: 'user',
    body: Type.Object({ values: IndicatorValues }, { additionalProperties: false }),
    responses: { 200: '{ diagnosis }', 400: 'missing values or formulas (listed)', 409: 'not on the indicators page' },
    response: IndicatorsSubmitted,
    handler: async (req, res) => {
      const { diagnosis, ruleset, enterprise, locale } = await load(req, res, true);
      const updated = await changeDiagnosis(diagnosis.id, (d) => {
        onIndicatorsPage(d);
        const values = { ...d.indicators, ...req.body.values };
        const t = submitIndicators(ruleset, d.state, values);
        if (!t.ok) throw ApiError.fromProblems(t.problems, 'invalid_indicators');
        return finish({ ...d, indicators: values, state: t.state }, ruleset, enterprise);
      }, diagnosis);
      await store.audit({ at: ctx.now().toISOString(), actor: currentUser(res).id, action: 'diagnosis.finish', target: diagnosis.id, detail: { level: updated.result?.level, total: updated.result?.total }, region: enterprise.region });
      return { diagnosis: view(updated, ruleset, locale) };
    },
  });

  /** The engine's view of a finished diagnosis, in the request's language: what every place shows. */
  const viewOf = async (d: Diagnosis, r: Ruleset, enterprise: Enterprise, locale: Locale) =>
    resultView(r, { industryType: enterprise.industryType, excluded: d.state.excluded, answers: d.answers, levels: d.state.submitted, indicators: d.indicators, facts: await enterpriseFacts(ctx, enterprise), ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}) }, locale);

  routes.add({
    method: 'get',
    path: '/diagnoses/:id/result',
    tag: 'diagnoses',
    summary: "The result of a finished diagnosis as the engine tells it (engine/resultView.ts): level, S in its band, X per level as shown, the profile and its groups, strengths and weaknesses, the gap to the next level, policies, indicators",
    access: 'user',
    responses: { 200: 'the result view', 404: 'no such diagnosis', 409: 'not finished yet' },
    response: ResultViewSchema,
    handler: async (req, res) => {
      const { diagnosis, ruleset, enterprise, locale } = await load(req, res);
      if (!diagnosis.result) throw new ApiError(409, 'not_finished', text('自诊断尚未完成', 'the diagnosis is not finished yet'));
      return viewOf(diagnosis, ruleset, enterprise, locale);
    },
  });

  async function reportHtml(req: Request, res: Response) {
    const { diagnosis, ruleset, enterprise, locale } = await load(req, res);
    if (!diagnosis.result) throw new ApiError(409, 'not_finished', text('自诊断尚未完成', 'the diagnosis is not finished yet'));
    const history = (await store.listDiagnoses(enterprise.id)).flatMap((h) => (h.status === 'finished' && h.finishedAt ? [{ id: h.id, finishedAt: h.finishedAt, level: h.level ?? 0, total: h.total ?? 0 }] : []));
    // Rendering is synchronous work: the bounded queue lets other requests in between reports.
    return ctx.reports.run(async () => {
      const view = await viewOf(diagnosis, ruleset, enterprise, locale);
      const model = reportModel({ ruleset, view, cover: coverOf(enterprise, ruleset, ctx.reference, locale), id: diagnosis.id, history, locale, generatedAt: ctx.now() });
      const template = ruleset.report.template;
      if (!reportTemplates().some((t) => t.id === template))
        throw new ApiError(503, 'report_template_missing', text(`服务器上没有报告模板 "${template}"，请联系平台管理员`, `the report template "${template}" is missing on the server; please tell the platform administrators`));
      return { html: renderReport(template, model), title: `${model.title} · ${enterprise.name}`, file: `${model.reportNumber}.pdf` };
    });
  }

  async function sendPdf(req: Request, res: Response) {
    const report = await reportHtml(req, res);
    let pdf: Uint8Array;
    try {
      pdf = await ctx.pdf.render(report.html, report.title);
    } catch (e) {
      if (e instanceof ChromiumMissing)
        throw new ApiError(503, 'pdf_unavailable', text('服务器未安装 Chromium，暂不能生成 PDF（请安装 Debian 软件包 chromium 与 fonts-noto-cjk）；HTML 报告可正常查看', 'PDF rendering is unavailable: install the Debian packages chromium and fonts-noto-cjk on the server; the HTML report works'));
      throw e;
    }
    res.type('application/pdf').set('Content-Disposition', `attachment; filename="${report.file}"`).send(Buffer.from(pdf));
  }

  routes.add({
    method: 'get',
    path: '/diagnoses/:id/report',
    tag: 'reports',
    summary: 'The report of a finished diagnosis as HTML (or PDF with Accept: application/pdf), from the template its ruleset names',
    access: 'user',
    responses: { 200: 'text/html or application/pdf', 404: 'no such diagnosis', 409: 'not finished yet', 503: 'PDF asked for and no Chromium on the server' },
    handler: async (req, res) => {
      if (req.accepts(['text/html', 'application/pdf']) === 'application/pdf') return sendPdf(req, res);
      const report = await reportHtml(req, res);
      res.type('html').set('Content-Security-Policy', REPORT_CSP).send(report.html);
    },
  });

  routes.add({
    method: 'get',
    path: '/diagnoses/:id/report.pdf',
    tag: 'reports',
    summary: 'The report as an A4 PDF (Debian Chromium), with header and page numbers',
    access: 'user',
    responses: { 200: 'application/pdf', 404: 'no such diagnosis', 409: 'not finished yet', 503: 'no Chromium on the server' },
    handler: sendPdf,
  });
}
