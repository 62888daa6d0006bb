// The audit log as administrators read it: filtered by actor, action, object and time, newest
// first, a bounded page at a time, each entry with who acted (username and role) and, where it
// costs one read, the name of what was acted on. A platform administrator reads everything; a
// region administrator the entries written about its region and the regions below it (each entry
// keeps the region of its object when written); anyone else gets 403.
import { Type, type Static } from '@sinclair/typebox';
import { localized, text } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { localeOf, type Locale } from '../http/apiError.ts';
import { invalid, paging, param } from '../http/queryParams.ts';
import { currentUser } from '../auth.ts';
import { regionsWithin, requireAdministrator } from '../administration/scope.ts';
import { actorViews, ActorView } from '../administration/whoActed.ts';
import { MAX_PAGE_SIZE, type AuditEntry, type AuditFilter } from '../store/types.ts';

const AuditEntryView = Type.Object(
  {
    at: Type.String(),
    action: Type.String({ description: 'area.verb, e.g. region.create, ruleset.publish, support.reply' }),
    actor: Type.Union([ActorView, Type.Null()], { description: 'null: the platform itself (setup)' }),
    target: Type.Optional(Type.String({ description: 'The id or code of what was acted on' })),
    targetName: Type.Optional(Type.String({ description: "Its name, where known (a region's, an enterprise's, a user's)" })),
    region: Type.Optional(Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false })),
    detail: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

const AuditPage = Type.Object({ total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), items: Type.Array(AuditEntryView) }, { additionalProperties: false });

/** A time given as ISO 8601 (a date alone is its midnight UTC), as the ISO text entries are compared with. */
function timeParam(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw invalid(name, value, text('应为 ISO 8601 时间，如 2026-12-01 或 2026-12-01T08:00:00+08:00', 'expected an ISO 8601 time such as 2026-12-01 or 2026-12-01T08:00:00+08:00'));
  return new Date(ms).toISOString();
}

export function auditRoutes(routes: RouteTable, ctx: Context) {
  const { store, reference } = ctx;

  /** The names of what entries act on, read once per page: regions from the tree, the rest one store read each. */
  function namer(locale: Locale) {
    const cache = new Map<string, Promise<unknown>>();
    const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
      if (!cache.has(key)) cache.set(key, read());
      return cache.get(key)! as Promise<T>;
    };
    const region = (code: string) => {
      const name = reference.regionName(code);
      return name ? localized(name, locale) : undefined;
    };
    return {
      region,
      target: (e: AuditEntry): Promise<string | undefined> => {
        const t = e.target;
        if (!t) return Promise.resolve(undefined);
        const [area] = e.action.split('.');
        if (area === 'region' || area === 'group' || e.action === 'dashboard.targets') return Promise.resolve(region(t));
        if (area === 'user' || area === 'setup') return once(`username:${t}`, async () => (await store.getUser(t))?.username);
        if (area === 'enterprise' || e.action === 'account.register' || e.action.startsWith('dashboard.')) return once(`enterprise:${t}`, async () => (await store.getEnterprise(t))?.name);
        if (area === 'support') return once(`support:${t}`, async () => (await store.getSupportRequest(t))?.enterpriseName);
        if (area === 'assessmentBody') return once(`body:${t}`, async () => (await store.getAssessmentBody(t))?.name);
        if (area === 'assessment')
          return once(`application:${t}`, async () => {
            const application = await store.getAssessmentApplication(t);
            return application && (await store.getEnterprise(application.enterpriseId))?.name;
          });
        return Promise.resolve(undefined);
      },
    };
  }

  routes.add({
    method: 'get',
    path: '/audit',
    tag: 'administration',
    summary:
      "The audit log, newest first: a platform administrator's all, a region administrator's the entries about its region and below; filter by actor (username or user id), action (or its start: region.), target (id or code), from/to (ISO time, to exclusive); each with the actor's role (and username, of users you manage) and the target's name where known",
    access: 'user',
    query: {
      actor: { type: 'string', description: 'a username or user id' },
      action: { type: 'string', description: 'an action or its start, e.g. region. or ruleset.publish' },
      target: { type: 'string', description: 'the id or code acted on' },
      from: { type: 'string', description: 'ISO 8601 time, inclusive' },
      to: { type: 'string', description: 'ISO 8601 time, exclusive' },
      page: { type: 'integer', description: 'from 1' },
      pageSize: { type: 'integer', description: `1–${MAX_PAGE_SIZE}, default 20` },
    },
    responses: { 200: '{ total, page, pageSize, items }', 400: 'an invalid parameter', 403: 'not an administrator' },
    response: AuditPage,
    handler: async (req, res) => {
      const user = currentUser(res);
      requireAdministrator(user);
      const locale = localeOf(req);
      const actor = param(req, 'actor', 64);
      const action = param(req, 'action', 64);
      const target = param(req, 'target', 128);
      const from = timeParam(param(req, 'from', 40), 'from');
      const to = timeParam(param(req, 'to', 40), 'to');
      if (from && to && from >= to) throw invalid('to', String(req.query.to), text('应晚于 from', 'expected a time after from'));
      const { page, pageSize, offset, limit } = paging(req, MAX_PAGE_SIZE);
      const names = namer(locale);
      const actorOf = actorViews(ctx, user);
      const filter: AuditFilter = {
        // A username first (what people type), else an id as the log keeps it.
        ...(actor ? { actor: (await store.findUserByUsername(actor))?.id ?? actor } : {}),
        ...(action ? { actionPrefix: action } : {}),
        ...(target ? { target } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(user.role === 'regionAdmin' ? { regions: regionsWithin(reference, user.region!) } : {}),
      };
      const found = await store.queryAudit(filter, { offset, limit });
      const items = await Promise.all(
        found.items.map(async (e): Promise<Static<typeof AuditEntryView>> => {
          const targetName = await names.target(e);
          const regionName = e.region ? names.region(e.region) : undefined;
          return {
            at: e.at,
            action: e.action,
            actor: e.actor ? await actorOf(e.actor) : null,
            ...(e.target ? { target: e.target } : {}),
            ...(targetName ? { targetName } : {}),
            ...(e.region ? { region: { code: e.region, name: regionName ?? e.region } } : {}),
            ...(e.detail !== undefined ? { detail: e.detail } : {}),
          };
        }),
      );
      return { total: found.total, page, pageSize, items };
    },
  });
}
