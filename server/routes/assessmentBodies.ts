// The registry of the formal assessment (issue 16): the assessment bodies (评估机构) platform
// administrators accredit, suspend and change, and the assessors they register for a body (a
// user of role `assessor` with the body, the assessor's own certificate number and the
// enterprises the assessor declared affiliation with). Enterprises read the bodies they may apply
// to; a body's staff read their own body; nobody else reads the registry.
import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { text, type Problem } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError, forbidden, notFound } from '../http/apiError.ts';
import { currentUser, requireRole } from '../auth.ts';
import { checkCreditCode, normaliseCreditCode } from '../accounts/creditCode.ts';
import { temporaryPassword } from '../administration/staff.ts';
import { BODY_STATUSES, type AssessmentBody, type AssessmentBodyPatch } from '../store/assessmentRecords.ts';
import { ConflictError, type User } from '../store/types.ts';

const doc = (description: string) => ({ description });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', ...doc('YYYY-MM-DD') });
const Accreditation = Type.Object(
  { number: Type.String({ minLength: 1, maxLength: 60, ...doc('资质证书编号') }), validUntil: IsoDate },
  { additionalProperties: false },
);
const Regions = Type.Array(Type.String({ maxLength: 12 }), { maxItems: 50, ...doc('Region codes the body serves; none: anywhere') });

export const AssessmentBodyView = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    creditCode: Type.String(),
    regions: Type.Array(Type.String()),
    accreditation: Accreditation,
    status: Type.Union(BODY_STATUSES.map((s) => Type.Literal(s))),
    /** Whether enterprises may apply to it now. */
    accepting: Type.Boolean(doc('Active and its accreditation valid today: enterprises may apply to it')),
    createdAt: Type.String(),
    updatedAt: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const NewBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    creditCode: Type.String({ maxLength: 40 }),
    regions: Type.Optional(Regions),
    accreditation: Accreditation,
  },
  { additionalProperties: false },
);

const BodyChange = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    regions: Type.Optional(Regions),
    accreditation: Type.Optional(Accreditation),
    status: Type.Optional(Type.Union(BODY_STATUSES.map((s) => Type.Literal(s)))),
  },
  { additionalProperties: false },
);

const AssessorView = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    bodyId: Type.String(),
    certificateNumber: Type.String(doc('评估师证书编号')),
    affiliations: Type.Array(Type.String(), doc('Credit codes of enterprises the assessor declared affiliation with')),
    bodyManager: Type.Boolean(doc("Accepts and declines the body's applications")),
    disabled: Type.Boolean(),
    createdAt: Type.String(),
  },
  { additionalProperties: false },
);

const NewAssessor = Type.Object(
  {
    username: Type.String({ pattern: '^[A-Za-z0-9_.-]{3,32}$' }),
    certificateNumber: Type.String({ minLength: 1, maxLength: 60, ...doc('评估师证书编号') }),
    affiliations: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 50 })),
    bodyManager: Type.Optional(Type.Boolean()),
    mobile: Type.Optional(Type.String({ pattern: '^1[3-9]\\d{9}$' })),
  },
  { additionalProperties: false },
);

/** Whether enterprises may apply to the body on `today` (YYYY-MM-DD). */
export const acceptsApplications = (body: AssessmentBody, today: string) => body.status === 'active' && body.accreditation.validUntil >= today;

export function bodyView(b: AssessmentBody, today: string): Static<typeof AssessmentBodyView> {
  return {
    id: b.id,
    name: b.name,
    creditCode: b.creditCode,
    regions: b.regions ?? [],
    accreditation: b.accreditation,
    status: b.status,
    accepting: acceptsApplications(b, today),
    createdAt: b.createdAt,
    ...(b.updatedAt ? { updatedAt: b.updatedAt } : {}),
  };
}

const assessorView = (u: User): Static<typeof AssessorView> => ({
  id: u.id,
  username: u.username,
  bodyId: u.bodyId!,
  certificateNumber: u.assessorCertificate ?? '',
  affiliations: u.affiliations ?? [],
  bodyManager: !!u.bodyManager,
  disabled: !!u.disabledAt,
  createdAt: u.createdAt,
});

/** A body's staff: an assessor of that body. */
export const staffOf = (user: User, bodyId: string) => user.role === 'assessor' && !!user.bodyId && user.bodyId === bodyId;

