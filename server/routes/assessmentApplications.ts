// Applications for a formal assessment (step 1 of seed 003, issue 16). An enterprise applies to
// an accredited body for a target level on the form its ruleset's assessment scheme declares; the
// engine checks the form and the scheme's rules (with the enterprise's facts and its counted
// self-diagnosis); the body's managers accept (recording the contract date) or decline; the
// enterprise may withdraw one not yet decided. Who reads what: an enterprise its own, a body's
// staff their body's, a region administrator those of enterprises in its region (read only), a
// platform administrator all; anything else is 404 (an application outside one's scope is not
// there) or 403 for a role that has none.
import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { adjustableWeightGroups, applicationForm, assessmentScheme, checkApplication, checkAssessmentWeights, checkTailoring, levelName, localized, pickWeightSet, tailoringChoices, text, type ApplicationValues, type Problem, type Ruleset } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError, forbidden, localeOf, notFound, type Locale } from '../http/apiError.ts';
import { oneOf, paging, param } from '../http/queryParams.ts';
import { currentUser } from '../auth.ts';
import { enterpriseFacts } from '../enterpriseFacts.ts';
import { applicationBasis } from '../assessment/applicationRuleset.ts';
import { acceptsApplications, staffOf } from './assessmentBodies.ts';
import { APPLICATION_STATUSES, type AssessmentApplication, type AssessmentApplicationFilter, type PreAssessment } from '../store/assessmentRecords.ts';
import { ConflictError, MAX_PAGE_SIZE, NotFoundError, type Enterprise, type Store, type User } from '../store/types.ts';

const doc = (description: string) => ({ description });
const Person = Type.Object({ name: Type.Optional(Type.String({ maxLength: 60 })), certificateNo: Type.Optional(Type.String({ maxLength: 60 })) }, { additionalProperties: false });
const Values = Type.Record(Type.String({ maxLength: 60 }), Type.Union([Type.String({ maxLength: 2000 }), Type.Number(), Type.Array(Person, { maxItems: 200 })]), doc("The application form's values by field id (the ruleset's assessment.application.fields)"));
const Status = Type.Union(APPLICATION_STATUSES.map((s) => Type.Literal(s)), doc(APPLICATION_STATUSES.join(', ')));

const ApplicationView = Type.Object(
  {
    id: Type.String(),
    enterprise: Type.Object({ id: Type.String(), name: Type.String(), creditCode: Type.String() }, { additionalProperties: false }),
    body: Type.Object({ id: Type.String(), name: Type.String() }, { additionalProperties: false }),
    ruleset: Type.Object({ id: Type.String(), version: Type.String() }, { additionalProperties: false }),
    targetLevel: Type.Integer(),
    targetLevelName: Type.String(doc("The level as the ruleset names it (二级（规范级）), in the request's language")),
    values: Values,
    status: Status,
    createdAt: Type.String(),
    updatedAt: Type.Optional(Type.String()),
    decidedAt: Type.Optional(Type.String()),
    contractDate: Type.Optional(Type.String(doc('商务签约: the contract date recorded on acceptance'))),
    declineReason: Type.Optional(Type.String()),
    preAssessment: Type.Optional(
      Type.Object(
        {
          team: Type.Optional(
            Type.Object(
              {
                chief: Type.Object({ id: Type.String(), username: Type.String() }, { additionalProperties: false }),
                members: Type.Array(Type.Object({ id: Type.String(), username: Type.String(), certificate: Type.Optional(Type.String()) }, { additionalProperties: false })),
                setAt: Type.String(),
              },
              { additionalProperties: false },
            ),
          ),
          excluded: Type.Optional(Type.Array(Type.String(), doc('Nodes tailored out, as the chief assessor confirmed them'))),
          weights: Type.Optional(Type.Record(Type.String(), Type.Number(), doc("This enterprise's weights (node id → weight), within the ruleset's adjustableWeights"))),
          ready: Type.Optional(Type.Boolean(doc('Whether the enterprise is ready for the formal assessment'))),
          readinessNote: Type.Optional(Type.String()),
          confirmedAt: Type.Optional(Type.String()),
        },
        { additionalProperties: false, ...doc('预评估: the team, the scope, the weights and the readiness') },
      ),
    ),
  },
  { additionalProperties: false },
);
type ApplicationView = Static<typeof ApplicationView>;

