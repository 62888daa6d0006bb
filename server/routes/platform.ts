// Reference data, the rulesets a caller may read, administrators' accounts and the first administrator's setup.
import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { localized, Ruleset, text } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError, localeOf, notFound } from '../http/apiError.ts';
import { canRead, currentUser, publicUser, requireRole, startSession } from '../auth.ts';
import { passwordProblems } from './accounts.ts';
import type { User } from '../store/types.ts';
import { consumeSetupToken } from '../setup.ts';
import { mayReadRuleset, rulesetFor } from '../rulesetAccess.ts';
import type { TreeNode } from '../regions/tree.ts';
import { EnterpriseSchema, PublicUserSchema } from './schemas/accounts.ts';
import { createStaff, StaffBody } from '../administration/staff.ts';

const doc = (description: string) => ({ description });

/** A name of the reference data: both languages, and the one the request asked for. */
const ReferenceName = Type.Object(
  { zh: Type.String(), en: Type.String(doc('English, else the Chinese')), label: Type.String(doc("The name in the request's language (Accept-Language)")) },
  { additionalProperties: false },
);
const ReferenceOption = Type.Object({ id: Type.String(), name: ReferenceName }, { additionalProperties: false });

/** A region an enterprise may register in (no enterprise groups: those are joined, not registered in). */
const ReferenceRegion = Type.Recursive(
  (This) =>
    Type.Object(
      {
        code: Type.String(),
        name: ReferenceName,
        kind: Type.Union([Type.Literal('province'), Type.Literal('city'), Type.Literal('district'), Type.Literal('park')]),
        custom: Type.Boolean(doc('Created by the platform, not listed in GB/T 2260')),
        children: Type.Optional(Type.Array(This, doc('Absent for a region with none below it'))),
      },
      { additionalProperties: false },
    ),
  { $id: 'ReferenceRegion' },
);
type ReferenceRegion = Static<typeof ReferenceRegion>;