export function assessmentBodyRoutes(routes: RouteTable, ctx: Context) {
  const { store, reference } = ctx;
  const now = () => ctx.now().toISOString();
  const today = () => now().slice(0, 10);

  const codeProblem = (raw: string, pointer: string): { code: string; problem?: Problem } => {
    const code = normaliseCreditCode(raw);
    const wrong = checkCreditCode(code);
    if (!wrong) return { code };
    const message =
      wrong === 'length'
        ? text('统一社会信用代码应为 18 位', 'the unified social credit code has 18 characters')
        : wrong === 'character'
          ? text('统一社会信用代码含有无效字符（不使用 I、O、S、V、Z）', 'the credit code contains an invalid character (I, O, S, V and Z are not used)')
          : text('统一社会信用代码校验位不正确，请核对', 'the check character of the credit code is wrong; please check the code');
    return { code, problem: { code: 'creditCode', pointer, message } };
  };

  const regionProblems = (regions: string[] | undefined): Problem[] =>
    (regions ?? []).flatMap((r, i) => (reference.regionPath(r) ? [] : [{ code: 'region', pointer: `/regions/${i}`, message: text(`地区 "${r}" 不存在`, `no region "${r}"`) }]));

  const noBody = () => notFound(text('评估机构不存在', 'no such assessment body'));

  routes.add({
    method: 'get',
    path: '/assessment-bodies',
    tag: 'assessment',
    summary:
      'Assessment bodies: a platform administrator every one; an enterprise those it may apply to now (active, accreditation valid); an assessor its own body',
    access: 'user',
    responses: { 200: 'the bodies, in the order accredited', 403: 'neither a platform administrator, an enterprise nor an assessor' },
    response: Type.Array(AssessmentBodyView),
    handler: async (_req, res) => {
      const user = currentUser(res);
      const day = today();
      const all = await store.listAssessmentBodies();
      if (user.role === 'platformAdmin') return all.map((b) => bodyView(b, day));
      if (user.role === 'enterprise') return all.filter((b) => acceptsApplications(b, day)).map((b) => bodyView(b, day));
      if (user.role === 'assessor') return all.filter((b) => staffOf(user, b.id)).map((b) => bodyView(b, day));
      throw forbidden();
    },
  });

  routes.add<Static<typeof NewBody>>({
    method: 'post',
    path: '/assessment-bodies',
    tag: 'assessment',
    summary: 'Accredits an assessment body (platform administrators): name, credit code, regions served (none: anywhere), accreditation number and validity',
    access: 'user',
    body: NewBody,
    responses: { 201: 'the body, active', 400: 'a bad credit code, region or date, named', 403: 'not a platform administrator', 409: 'a body with this credit code exists' },
    response: AssessmentBodyView,
    handler: async (req, res) => {
      const user = currentUser(res);
      requireRole(user, 'platformAdmin');
      const b = req.body as Static<typeof NewBody> & { regions?: string[] };
      const { code, problem } = codeProblem(b.creditCode, '/creditCode');
      const problems = [...(problem ? [problem] : []), ...regionProblems(b.regions)];
      if (!b.name.trim()) problems.unshift({ code: 'name', pointer: '/name', message: text('请填写机构名称', 'give the body a name') });
      if (problems.length) throw ApiError.fromProblems(problems);
      const body: AssessmentBody = {
        id: randomUUID(),
        name: b.name.trim(),
        creditCode: code,
        ...(b.regions?.length ? { regions: [...new Set(b.regions)] } : {}),
        accreditation: { number: b.accreditation.number.trim(), validUntil: b.accreditation.validUntil },
        status: 'active',
        createdAt: now(),
      };
      try {
        await store.createAssessmentBody(body);
      } catch (e) {
        if (e instanceof ConflictError) throw new ApiError(409, 'body_registered', text(`统一社会信用代码 ${code} 的评估机构已存在`, `an assessment body with the credit code ${code} exists`), '/creditCode');
        throw e;
      }
      await store.audit({ at: body.createdAt, actor: user.id, action: 'assessmentBody.create', target: body.id, detail: { name: body.name, creditCode: body.creditCode, accreditation: body.accreditation.number } });
      res.status(201);
      return bodyView(body, today());
    },
  });

  routes.add<Static<typeof BodyChange>>({
    method: 'put',
    path: '/assessment-bodies/:id',
    tag: 'assessment',
    summary: "Changes an assessment body (platform administrators): name, regions, accreditation, status (suspended: enterprises can't apply to it)",
    access: 'user',
    body: BodyChange,
    responses: { 200: 'the body', 400: 'a bad region or date, named', 403: 'not a platform administrator', 404: 'no such body' },
    response: AssessmentBodyView,
    handler: async (req, res) => {
      const user = currentUser(res);
      requireRole(user, 'platformAdmin');
      const before = await store.getAssessmentBody(String(req.params.id));
      if (!before) throw noBody();
      const b = req.body as Static<typeof BodyChange> & { regions?: string[] };
      const problems = regionProblems(b.regions);
      if (b.name !== undefined && !b.name.trim()) problems.unshift({ code: 'name', pointer: '/name', message: text('请填写机构名称', 'give the body a name') });
      if (problems.length) throw ApiError.fromProblems(problems);
      const at = now();
      const patch: AssessmentBodyPatch = {
        updatedAt: at,
        ...(b.name !== undefined ? { name: b.name.trim() } : {}),
        ...(b.regions !== undefined ? { regions: [...new Set(b.regions)] } : {}),
        ...(b.accreditation ? { accreditation: b.accreditation } : {}),
        ...(b.status ? { status: b.status } : {}),
      };
      const after = await store.updateAssessmentBody(before.id, patch);
      const action = b.status && b.status !== before.status ? (b.status === 'suspended' ? 'assessmentBody.suspend' : 'assessmentBody.reinstate') : 'assessmentBody.update';
      await store.audit({ at, actor: user.id, action, target: before.id, detail: { changed: Object.keys(b).sort(), ...(b.status ? { from: before.status, to: after.status } : {}) } });
      return bodyView(after, today());
    },
  });

  routes.add({
    method: 'get',
    path: '/assessment-bodies/:id/assessors',
    tag: 'assessment',
    summary: "A body's assessors with their certificate numbers and declared affiliations: platform administrators, and the body's managers",
    access: 'user',
    responses: { 200: 'the assessors, in the order registered', 403: "neither a platform administrator nor one of the body's managers", 404: 'no such body' },
    response: Type.Array(AssessorView),
    handler: async (req, res) => {
      const user = currentUser(res);
      const id = String(req.params.id);
      if (!(user.role === 'platformAdmin' || (staffOf(user, id) && user.bodyManager))) throw forbidden();
      if (!(await store.getAssessmentBody(id))) throw noBody();
      return (await store.findAssessors(id)).map(assessorView);
    },
  });

  routes.add<Static<typeof NewAssessor>>({
    method: 'post',
    path: '/assessment-bodies/:id/assessors',
    tag: 'assessment',
    summary:
      'Registers an assessor of the body (platform administrators): username, the assessor\'s certificate number, enterprises (credit codes) the assessor declares affiliation with, whether a body manager; a temporary password shown once',
    access: 'user',
    body: NewAssessor,
    responses: { 201: 'the assessor and a temporary password', 400: 'a bad credit code, named', 403: 'not a platform administrator', 404: 'no such body', 409: 'the username is taken' },
    response: Type.Object({ assessor: AssessorView, temporaryPassword: Type.String(doc('Shown once, never stored or logged')) }, { additionalProperties: false }),
    handler: async (req, res) => {
      const user = currentUser(res);
      requireRole(user, 'platformAdmin');
      const body = await store.getAssessmentBody(String(req.params.id));
      if (!body) throw noBody();
      const b = req.body as Static<typeof NewAssessor> & { affiliations?: string[] };
      const problems: Problem[] = [];
      const affiliations = (b.affiliations ?? []).map((raw, i) => {
        const { code, problem } = codeProblem(raw, `/affiliations/${i}`);
        if (problem) problems.push(problem);
        return code;
      });
      if (!b.certificateNumber.trim()) problems.push({ code: 'certificateNumber', pointer: '/certificateNumber', message: text('请填写评估师证书编号', "give the assessor's certificate number") });
      if (problems.length) throw ApiError.fromProblems(problems);
      const password = temporaryPassword();
      const assessor: User = {
        id: randomUUID(),
        username: b.username,
        passwordHash: await ctx.passwords.hash(password),
        role: 'assessor',
        bodyId: body.id,
        assessorCertificate: b.certificateNumber.trim(),
        ...(affiliations.length ? { affiliations: [...new Set(affiliations)] } : {}),
        ...(b.bodyManager ? { bodyManager: true } : {}),
        ...(b.mobile ? { mobile: b.mobile } : {}),
        createdAt: now(),
      };
      try {
        await store.createAccount(assessor);
      } catch (e) {
        if (e instanceof ConflictError) throw new ApiError(409, e.code, text(`用户名 "${b.username}" 已被注册`, `the username "${b.username}" is taken`), '/username');
        throw e;
      }
      await store.audit({
        at: assessor.createdAt,
        actor: user.id,
        action: 'user.create',
        target: assessor.id,
        detail: { role: 'assessor', body: body.id, certificateNumber: assessor.assessorCertificate, bodyManager: !!assessor.bodyManager, affiliations: assessor.affiliations ?? [] },
      });
      res.status(201);
      return { assessor: assessorView(assessor), temporaryPassword: password };
    },
  });
}
