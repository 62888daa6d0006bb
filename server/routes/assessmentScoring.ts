// The formal assessment (正式评估, GB/T 39117 step 3) on an application whose pre-assessment found
// the enterprise ready: the chief assessor assigns each requirement in scope to as many of the
// team as the scheme's `team.scoredBy`; an assigned assessor scores the requirement's evidence on
// the question's scale with a written finding, and may ask the enterprise for more (补充材料).
// An assessor sees only the requirements assigned to it; the chief sees all with the progress;
// the enterprise sees its requirements and what is asked of it, never the scores.
import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { assessmentRequirements, localized, text, type Question, type Ruleset } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError, forbidden, localeOf, notFound } from '../http/apiError.ts';
import { currentUser } from '../auth.ts';
import { noApplication, readableApplication } from './assessmentApplications.ts';
import type { AssessmentApplication, FormalAssessment } from '../store/assessmentRecords.ts';
import { NotFoundError, type User } from '../store/types.ts';

const doc = (description: string) => ({ description });

const Assignments = Type.Object(
  { assignments: Type.Record(Type.String({ maxLength: 80 }), Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 }), doc('Requirement (question id) → the assessors who score it')) },
  { additionalProperties: false },
);
const Score = Type.Object(
  { option: Type.String({ maxLength: 40, ...doc("An option of the requirement's scale") }), finding: Type.String({ maxLength: 4000, ...doc('The written finding (评估发现)') }) },
  { additionalProperties: false },
);
const Request = Type.Object({ text: Type.String({ maxLength: 2000, ...doc('What more evidence is needed') }) }, { additionalProperties: false });