const TeamChoice = Type.Object(
  {
    chief: Type.String({ maxLength: 64, ...doc('The chief assessor (主任评估师), one of the members') }),
    members: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 50, ...doc("User ids of the body's assessors on the team, the chief included") }),
  },
  { additionalProperties: false },
);
const PreAssessmentChoice = Type.Object(
  {
    excluded: Type.Array(Type.String({ maxLength: 80 }), { maxItems: 500, ...doc('Nodes tailored out (excludable ones only)') }),
    weights: Type.Optional(Type.Record(Type.String({ maxLength: 80 }), Type.Number({ minimum: 0, maximum: 1 }), doc('Whole sibling groups of the adjustable layers, each summing to 1'))),
    ready: Type.Boolean(),
    note: Type.String({ maxLength: 2000, ...doc('Why the enterprise is or is not ready (required when not)') }),
  },
  { additionalProperties: false },
);

const NewApplication = Type.Object(
  { body: Type.String({ maxLength: 64, ...doc("The assessment body's id") }), targetLevel: Type.Integer({ minimum: 1, maximum: 20 }), values: Values },
  { additionalProperties: false },
);
const Acceptance = Type.Object({ contractDate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', ...doc('商务签约 date, YYYY-MM-DD') }) }, { additionalProperties: false });
const Decline = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });

const Refusal = Type.Object({ rule: Type.String(), message: Type.String(doc("In the request's language")) }, { additionalProperties: false });

/** Whether `user` may read the application; anyone else is told it isn't there. */
export function readsApplication(user: User, a: AssessmentApplication): boolean {
  switch (user.role) {
    case 'platformAdmin':
      return true;
    case 'enterprise':
      return !!user.enterpriseId && user.enterpriseId === a.enterpriseId;
    case 'assessor':
      return staffOf(user, a.bodyId);
    case 'regionAdmin':
      return !!user.region && a.regions.includes(user.region);
    default:
      return false;
  }
}

export const noApplication = () => notFound(text('评估申请不存在', 'no such assessment application'));

/** The application `user` may read, else the 404 anyone else gets. */
export async function readableApplication(store: Store, user: User, id: string): Promise<AssessmentApplication> {
  const a = await store.getAssessmentApplication(id);
  if (!a || !readsApplication(user, a)) throw noApplication();
  return a;
}

/** The list filter of a role's scope; a role with none is refused. */
function scopeFilter(user: User): AssessmentApplicationFilter {
  if (user.role === 'platformAdmin') return {};
  if (user.role === 'enterprise' && user.enterpriseId) return { enterpriseId: user.enterpriseId };
  if (user.role === 'assessor' && user.bodyId) return { bodyId: user.bodyId };
  if (user.role === 'regionAdmin' && user.region) return { regions: [user.region] };
  throw forbidden();
}

const validDate = (d: string) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

