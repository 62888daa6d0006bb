// Administration of users and enterprises, for platform administrators (everyone) and region
// administrators (their region and below, see server/administration/scope.ts): lists with search,
// filters and pages, disabling and enabling, password resets and ending sessions. Staff accounts
// are created with POST /users (platform.ts). Every change is in the audit log, never a password.
import { Type } from '@sinclair/typebox';
import type { Request } from 'express';
import { localized, text } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError, localeOf, type Locale } from '../http/apiError.ts';
import { oneOf, paging, param } from '../http/queryParams.ts';
import { canRead, currentUser } from '../auth.ts';
import { passwordProblems } from './accounts.ts';
import { usernameKey } from '../accounts/identity.ts';
import { managedEnterprise, managedUser, regionInScope, regionOutside, requireAdministrator, userRegionFilter } from '../administration/scope.ts';
import { temporaryPassword } from '../administration/staff.ts';
import { RoleSchema } from './schemas/accounts.ts';
import type { Enterprise, Role, User } from '../store/types.ts';

const doc = (description: string) => ({ description });
const Named = Type.Object({ code: Type.String(), name: Type.String(doc("In the request's language")) }, { additionalProperties: false });

const AdminUser = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    role: RoleSchema,
    region: Type.Optional({ ...Named, ...doc("A region administrator's region; an enterprise user's enterprise's region") }),
    enterprise: Type.Optional(Type.Object({ id: Type.String(), name: Type.String() }, { additionalProperties: false })),
    mobile: Type.Optional(Type.String()),
    email: Type.Optional(Type.String()),
    createdAt: Type.String(doc('ISO time')),
    disabledAt: Type.Optional(Type.String(doc('ISO time it was disabled; absent: active'))),
    enterpriseDisabled: Type.Optional(Type.Boolean(doc('Its enterprise is disabled: the user cannot log in either'))),
  },
  { additionalProperties: false, $id: 'AdminUser' },
);

const AdminEnterprise = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    creditCode: Type.String(),
    region: Named,
    regionPath: Type.Array(Named, doc('From the province down to the region')),
    groups: Type.Array(Named, doc('Enterprise groups it belongs to')),
    industry: Type.String(doc('GB/T 4754 division')),
    industryName: Type.String(),
    enterpriseType: Type.String(),
    enterpriseTypeName: Type.String(),
    sizeBand: Type.String(),
    sizeBandName: Type.String(),
    revenue: Type.Number(doc('10k yuan')),
    createdAt: Type.String(),
    disabledAt: Type.Optional(Type.String(doc('ISO time it was disabled: none of its users can log in'))),
  },
  { additionalProperties: false, $id: 'AdminEnterprise' },
);

const page = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({ total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), items: Type.Array(item) }, { additionalProperties: false });

const Ended = Type.Object({ sessionsEnded: Type.Integer(doc('How many sessions ended')) }, { additionalProperties: false });

const STATUSES = ['active', 'disabled'] as const;
const ROLES: Role[] = ['enterprise', 'regionAdmin', 'rulesetAuthor', 'platformAdmin', 'assessor'];