const RequirementView = Type.Object(
  {
    id: Type.String(),
    number: Type.String(),
    level: Type.Integer(),
    text: Type.String(),
    options: Type.Array(Type.Object({ id: Type.String(), label: Type.String() }, { additionalProperties: false })),
    assessors: Type.Optional(Type.Array(Type.Object({ id: Type.String(), username: Type.String() }, { additionalProperties: false }), doc('Who scores it (the team sees this)'))),
    scores: Type.Optional(Type.Array(Type.Object({ assessor: Type.String(), option: Type.String(), finding: Type.String(), at: Type.String() }, { additionalProperties: false }), doc('The chief sees all; an assessor its own; the enterprise none'))),
    requests: Type.Array(Type.Object({ id: Type.String(), text: Type.String(), at: Type.String() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
const Progress = Type.Object(
  {
    requirements: Type.Array(RequirementView),
    scoredBy: Type.Integer(doc("How many of the team score each requirement (the scheme's team.scoredBy)")),
    progress: Type.Object({ inScope: Type.Integer(), assigned: Type.Integer(), scored: Type.Integer(doc('Requirements scored by every assessor assigned')) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

const empty = (): FormalAssessment => ({ assignments: {}, scores: {}, requests: [] });

export function assessmentScoringRoutes(routes: RouteTable, ctx: Context) {
  const { store } = ctx;
  const now = () => ctx.now().toISOString();
  const found = (user: User, id: string) => readableApplication(store, user, id);

  /** The application's ruleset and the requirements in its confirmed scope; refused until the pre-assessment found it ready. */
  const inScope = async (a: AssessmentApplication): Promise<{ ruleset: Ruleset; requirements: Question[] }> => {
    if (a.status !== 'accepted' || !a.preAssessment?.confirmedAt || !a.preAssessment.ready)
      throw new ApiError(409, 'not_ready', text('预评估确认企业具备条件后才能开始正式评估', 'the formal assessment starts once the pre-assessment found the enterprise ready'));
    const record = await store.getRuleset(a.rulesetId, a.rulesetVersion);
    const enterprise = await store.getEnterprise(a.enterpriseId);
    if (!record?.document.assessment || !enterprise) throw noApplication();
    return { ruleset: record.document, requirements: assessmentRequirements(record.document, { targetLevel: a.targetLevel, industryType: enterprise.industryType, excluded: a.preAssessment.excluded ?? [] }) };
  };

  const onTeam = (user: User, a: AssessmentApplication) => !!a.preAssessment?.team?.members.includes(user.id);
  const isChief = (user: User, a: AssessmentApplication) => a.preAssessment?.team?.chief === user.id;

  const change = (a: AssessmentApplication, work: (formal: FormalAssessment, current: AssessmentApplication) => void) =>
    store
      .updateAssessmentApplication(a.id, (current) => {
        if (current.status !== 'accepted') throw new ApiError(409, 'not_accepted', text('申请已不在受理状态', 'the application is no longer accepted'));
        const formal = structuredClone(current.formal ?? empty());
        work(formal, current);
        return { ...current, formal, updatedAt: now() };
      })
      .catch((e) => {
        if (e instanceof NotFoundError) throw noApplication();
        throw e;
      });

  async function progressView(user: User, a: AssessmentApplication, locale: 'zh' | 'en'): Promise<Static<typeof Progress>> {
    const { ruleset, requirements } = await inScope(a);
    const formal = a.formal ?? empty();
    const team = onTeam(user, a);
    const chief = isChief(user, a) || user.role === 'platformAdmin';
    const usernames = new Map((await Promise.all((a.preAssessment?.team?.members ?? []).map((id) => store.getUser(id)))).filter((u): u is User => !!u).map((u) => [u.id, u.username]));
    // An assessor who is not the chief sees only what it was assigned.
    const visible = team && !chief ? requirements.filter((q) => formal.assignments[q.id]?.includes(user.id)) : requirements;
    const seesScores = team || user.role === 'platformAdmin';
    const scored = requirements.filter((q) => {
      const who = formal.assignments[q.id] ?? [];
      return who.length > 0 && who.every((id) => formal.scores[q.id]?.[id]);
    }).length;
    return {
      requirements: visible.map((q) => ({
        id: q.id,
        number: q.number,
        level: q.level,
        text: localized(q.text, locale),
        options: (q.options ?? []).map((o) => ({ id: o.id, label: localized(o.label, locale) })),
        ...(seesScores ? { assessors: (formal.assignments[q.id] ?? []).map((id) => ({ id, username: usernames.get(id) ?? '' })) } : {}),
        ...(seesScores
          ? { scores: Object.entries(formal.scores[q.id] ?? {}).filter(([by]) => chief || by === user.id).map(([assessor, s]) => ({ assessor, option: s.option, finding: s.finding, at: s.at })) }
          : {}),
        requests: formal.requests.filter((r) => r.requirement === q.id).map((r) => ({ id: r.id, text: r.text, at: r.at })),
      })),
      scoredBy: ruleset.assessment!.team.scoredBy,
      progress: { inScope: requirements.length, assigned: requirements.filter((q) => (formal.assignments[q.id] ?? []).length > 0).length, scored },
    };
  }

  routes.add({
    method: 'get',
    path: '/assessment-applications/:id/requirements',
    tag: 'assessment',
    summary: "The requirements of a formal assessment with the progress: the chief (and the platform) sees all with every score; an assessor those assigned to it with its own scores; the enterprise all with what is asked of it, no scores",
    access: 'user',
    responses: { 200: 'the requirements and the progress', 404: 'no such application, or not one the caller reads', 409: 'not ready for the formal assessment' },
    response: Progress,
    handler: async (req, res) => {
      const user = currentUser(res);
      const a = await found(user, String(req.params.id));
      // Of a body's staff, only the team works on an assessment.
      if (user.role === 'assessor' && !onTeam(user, a)) throw forbidden();
      return progressView(user, a, localeOf(req));
    },
  });

  routes.add<Static<typeof Assignments>>({
    method: 'put',
    path: '/assessment-applications/:id/assignments',
    tag: 'assessment',
    summary: "The chief assessor assigns requirements to the team: each given requirement to exactly the scheme's team.scoredBy members (given ones replace earlier assignments)",
    access: 'user',
    body: Assignments,
    responses: { 200: 'the requirements and the progress', 400: 'a requirement not in scope, an assessor not on the team, or the wrong number (named)', 403: 'not the chief assessor', 404: 'no such application', 409: 'not ready for the formal assessment' },
    response: Progress,
    handler: async (req, res) => {
      const user = currentUser(res);
      const a = await found(user, String(req.params.id));
      if (!isChief(user, a)) throw forbidden();
      const { ruleset, requirements } = await inScope(a);
      const scope = new Set(requirements.map((q) => q.id));
      const team = new Set(a.preAssessment!.team!.members);
      const need = ruleset.assessment!.team.scoredBy;
      for (const [requirement, who] of Object.entries(req.body.assignments as Record<string, string[]>)) {
        const at = `/assignments/${requirement}`;
        if (!scope.has(requirement)) throw new ApiError(400, 'out_of_scope', text(`要求 ${requirement} 不在本次评估范围内`, `requirement ${requirement} is not in this assessment's scope`), at);
        const unique = new Set(who);
        if (unique.size !== need || who.length !== need) throw new ApiError(400, 'scored_by', text(`每项要求须由 ${need} 名评估组成员打分`, `each requirement is scored by ${need} members of the team`), at);
        for (const id of unique) if (!team.has(id)) throw new ApiError(400, 'not_on_team', text('只能分配给本评估组成员', 'assign only members of the team'), at);
      }
      const after = await change(a, (formal) => Object.assign(formal.assignments, req.body.assignments));
      await store.audit({ at: now(), actor: user.id, action: 'assessment.assign', target: a.id, detail: { requirements: Object.keys(req.body.assignments).length }, region: (await store.getEnterprise(a.enterpriseId))?.region });
      return progressView(user, after, localeOf(req));
    },
  });

  /** The requirement an assigned assessor works on. */
  const assignedRequirement = async (user: User, id: string, requirement: string) => {
    const a = await found(user, id);
    const { requirements } = await inScope(a);
    const question = requirements.find((q) => q.id === requirement);
    if (!question) throw notFound(text(`要求 ${requirement} 不在本次评估范围内`, `requirement ${requirement} is not in this assessment's scope`));
    if (!a.formal?.assignments[requirement]?.includes(user.id)) throw forbidden();
    return { a, question };
  };

  routes.add<Static<typeof Score>>({
    method: 'put',
    path: '/assessment-applications/:id/requirements/:requirement/score',
    tag: 'assessment',
    summary: "An assigned assessor scores a requirement's evidence on its scale, with the written finding (评估发现); scoring again replaces one's own score",
    access: 'user',
    body: Score,
    responses: { 200: 'the requirements and the progress', 400: 'not an option of the scale, or no finding', 403: 'not assigned to this requirement', 404: 'no such application or requirement', 409: 'not ready for the formal assessment' },
    response: Progress,
    handler: async (req, res) => {
      const user = currentUser(res);
      const requirement = String(req.params.requirement);
      const { a, question } = await assignedRequirement(user, String(req.params.id), requirement);
      const option = req.body.option as string;
      const finding = (req.body.finding as string).trim();
      if (!(question.options ?? []).some((o) => o.id === option))
        throw new ApiError(400, 'option', text(`"${option}" 不是该要求的评分选项（可选：${(question.options ?? []).map((o) => o.id).join('、')}）`, `"${option}" is not an option of this requirement (options: ${(question.options ?? []).map((o) => o.id).join(', ')})`), '/option');
      if ([...finding].length < 2) throw new ApiError(400, 'finding', text('请写明评估发现', 'write the finding'), '/finding');
      const at = now();
      const after = await change(a, (formal) => {
        formal.scores[requirement] = { ...formal.scores[requirement], [user.id]: { option, finding, at } };
      });
      await store.audit({ at, actor: user.id, action: 'assessment.score', target: a.id, detail: { requirement, option }, region: (await store.getEnterprise(a.enterpriseId))?.region });
      return progressView(user, after, localeOf(req));
    },
  });

  routes.add<Static<typeof Request>>({
    method: 'post',
    path: '/assessment-applications/:id/requirements/:requirement/requests',
    tag: 'assessment',
    summary: 'An assigned assessor asks the enterprise for more evidence on a requirement (补充材料); the enterprise sees it with the requirement',
    access: 'user',
    body: Request,
    responses: { 201: 'asked', 400: 'no text', 403: 'not assigned to this requirement', 404: 'no such application or requirement', 409: 'not ready for the formal assessment' },
    response: Progress,
    handler: async (req, res) => {
      const user = currentUser(res);
      const requirement = String(req.params.requirement);
      const { a } = await assignedRequirement(user, String(req.params.id), requirement);
      const body = (req.body.text as string).trim();
      if ([...body].length < 2) throw new ApiError(400, 'text', text('请写明需要补充的材料', 'say what more evidence is needed'), '/text');
      const at = now();
      const after = await change(a, (formal) => void formal.requests.push({ id: randomUUID(), requirement, by: user.id, text: body, at }));
      await store.audit({ at, actor: user.id, action: 'assessment.requestEvidence', target: a.id, detail: { requirement }, region: (await store.getEnterprise(a.enterpriseId))?.region });
      res.status(201);
      return progressView(user, after, localeOf(req));
    },
  });
}