export function assessmentApplicationRoutes(routes: RouteTable, ctx: Context) {
  const { store } = ctx;
  const now = () => ctx.now().toISOString();
  /** The applicant's region now, for the audit log's scope. */
  const regionOf = async (a: AssessmentApplication) => (await store.getEnterprise(a.enterpriseId))?.region;
  async function view(a: AssessmentApplication, locale: Locale): Promise<ApplicationView> {
    const [enterprise, body, ruleset] = await Promise.all([store.getEnterprise(a.enterpriseId), store.getAssessmentBody(a.bodyId), store.getRuleset(a.rulesetId, a.rulesetVersion)]);
    return {
      id: a.id,
      enterprise: { id: a.enterpriseId, name: enterprise?.name ?? '', creditCode: enterprise?.creditCode ?? '' },
      body: { id: a.bodyId, name: body?.name ?? '' },
      ruleset: { id: a.rulesetId, version: a.rulesetVersion },
      targetLevel: a.targetLevel,
      targetLevelName: ruleset ? localized(levelName(ruleset.document, a.targetLevel), locale) : String(a.targetLevel),
      values: a.values as ApplicationView['values'],
      status: a.status,
      createdAt: a.createdAt,
      ...(a.updatedAt ? { updatedAt: a.updatedAt } : {}),
      ...(a.decidedAt ? { decidedAt: a.decidedAt } : {}),
      ...(a.contractDate ? { contractDate: a.contractDate } : {}),
      ...(a.declineReason ? { declineReason: a.declineReason } : {}),
      ...(a.preAssessment ? { preAssessment: await preAssessmentView(a.preAssessment) } : {}),
    };
  }

  async function preAssessmentView(p: PreAssessment): Promise<NonNullable<ApplicationView['preAssessment']>> {
    const team = p.team && (await Promise.all(p.team.members.map((id) => store.getUser(id))));
    const person = (u: User | undefined, id: string) => ({ id, username: u?.username ?? '' });
    return {
      ...(p.team && team
        ? {
            team: {
              chief: person(team[p.team.members.indexOf(p.team.chief)], p.team.chief),
              members: p.team.members.map((id, i) => ({ ...person(team[i], id), ...(team[i]?.assessorCertificate ? { certificate: team[i]!.assessorCertificate } : {}) })),
              setAt: p.team.setAt,
            },
          }
        : {}),
      ...(p.excluded ? { excluded: p.excluded } : {}),
      ...(p.weights ? { weights: p.weights } : {}),
      ...(p.ready !== undefined ? { ready: p.ready } : {}),
      ...(p.readinessNote ? { readinessNote: p.readinessNote } : {}),
      ...(p.confirmedAt ? { confirmedAt: p.confirmedAt } : {}),
    };
  }

  const found = (user: User, id: string) => readableApplication(store, user, id);

  const enterpriseOf = async (user: User): Promise<Enterprise> => {
    if (user.role !== 'enterprise' || !user.enterpriseId) throw forbidden();
    const enterprise = await store.getEnterprise(user.enterpriseId);
    if (!enterprise) throw forbidden();
    return enterprise;
  };

  const noScheme = (r: Ruleset | undefined) =>
    new ApiError(
      409,
      'no_assessment_scheme',
      r
        ? text(`规则集 ${r.id}@${r.version} 未定义正式评估方案，暂不能申请`, `the ruleset ${r.id}@${r.version} declares no formal assessment: there is nothing to apply for yet`)
        : text('没有适用于本企业的规则集', 'no ruleset serves this enterprise'),
    );

  /** A step a body's manager takes on a submitted application of the body. */
  async function decide(user: User, id: string, change: (a: AssessmentApplication, at: string) => AssessmentApplication, action: string, detail: Record<string, unknown>) {
    const before = await found(user, id);
    if (!(staffOf(user, before.bodyId) && user.bodyManager)) throw forbidden();
    const at = now();
    const after = await store
      .updateAssessmentApplication(before.id, (a) => {
        if (a.status !== 'submitted') throw notSubmitted(a);
        return change(a, at);
      })
      .catch((e) => {
        if (e instanceof NotFoundError) throw noApplication();
        throw e;
      });
    await store.audit({ at, actor: user.id, action, target: before.id, detail: { body: before.bodyId, enterprise: before.enterpriseId, ...detail }, region: await regionOf(before) });
    return after;
  }

  const notSubmitted = (a: AssessmentApplication) =>
    new ApiError(409, 'application_not_submitted', text(`该申请已${{ submitted: '提交', accepted: '受理', declined: '被拒绝', withdrawn: '撤回' }[a.status]}，不能再处理`, `the application is ${a.status} already`));

  routes.add({
    method: 'get',
    path: '/assessment-form',
    tag: 'assessment',
    summary:
      "The application form (an @rjsf JSON schema and uiSchema) of a published ruleset's assessment scheme (?ruleset=id@version), or of the ruleset an enterprise's application would follow; with the levels one may apply for",
    access: 'user',
    query: { ruleset: { type: 'string', description: 'id@version of a published ruleset; none: the calling enterprise’s' } },
    responses: { 200: 'the form', 400: 'a malformed ruleset reference', 403: 'no ruleset given and not an enterprise', 404: 'no such published ruleset', 409: 'the ruleset declares no formal assessment' },
    response: Type.Object(
      {
        ruleset: Type.Object({ id: Type.String(), version: Type.String() }, { additionalProperties: false }),
        title: Type.String(),
        targetLevels: Type.Array(Type.Object({ level: Type.Integer(), name: Type.String(doc("As the ruleset names it, in the request's language")) }, { additionalProperties: false })),
        schema: Type.Record(Type.String(), Type.Unknown()),
        uiSchema: Type.Record(Type.String(), Type.Unknown()),
      },
      { additionalProperties: false },
    ),
    handler: async (req, res) => {
      const user = currentUser(res);
      const asked = param(req, 'ruleset', 200);
      let ruleset: Ruleset | undefined;
      if (asked) {
        const at = asked.lastIndexOf('@');
        if (at <= 0 || at === asked.length - 1) throw new ApiError(400, 'invalid', text('规则集应写作 id@版本', 'give the ruleset as id@version'), 'ruleset');
        const record = await store.getRuleset(asked.slice(0, at), asked.slice(at + 1));
        if (!record || record.status !== 'published') throw notFound(text(`已发布的规则集 ${asked} 不存在`, `no published ruleset ${asked}`));
        ruleset = record.document;
      } else ruleset = (await applicationBasis(ctx, await enterpriseOf(user))).ruleset;
      if (!ruleset?.assessment) throw noScheme(ruleset);
      const scheme = assessmentScheme(ruleset);
      const locale = localeOf(req);
      const form = applicationForm(scheme, locale);
      return { ruleset: { id: ruleset.id, version: ruleset.version }, title: form.schema.title as string, targetLevels: scheme.targetLevels.map((level) => ({ level, name: localized(levelName(ruleset, level), locale) })), schema: form.schema, uiSchema: form.uiSchema };
    },
  });

  routes.add<Static<typeof NewApplication>>({
    method: 'post',
    path: '/assessment-applications',
    tag: 'assessment',
    summary:
      "An enterprise applies to an accredited body for a formal assessment at a target level, with the application form's values; checked by the engine against its ruleset's assessment scheme (the form, and the scheme's rules with the enterprise's facts and counted self-diagnosis)",
    access: 'user',
    body: NewApplication,
    responses: {
      201: 'the application, submitted',
      400: 'a form problem, naming /values/<field> (or /targetLevel, /body)',
      403: 'not an enterprise',
      409: 'application_refused: the rules that refuse it with their messages; no_assessment_scheme; body_not_accepting; application_open: the enterprise has an undecided or accepted application',
    },
    response: ApplicationView,
    handler: async (req, res) => {
      const user = currentUser(res);
      const enterprise = await enterpriseOf(user);
      const locale = localeOf(req);
      const b = req.body;
      const body = await store.getAssessmentBody(b.body);
      if (!body) throw new ApiError(400, 'invalid', text('评估机构不存在', 'no such assessment body'), '/body');
      const today = now().slice(0, 10);
      if (!acceptsApplications(body, today))
        throw new ApiError(409, 'body_not_accepting', text(`评估机构“${body.name}”暂停受理或资质已过期`, `the assessment body "${body.name}" is suspended or its accreditation has expired`), '/body');
      if (body.regions?.length && !body.regions.some((r) => enterprise.regionPath.includes(r)))
        throw new ApiError(409, 'body_not_accepting', text(`评估机构“${body.name}”不服务本企业所在地区`, `the assessment body "${body.name}" does not serve the enterprise's region`), '/body');
      const { ruleset, counted } = await applicationBasis(ctx, enterprise);
      if (!ruleset?.assessment) throw noScheme(ruleset);
      const decision = await checkApplication(ruleset, {
        targetLevel: b.targetLevel,
        values: b.values as ApplicationValues,
        ...(counted?.level !== undefined ? { selfDiagnosis: { level: counted.level, score: counted.total ?? 0 } } : {}),
        enterprise: await enterpriseFacts(ctx, enterprise),
      });
      if (decision.problems.length) throw ApiError.fromProblems(decision.problems);
      if (decision.refusals.length) {
        const say = (t: { zh: string; en?: string }) => (locale === 'en' ? t.en || t.zh : t.zh);
        throw new ApiError(
          409,
          'application_refused',
          { zh: decision.refusals.map((r) => r.message.zh).join('；'), en: decision.refusals.map((r) => r.message.en).join('; ') },
          undefined,
          decision.refusals.map((r) => ({ field: `/rules/${r.rule}`, text: { zh: r.message.zh, en: say(r.message) } })),
        );
      }
      const at = now();
      const application: AssessmentApplication = {
        id: randomUUID(),
        enterpriseId: enterprise.id,
        bodyId: body.id,
        regions: [...enterprise.regionPath, ...(enterprise.groups ?? [])],
        rulesetId: ruleset.id,
        rulesetVersion: ruleset.version,
        ...(counted ? { diagnosisId: counted.id } : {}),
        targetLevel: b.targetLevel,
        values: b.values,
        status: 'submitted',
        submittedBy: user.id,
        createdAt: at,
      };
      try {
        await store.createAssessmentApplication(application);
      } catch (e) {
        if (e instanceof ConflictError && e.code === 'application_open')
          throw new ApiError(409, 'application_open', text('本企业已有一份待受理或已受理的评估申请', 'the enterprise has an application that is waiting or accepted already'));
        throw e;
      }
      await store.audit({ at, actor: user.id, action: 'assessment.apply', target: application.id, detail: { enterprise: enterprise.id, body: body.id, targetLevel: b.targetLevel, ruleset: `${ruleset.id}@${ruleset.version}` }, region: enterprise.region });
      res.status(201);
      return view(application, localeOf(req));
    },
  });

  routes.add({
    method: 'get',
    path: '/assessment-applications',
    tag: 'assessment',
    summary:
      "Applications for a formal assessment, newest first: an enterprise's own, a body's staff their body's, a region administrator those of enterprises in its region, a platform administrator every one",
    access: 'user',
    query: { status: { type: 'string', description: APPLICATION_STATUSES.join(', ') }, page: { type: 'integer', description: 'from 1' }, pageSize: { type: 'integer', description: `1–${MAX_PAGE_SIZE}, default 20` } },
    responses: { 200: '{ total, page, pageSize, items }', 400: 'an invalid parameter', 403: 'a ruleset author' },
    response: Type.Object({ total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), items: Type.Array(ApplicationView) }, { additionalProperties: false }),
    handler: async (req, res) => {
      const user = currentUser(res);
      const filter = scopeFilter(user);
      const status = oneOf(req, 'status', APPLICATION_STATUSES);
      const { page, pageSize, offset, limit } = paging(req, MAX_PAGE_SIZE);
      const listed = await store.listAssessmentApplications({ ...filter, ...(status ? { status } : {}) }, { offset, limit });
      return { total: listed.total, page, pageSize, items: await Promise.all(listed.items.map((a) => view(a, localeOf(req)))) };
    },
  });

  routes.add({
    method: 'get',
    path: '/assessment-applications/:id',
    tag: 'assessment',
    summary: 'One application, for those who may read it (see the list)',
    access: 'user',
    responses: { 200: 'the application', 404: 'no such application, or not yours to read' },
    response: ApplicationView,
    handler: async (req, res) => view(await found(currentUser(res), String(req.params.id)), localeOf(req)),
  });

  routes.add<Static<typeof Acceptance>>({
    method: 'post',
    path: '/assessment-applications/:id/accept',
    tag: 'assessment',
    summary: "The body's manager accepts a submitted application, recording the contract (商务签约) date",
    access: 'user',
    body: Acceptance,
    responses: { 200: 'the application, accepted', 400: 'not a date', 403: "not one of the body's managers", 404: 'no such application, or not your body’s', 409: 'not submitted (decided or withdrawn already)' },
    response: ApplicationView,
    handler: async (req, res) => {
      const user = currentUser(res);
      const { contractDate } = req.body;
      if (!validDate(contractDate)) throw new ApiError(400, 'invalid', text('签约日期应为有效日期，如 2026-12-01', 'the contract date must be a real date such as 2026-12-01'), '/contractDate');
      const after = await decide(user, String(req.params.id), (a, at) => ({ ...a, status: 'accepted', contractDate, decidedBy: user.id, decidedAt: at, updatedAt: at }), 'assessment.accept', { contractDate });
      return view(after, localeOf(req));
    },
  });

  routes.add<Static<typeof Decline>>({
    method: 'post',
    path: '/assessment-applications/:id/decline',
    tag: 'assessment',
    summary: "The body's manager declines a submitted application, with the reason the enterprise reads",
    access: 'user',
    body: Decline,
    responses: { 200: 'the application, declined', 400: 'no reason', 403: "not one of the body's managers", 404: 'no such application, or not your body’s', 409: 'not submitted (decided or withdrawn already)' },
    response: ApplicationView,
    handler: async (req, res) => {
      const user = currentUser(res);
      const reason = req.body.reason.trim();
      if (!reason) throw new ApiError(400, 'invalid', text('请写明不予受理的理由', 'give the reason for declining'), '/reason');
      const after = await decide(user, String(req.params.id), (a, at) => ({ ...a, status: 'declined', declineReason: reason, decidedBy: user.id, decidedAt: at, updatedAt: at }), 'assessment.decline', {});
      return view(after, localeOf(req));
    },
  });

  routes.add({
    method: 'post',
    path: '/assessment-applications/:id/withdraw',
    tag: 'assessment',
    summary: 'The enterprise withdraws its application while the body has not decided it',
    access: 'user',
    responses: { 200: 'the application, withdrawn', 403: 'not the enterprise that applied', 404: 'no such application, or not yours', 409: 'decided already' },
    response: ApplicationView,
    handler: async (req, res) => {
      const user = currentUser(res);
      const before = await found(user, String(req.params.id));
      if (user.role !== 'enterprise') throw forbidden();
      const at = now();
      const after = await store.updateAssessmentApplication(before.id, (a) => {
        if (a.status !== 'submitted') throw notSubmitted(a);
        return { ...a, status: 'withdrawn', updatedAt: at };
      });
      await store.audit({ at, actor: user.id, action: 'assessment.withdraw', target: before.id, detail: { body: before.bodyId, enterprise: before.enterpriseId }, region: await regionOf(before) });
      return view(after, localeOf(req));
    },
  });

  /** The application's ruleset and its scheme (an accepted application always has both). */
  const schemeOf = async (a: AssessmentApplication) => {
    const record = await store.getRuleset(a.rulesetId, a.rulesetVersion);
    if (!record?.document.assessment) throw noScheme(record?.document);
    return { ruleset: record.document, scheme: record.document.assessment };
  };
  const notAccepted = () => new ApiError(409, 'not_accepted', text('只有已受理的申请才能进行预评估', 'only an accepted application goes to pre-assessment'));

  routes.add<Static<typeof TeamChoice>>({
    method: 'put',
    path: '/assessment-applications/:id/team',
    tag: 'assessment',
    summary: "The body's manager names the assessment team of an accepted application: the body's own assessors, none declared affiliated with the enterprise, at least the scheme's number, a chief among them",
    access: 'user',
    body: TeamChoice,
    responses: { 200: 'the application with its team', 400: 'a member who is not an assessor of the body, too few, or a chief not on the team (named)', 403: "not one of the body's managers", 404: 'no such application, or not your body’s', 409: 'not accepted, or a member affiliated with the enterprise' },
    response: ApplicationView,
    handler: async (req, res) => {
      const user = currentUser(res);
      const before = await found(user, String(req.params.id));
      if (!(staffOf(user, before.bodyId) && user.bodyManager)) throw forbidden();
      const members: string[] = [...new Set<string>(req.body.members)];
      const { scheme } = await schemeOf(before);
      const enterprise = await store.getEnterprise(before.enterpriseId);
      for (const [i, id] of members.entries()) {
        const member = await store.getUser(id);
        if (!member || !staffOf(member, before.bodyId) || member.disabledAt)
          throw new ApiError(400, 'not_an_assessor', text(`第 ${i + 1} 位成员不是本机构的在职评估师`, `member ${i + 1} is not an active assessor of this body`), `/members/${i}`);
        if (enterprise && (member.affiliations ?? []).includes(enterprise.creditCode))
          throw new ApiError(409, 'affiliated', text(`评估师 ${member.username} 已声明与该企业存在关联，不能进入其评估组`, `the assessor ${member.username} declared an affiliation with this enterprise and cannot be on its team`), `/members/${i}`);
      }
      if (members.length < scheme.team.minAssessors)
        throw new ApiError(400, 'team_too_small', text(`评估组至少需要 ${scheme.team.minAssessors} 名评估师`, `a team needs at least ${scheme.team.minAssessors} assessors`), '/members');
      if (!members.includes(req.body.chief)) throw new ApiError(400, 'chief_not_member', text('主任评估师须是评估组成员', 'the chief assessor must be on the team'), '/chief');
      const at = now();
      const after = await store.updateAssessmentApplication(before.id, (a) => {
        if (a.status !== 'accepted') throw notAccepted();
        return { ...a, preAssessment: { ...a.preAssessment, team: { chief: req.body.chief, members, setBy: user.id, setAt: at } }, updatedAt: at };
      });
      await store.audit({ at, actor: user.id, action: 'assessment.team', target: before.id, detail: { body: before.bodyId, enterprise: before.enterpriseId, chief: req.body.chief, members: members.length }, region: await regionOf(before) });
      return view(after, localeOf(req));
    },
  });

  routes.add<Static<typeof PreAssessmentChoice>>({
    method: 'put',
    path: '/assessment-applications/:id/pre-assessment',
    tag: 'assessment',
    summary: "The chief assessor confirms the pre-assessment (预评估): the scope (tailored nodes, checked by the ruleset's tailoring rules), this enterprise's weights within the ruleset's bounds, and whether the enterprise is ready, with reasons",
    access: 'user',
    body: PreAssessmentChoice,
    responses: { 200: 'the application with its pre-assessment', 400: 'tailoring or weights the ruleset does not allow, or no reason for not ready (named)', 403: 'not the chief assessor of its team', 404: 'no such application, or not your body’s', 409: 'not accepted, or no team yet' },
    response: ApplicationView,
    handler: async (req, res) => {
      const user = currentUser(res);
      const before = await found(user, String(req.params.id));
      if (!before.preAssessment?.team) throw new ApiError(409, 'no_team', text('请先由机构负责人组建评估组', "the body's manager names the team first"));
      if (before.preAssessment.team.chief !== user.id) throw forbidden();
      const { ruleset } = await schemeOf(before);
      const enterprise = await store.getEnterprise(before.enterpriseId);
      if (!enterprise) throw noApplication();
      const excluded: string[] = [...new Set<string>(req.body.excluded)];
      const problems: Problem[] = [
        ...(await checkTailoring(ruleset, excluded, await enterpriseFacts(ctx, enterprise))),
        ...(req.body.weights ? checkAssessmentWeights(ruleset, enterprise.industryType, req.body.weights) : []),
      ];
      if (problems.length) throw ApiError.fromProblems(problems, 'pre_assessment');
      const note = req.body.note.trim();
      if (!req.body.ready && !note) throw new ApiError(400, 'reason', text('企业尚不具备正式评估条件时，请写明原因', 'say why the enterprise is not ready'), '/note');
      const at = now();
      const after = await store.updateAssessmentApplication(before.id, (a) => {
        if (a.status !== 'accepted') throw notAccepted();
        const { weights: _w, ...kept } = a.preAssessment ?? {};
        return {
          ...a,
          preAssessment: { ...kept, excluded, ...(req.body.weights ? { weights: req.body.weights } : {}), ready: req.body.ready, ...(note ? { readinessNote: note } : {}), confirmedBy: user.id, confirmedAt: at },
          updatedAt: at,
        };
      });
      await store.audit({ at, actor: user.id, action: 'assessment.preAssessment', target: before.id, detail: { body: before.bodyId, enterprise: before.enterpriseId, excluded: excluded.length, weights: !!req.body.weights, ready: req.body.ready }, region: await regionOf(before) });
      return view(after, localeOf(req));
    },
  });

  routes.add({
    method: 'get',
    path: '/assessment-applications/:id/pre-assessment-options',
    tag: 'assessment',
    summary: "What the pre-assessment may choose, as the engine reads the application's ruleset for this enterprise: the nodes and whether each may be tailored out (with why), and the sibling groups whose weights may move, each node with its default and bounds",
    access: 'user',
    responses: { 200: 'the choices', 404: 'no such application, or not one the caller reads', 409: 'the ruleset declares no formal assessment' },
    response: Type.Object(
      {
        tailoring: Type.Array(
          Type.Object(
            { id: Type.String(), name: Type.String(), parent: Type.Optional(Type.String()), mandatory: Type.Boolean(), excludable: Type.Boolean(), reason: Type.Optional(Type.String()) },
            { additionalProperties: false },
          ),
        ),
        weightGroups: Type.Array(
          Type.Object(
            {
              parent: Type.Optional(Type.Object({ id: Type.String(), name: Type.String() }, { additionalProperties: false })),
              nodes: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), default: Type.Number(), min: Type.Number(), max: Type.Number() }, { additionalProperties: false })),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    handler: async (req, res) => {
      const a = await found(currentUser(res), String(req.params.id));
      const { ruleset } = await schemeOf(a);
      const enterprise = await store.getEnterprise(a.enterpriseId);
      if (!enterprise) throw noApplication();
      const locale = localeOf(req);
      const choices = await tailoringChoices(ruleset, await enterpriseFacts(ctx, enterprise));
      return {
        tailoring: choices.map((c) => ({ id: c.id, name: localized(c.name, locale), ...(c.parent ? { parent: c.parent } : {}), mandatory: c.mandatory, excludable: c.excludable, ...(c.reason ? { reason: localized(c.reason, locale) } : {}) })),
        weightGroups: adjustableWeightGroups(ruleset, pickWeightSet(ruleset, enterprise.industryType)).map((g) => ({
          ...(g.parent ? { parent: { id: g.parent.id, name: localized(g.parent.name, locale) } } : {}),
          nodes: g.nodes.map((n) => ({ id: n.id, name: localized(n.name, locale), default: n.default, min: n.min, max: n.max })),
        })),
      };
    },
  });
}