export function adminRoutes(routes: RouteTable, ctx: Context) {
  const { store, reference } = ctx;
  const now = () => ctx.now().toISOString();
  const regionName = (code: string, locale: Locale) => localized(reference.regionName(code) ?? { zh: code, en: code }, locale);
  const named = (code: string, locale: Locale) => ({ code, name: regionName(code, locale) });

  const userView = (u: User, e: Enterprise | undefined, locale: Locale) => ({
    id: u.id,
    username: u.username,
    role: u.role,
    ...(u.region && u.role !== 'enterprise' ? { region: named(u.region, locale) } : e ? { region: named(e.region, locale) } : {}),
    ...(e ? { enterprise: { id: e.id, name: e.name } } : {}),
    ...(u.mobile ? { mobile: u.mobile } : {}),
    ...(u.email ? { email: u.email } : {}),
    createdAt: u.createdAt,
    ...(u.disabledAt ? { disabledAt: u.disabledAt } : {}),
    ...(e?.disabledAt ? { enterpriseDisabled: true } : {}),
  });

  const enterpriseView = (e: Enterprise, locale: Locale) => {
    const name = (t: { zh: string; en?: string } | undefined, fallback: string) => (t ? localized(t, locale) : fallback);
    return {
      id: e.id,
      name: e.name,
      creditCode: e.creditCode,
      region: named(e.region, locale),
      regionPath: e.regionPath.map((c) => named(c, locale)),
      groups: (e.groups ?? []).map((c) => named(c, locale)),
      industry: e.industry,
      industryName: name(reference.division(e.industry)?.division.name, e.industry),
      enterpriseType: e.enterpriseType,
      enterpriseTypeName: name(reference.enterpriseTypes.find((t) => t.id === e.enterpriseType)?.name, e.enterpriseType),
      sizeBand: e.sizeBand,
      sizeBandName: name(reference.sizeBands.find((b) => b.id === e.sizeBand)?.name, e.sizeBand),
      revenue: e.revenue,
      createdAt: e.createdAt,
      ...(e.disabledAt ? { disabledAt: e.disabledAt } : {}),
    };
  };

  const withEnterprises = async (users: User[]) => {
    const ids = [...new Set(users.map((u) => u.enterpriseId).filter((id): id is string => !!id))];
    const found = new Map((await Promise.all(ids.map((id) => store.getEnterprise(id)))).filter((e): e is Enterprise => !!e).map((e) => [e.id, e]));
    return (u: User) => (u.enterpriseId ? found.get(u.enterpriseId) : undefined);
  };

  const userId = (req: Request) => String(req.params.id);

  routes.add({
    method: 'get',
    path: '/admin/users',
    tag: 'administration',
    summary: 'Users the administrator manages, newest first: search by username or mobile, filter by role, region and state, paged',
    access: 'user',
    query: {
      q: { type: 'string', description: 'part of the username (any case) or of the mobile number' },
      role: { type: 'string', description: ROLES.join(' | ') },
      region: { type: 'string', description: "a region code within the administrator's: users of that region and below" },
      status: { type: 'string', description: 'active | disabled' },
      page: { type: 'integer', description: 'from 1' },
      pageSize: { type: 'integer', description: 'at most 100' },
    },
    responses: { 200: 'a page of users', 400: 'a bad parameter', 403: 'not an administrator', 404: 'a region outside the administrator\'s' },
    response: page(AdminUser),
    handler: async (req, res) => {
      const admin = currentUser(res);
      requireAdministrator(admin);
      const locale = localeOf(req);
      const q = param(req, 'q')?.normalize('NFKC').trim();
      const role = oneOf(req, 'role', ROLES);
      const status = oneOf(req, 'status', STATUSES);
      const p = paging(req);
      const scope = userRegionFilter(admin, param(req, 'region', 12), reference);
      // Authors and platform administrators belong to no region: a region administrator never sees them.
      const found = await store.listUsers({ ...scope, ...(role ? { role } : {}), ...(q ? { q: usernameKey(q) } : {}), ...(status ? { disabled: status === 'disabled' } : {}), offset: p.offset, limit: p.limit });
      const enterpriseOf = await withEnterprises(found.items);
      return { total: found.total, page: p.page, pageSize: p.pageSize, items: found.items.map((u) => userView(u, enterpriseOf(u), locale)) };
    },
  });

  routes.add({
    method: 'get',
    path: '/admin/users/:id',
    tag: 'administration',
    summary: 'One user the administrator manages',
    access: 'user',
    responses: { 200: 'the user', 403: 'not an administrator', 404: 'no such user, or outside the administrator\'s region' },
    response: AdminUser,
    handler: async (req, res) => {
      const { user, enterprise } = await managedUser(store, currentUser(res), userId(req), reference);
      return userView(user, enterprise, localeOf(req));
    },
  });

  const ownAccount = (what: { zh: string; en: string }) => new ApiError(409, 'own_account', what);

  for (const disable of [true, false]) {
    routes.add({
      method: 'post',
      path: `/admin/users/:id/${disable ? 'disable' : 'enable'}`,
      tag: 'administration',
      summary: disable ? 'Disable a user: it cannot log in, and its sessions end now' : 'Enable a disabled user again',
      access: 'user',
      responses: { 200: 'done (also when it already was)', 403: 'not an administrator', 404: "no such user, or outside the administrator's region", 409: 'one\'s own account' },
      response: Type.Object({ user: AdminUser, sessionsEnded: Type.Integer() }, { additionalProperties: false }),
      handler: async (req, res) => {
        const admin = currentUser(res);
        const { user, enterprise } = await managedUser(store, admin, userId(req), reference);
        if (user.id === admin.id) throw ownAccount(text('不能停用或启用自己的账号', 'you cannot disable or enable your own account'));
        let sessionsEnded = 0;
        if (disable) {
          if (!user.disabledAt) await store.updateUser(user.id, { disabledAt: now() });
          // After the flag: a login racing this one gets a session the store no longer gives (sessionUser).
          sessionsEnded = await store.deleteUserSessions(user.id);
        } else if (user.disabledAt) await store.updateUser(user.id, { disabledAt: undefined });
        await store.audit({ at: now(), actor: admin.id, action: disable ? 'user.disable' : 'user.enable', target: user.id, detail: { username: user.username, ...(disable ? { sessionsEnded } : {}) }, ...((enterprise?.region ?? user.region) ? { region: enterprise?.region ?? user.region } : {}) });
        return { user: userView((await store.getUser(user.id))!, enterprise, localeOf(req)), sessionsEnded };
      },
    });
  }

  routes.add<{ password?: string; passwordConfirm?: string }>({
    method: 'post',
    path: '/admin/users/:id/password-reset',
    tag: 'administration',
    summary: 'Reset a user\'s password: to the one given, or to a temporary one answered once; every session of the user ends',
    access: 'user',
    body: Type.Object({ password: Type.Optional(Type.String({ maxLength: 128 })), passwordConfirm: Type.Optional(Type.String({ maxLength: 128 })) }, { additionalProperties: false }),
    responses: { 200: 'reset', 400: 'a weak password or two that differ', 403: 'not an administrator', 404: "no such user, or outside the administrator's region", 409: "one's own account (change it with PUT /session/password)" },
    response: Type.Object(
      { temporaryPassword: Type.Optional(Type.String(doc('Only when none was given: shown once, never stored or logged'))), sessionsEnded: Type.Integer() },
      { additionalProperties: false },
    ),
    handler: async (req, res) => {
      const admin = currentUser(res);
      const { user, enterprise } = await managedUser(store, admin, userId(req), reference);
      const given = req.body.password !== undefined || req.body.passwordConfirm !== undefined;
      if (given) {
        const problems = passwordProblems(req.body.password ?? '', req.body.passwordConfirm ?? '');
        if (problems.length) throw ApiError.fromProblems(problems);
      }
      if (user.id === admin.id) throw ownAccount(text('请用“修改密码”更改自己的密码', 'change your own password with "Change password"'));
      const password = given ? req.body.password! : temporaryPassword();
      await store.updateUser(user.id, { passwordHash: await ctx.passwords.hash(password) });
      const sessionsEnded = await store.deleteUserSessions(user.id);
      await store.audit({ at: now(), actor: admin.id, action: 'user.resetPassword', target: user.id, detail: { username: user.username, temporary: !given, sessionsEnded }, ...((enterprise?.region ?? user.region) ? { region: enterprise?.region ?? user.region } : {}) });
      return { ...(given ? {} : { temporaryPassword: password }), sessionsEnded };
    },
  });

  routes.add({
    method: 'delete',
    path: '/admin/users/:id/sessions',
    tag: 'administration',
    summary: "End every session of a user (one's own: every other one)",
    access: 'user',
    responses: { 200: 'ended', 403: 'not an administrator', 404: "no such user, or outside the administrator's region" },
    response: Ended,
    handler: async (req, res) => {
      const admin = currentUser(res);
      const { user, enterprise } = await managedUser(store, admin, userId(req), reference);
      const sessionsEnded = await store.deleteUserSessions(user.id, user.id === admin.id ? res.locals.sessionId : undefined);
      await store.audit({ at: now(), actor: admin.id, action: 'user.endSessions', target: user.id, detail: { username: user.username, sessionsEnded }, ...((enterprise?.region ?? user.region) ? { region: enterprise?.region ?? user.region } : {}) });
      return { sessionsEnded };
    },
  });

  routes.add({
    method: 'get',
    path: '/admin/enterprises',
    tag: 'administration',
    summary: 'Enterprises the administrator may read, newest first: search by name or credit code, filter by region, industry, size band and state, paged',
    access: 'user',
    query: {
      q: { type: 'string', description: 'part of the name or of the credit code' },
      region: { type: 'string', description: "a region code within the administrator's (or a group): its enterprises" },
      industry: { type: 'string', description: 'a GB/T 4754 section (C) or division (C35)' },
      sizeBand: { type: 'string', description: 'a size band id of the reference data' },
      status: { type: 'string', description: 'active | disabled' },
      page: { type: 'integer', description: 'from 1' },
      pageSize: { type: 'integer', description: 'at most 100' },
    },
    responses: { 200: 'a page of enterprises', 400: 'a bad parameter', 403: 'not an administrator', 404: "a region outside the administrator's" },
    response: page(AdminEnterprise),
    handler: async (req, res) => {
      const admin = currentUser(res);
      requireAdministrator(admin);
      const locale = localeOf(req);
      const q = param(req, 'q')?.normalize('NFKC').trim().toUpperCase();
      const region = param(req, 'region', 12);
      const industry = param(req, 'industry', 10);
      const sizeBand = param(req, 'sizeBand', 40);
      const status = oneOf(req, 'status', STATUSES);
      const p = paging(req);
      if (region && !regionInScope(admin, region, reference)) throw regionOutside(region);
      const within = region ?? (admin.role === 'regionAdmin' ? admin.region! : undefined);
      const list = (await store.listEnterprises(within ? { regionPrefix: [within] } : undefined))
        .filter((e) => canRead(admin, e))
        .filter((e) => !industry || e.industry === industry || reference.division(e.industry)?.section.code === industry)
        .filter((e) => !sizeBand || e.sizeBand === sizeBand)
        .filter((e) => !status || !!e.disabledAt === (status === 'disabled'))
        .filter((e) => !q || e.name.toUpperCase().includes(q) || e.creditCode.includes(q))
        .reverse();
      return { total: list.length, page: p.page, pageSize: p.pageSize, items: list.slice(p.offset, p.offset + p.limit).map((e) => enterpriseView(e, locale)) };
    },
  });

  routes.add({
    method: 'get',
    path: '/admin/enterprises/:id',
    tag: 'administration',
    summary: 'One enterprise with its users (its diagnoses: GET /diagnoses?enterprise=ID)',
    access: 'user',
    responses: { 200: 'the enterprise and its users', 403: 'not an administrator', 404: 'no such enterprise, or not visible' },
    response: Type.Object({ enterprise: AdminEnterprise, users: Type.Array(AdminUser) }, { additionalProperties: false }),
    handler: async (req, res) => {
      const locale = localeOf(req);
      const enterprise = await managedEnterprise(store, currentUser(res), String(req.params.id));
      return { enterprise: enterpriseView(enterprise, locale), users: (await store.findUsersOfEnterprise(enterprise.id)).map((u) => userView(u, enterprise, locale)) };
    },
  });

  for (const disable of [true, false]) {
    routes.add({
      method: 'post',
      path: `/admin/enterprises/:id/${disable ? 'disable' : 'enable'}`,
      tag: 'administration',
      summary: disable ? 'Disable an enterprise: none of its users can log in, and their sessions end now' : 'Enable a disabled enterprise again (users disabled one by one stay disabled)',
      access: 'user',
      responses: { 200: 'done (also when it already was)', 403: 'not an administrator', 404: 'no such enterprise, or not visible' },
      response: Type.Object({ enterprise: AdminEnterprise, sessionsEnded: Type.Integer() }, { additionalProperties: false }),
      handler: async (req, res) => {
        const admin = currentUser(res);
        const enterprise = await managedEnterprise(store, admin, String(req.params.id));
        let sessionsEnded = 0;
        if (disable) {
          if (!enterprise.disabledAt) await store.updateEnterprise(enterprise.id, { disabledAt: now() });
          for (const u of await store.findUsersOfEnterprise(enterprise.id)) sessionsEnded += await store.deleteUserSessions(u.id);
        } else if (enterprise.disabledAt) await store.updateEnterprise(enterprise.id, { disabledAt: undefined });
        await store.audit({ at: now(), actor: admin.id, action: disable ? 'enterprise.disable' : 'enterprise.enable', target: enterprise.id, detail: { name: enterprise.name, ...(disable ? { sessionsEnded } : {}) }, region: enterprise.region });
        return { enterprise: enterpriseView((await store.getEnterprise(enterprise.id))!, localeOf(req)), sessionsEnded };
      },
    });
  }
}