const ReferenceSchema = Type.Object(
  {
    enterpriseTypes: Type.Array(ReferenceOption),
    sizeBands: Type.Array(ReferenceOption),
    industryTypes: Type.Array(ReferenceOption, doc('The industry types the platform files enterprises under; rulesets key weights and questions by these ids')),
    industries: Type.Array(
      Type.Object(
        {
          code: Type.String(doc('GB/T 4754-2017 section (门类)')),
          name: ReferenceName,
          divisions: Type.Array(
            Type.Object(
              { code: Type.String(doc('GB/T 4754-2017 division (大类): what an enterprise registers as its industry')), name: ReferenceName, industryType: Type.Optional(Type.String(doc('The industry type the division is filed under; absent: the platform default'))) },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    regions: Type.Array(ReferenceRegion, doc('GB/T 2260 with the regions the platform created: the provinces, each with the regions below it')),
  },
  { additionalProperties: false },
);

/** A ruleset version as `GET /rulesets` lists it. */
const RulesetListItem = Type.Object(
  {
    id: Type.String(),
    version: Type.String(),
    status: Type.Union([Type.Literal('draft'), Type.Literal('published')]),
    regions: Type.Array(Type.String(), doc('Region codes whose enterprises get this ruleset by default')),
    publishedAt: Type.Optional(Type.String(doc('ISO time; absent for a draft'))),
    title: Type.String(doc("In the request's language")),
    extends: Type.Optional(Type.String(doc('A variant: its base, id@version'))),
    questions: Type.Integer(doc('How many questions the version has')),
  },
  { additionalProperties: false },
);

export function platformRoutes(routes: RouteTable, ctx: Context) {
  const { store, reference } = ctx;

  routes.add({
    method: 'get',
    path: '/reference',
    tag: 'reference',
    summary: 'Registration options: enterprise types, size bands, industry types, GB/T 4754-2017 industries, GB/T 2260 regions with the parks and districts the platform created',
    access: 'public',
    responses: { 200: 'the reference data' },
    response: ReferenceSchema,
    handler: (req) => {
      const locale = localeOf(req);
      const name = (n: { zh: string; en?: string }) => ({ zh: n.zh, en: n.en ?? n.zh, label: localized(n, locale) });
      // Groups are left out below (nodes({ groups: false })), so every kind is a place's.
      const region = (r: TreeNode): ReferenceRegion => ({ code: r.code, name: name(r.name), kind: r.kind as ReferenceRegion['kind'], custom: r.custom, ...(r.children?.length ? { children: r.children.map(region) } : {}) });
      return {
        enterpriseTypes: reference.enterpriseTypes.map((t) => ({ id: t.id, name: name(t.name) })),
        sizeBands: reference.sizeBands.map((s) => ({ id: s.id, name: name(s.name) })),
        industryTypes: reference.industryTypes.map((s) => ({ id: s.id, name: name(s.name) })),
        industries: reference.industries.map((s) => ({ code: s.code, name: name(s.name), divisions: s.divisions.map((d) => ({ code: d.code, name: name(d.name), ...(d.industryType ? { industryType: d.industryType } : {}) })) })),
        // With the parks and other regions the platform created, so an enterprise can register into them; groups are joined, not registered in.
        regions: reference.regionTree.nodes({ groups: false }).map(region),
      };
    },
  });

  routes.add({
    method: 'get',
    path: '/rulesets',
    tag: 'rulesets',
    summary: 'Rulesets on the platform with their versions, status and regions: published versions for everyone, drafts for those who may edit them',
    access: 'public',
    responses: { 200: 'the list' },
    response: Type.Array(RulesetListItem),
    handler: async (req, res) => {
      const locale = localeOf(req);
      const user = res.locals.user as User | undefined;
      const list = (await store.listRulesets()).filter((r) => mayReadRuleset(user, r, reference));
      return Promise.all(
        list.map(async (r) => {
          const doc = (await store.getRuleset(r.id, r.version))!.document;
          return { id: r.id, version: r.version, status: r.status, regions: r.regions, publishedAt: r.publishedAt, title: localized(doc.title, locale), extends: doc.extends, questions: doc.questions.length };
        }),
      );
    },
  });

  routes.add({
    method: 'get',
    path: '/rulesets/:id/:version',
    tag: 'rulesets',
    summary: 'One ruleset document: a published version for everyone, a draft for those who may edit it',
    access: 'public',
    responses: { 200: 'the ruleset JSON', 404: 'no such ruleset, or a draft the caller may not edit' },
    response: Ruleset,
    handler: async (req, res) => (await rulesetFor(ctx, res.locals.user as User | undefined, String(req.params.id), String(req.params.version), 'read')).document,
  });

  routes.add({
    method: 'get',
    path: '/enterprises',
    tag: 'administration',
    summary: "Enterprises an administrator may see: a region administrator's region and below, all for a platform administrator",
    access: 'user',
    responses: { 200: 'the list', 403: 'not an administrator' },
    response: Type.Object({ items: Type.Array(EnterpriseSchema) }, { additionalProperties: false }),
    handler: async (_req, res) => {
      const user = currentUser(res);
      requireRole(user, 'regionAdmin', 'platformAdmin');
      const list = await store.listEnterprises(user.role === 'regionAdmin' ? { regionPrefix: [user.region!] } : undefined);
      return { items: list.filter((e) => canRead(user, e)) };
    },
  });

  routes.add({
    method: 'get',
    path: '/enterprises/:id',
    tag: 'administration',
    summary: 'One enterprise (its own users, its region administrators, platform administrators)',
    access: 'user',
    responses: { 200: 'the enterprise', 404: 'no such enterprise, or not visible' },
    response: EnterpriseSchema,
    handler: async (req, res) => {
      const e = await store.getEnterprise(String(req.params.id));
      if (!e || !canRead(currentUser(res), e)) throw notFound(text('企业不存在', 'no such enterprise'));
      return e;
    },
  });

  routes.add<StaffBody>({
    method: 'post',
    path: '/users',
    tag: 'administration',
    summary: 'Create a region administrator, ruleset author or platform administrator (a region administrator: region administrators within its region); as POST /admin/users',
    access: 'user',
    body: StaffBody,
    responses: { 201: 'created', 400: 'invalid fields', 403: 'not an administrator, or a role a region administrator may not give', 404: 'a region outside the region administrator\'s', 409: 'username taken' },
    response: PublicUserSchema,
    handler: async (req, res) => {
      const user = await createStaff(ctx, currentUser(res), req.body);
      res.status(201);
      return publicUser(user);
    },
  });

  routes.add<{ token: string; username: string; password: string; passwordConfirm: string }>({
    method: 'post',
    path: '/setup',
    tag: 'administration',
    summary: 'Create the first platform administrator with the one-time token printed at first start',
    access: 'public',
    body: Type.Object({ token: Type.String({ maxLength: 200 }), username: Type.String({ pattern: '^[A-Za-z0-9_.-]{3,32}$' }), password: Type.String({ maxLength: 128 }), passwordConfirm: Type.String({ maxLength: 128 }) }, { additionalProperties: false }),
    responses: { 201: 'administrator created and logged in', 400: 'weak password', 403: 'wrong or used token' },
    response: PublicUserSchema,
    handler: async (req, res) => {
      const problems = passwordProblems(req.body.password, req.body.passwordConfirm);
      if (problems.length) throw ApiError.fromProblems(problems);
      const user: User = { id: randomUUID(), username: req.body.username, passwordHash: await ctx.passwords.hash(req.body.password), role: 'platformAdmin', createdAt: ctx.now().toISOString() };
      if (!(await consumeSetupToken(ctx, req.body.token, user))) throw new ApiError(403, 'invalid_token', text('设置链接无效或已使用', 'the setup link is invalid or already used'));
      await startSession(ctx, res, user);
      res.status(201);
      return publicUser(user);
    },
  });
}
