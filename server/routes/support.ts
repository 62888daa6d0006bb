// Support requests (today: usernames asked for on the login page's 找回用户名) as administrators
// handle them: listed, read, given a status and answered, by text message if need be. Scoped like
// the dashboard: a platform administrator sees every request, a region administrator those of its
// region and the regions below it; requests that named no registered enterprise and no region are
// the platform administrators' alone. Anyone else gets 403, a request outside one's scope 404.
import { Type, type Static } from '@sinclair/typebox';
import { localized, text } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError, localeOf, notFound, type Locale } from '../http/apiError.ts';
import { oneOf, paging, param } from '../http/queryParams.ts';
import { currentUser } from '../auth.ts';
import { maskMobile } from '../accounts/sms.ts';
import { TextMessages } from '../accounts/textMessages.ts';
import { regionInScope, regionOutside, regionsWithin, requireAdministrator } from '../administration/scope.ts';
import { actorViews, ActorView } from '../administration/whoActed.ts';
import { MAX_PAGE_SIZE, SUPPORT_STATUSES, type SupportRequest, type SupportRequestFilter, type SupportStatus, type User } from '../store/types.ts';

const Status = Type.Union(SUPPORT_STATUSES.map((s) => Type.Literal(s)), { description: 'open, inProgress, resolved or rejected' });
const Named = Type.Object({ code: Type.String(), name: Type.String({ description: 'Localised' }) }, { additionalProperties: false });

const SupportRequestView = Type.Object(
  {
    id: Type.String(),
    kind: Type.Literal('usernameRecovery'),
    enterpriseName: Type.String({ description: 'As the requester typed it' }),
    creditCode: Type.String(),
    mobile: Type.String({ description: 'The mobile the requester gave; masked (139****5678) unless mobileShown' }),
    mobileShown: Type.Boolean({ description: 'Whether `mobile` is given in full (see the route)' }),
    matched: Type.Boolean({ description: 'The details matched a registered account, whose username went to its registered mobile' }),
    region: Type.Union([Named, Type.Null()], { description: "The registered enterprise's region, or the one the requester gave; null: the platform administrators'" }),
    status: Status,
    createdAt: Type.String(),
    updatedAt: Type.Optional(Type.String()),
    replies: Type.Array(
      Type.Object(
        {
          at: Type.String(),
          by: ActorView,
          text: Type.String(),
          sentBySms: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const SupportRequestPage = Type.Object(
  { total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), items: Type.Array(SupportRequestView) },
  { additionalProperties: false },
);

const ReplyBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 300, description: 'What the requester is told' }),
    sms: Type.Boolean({ description: "Also send it to the requester's mobile as a text message" }),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);

/** What an SMS reply starts with, so the requester knows who writes. */
const SMS_SIGNATURE = '【Ladder】';

export function supportRoutes(routes: RouteTable, ctx: Context) {
  const { store, reference } = ctx;
  const messages = new TextMessages(ctx.sms);

  /** The regions whose requests the administrator sees; undefined: every request (a platform administrator). */
  const scopeOf = (user: User): string[] | undefined => {
    requireAdministrator(user);
    return user.role === 'platformAdmin' ? undefined : regionsWithin(reference, user.region!);
  };

  const visible = (user: User, r: SupportRequest) => {
    const scope = scopeOf(user);
    return !scope || (!!r.region && scope.includes(r.region));
  };

  const found = async (user: User, id: string): Promise<SupportRequest> => {
    const r = await store.getSupportRequest(id);
    if (!r || !visible(user, r)) throw notFound(text('服务请求不存在', 'no such support request'));
    return r;
  };

  const regionName = (code: string, locale: Locale) => localized(reference.regionName(code) ?? { zh: code, en: code }, locale);

  /**
   * The mobile in full only where an administrator must phone the requester back: a request that
   * matched no account ("otherwise platform support will contact you") and is read one at a time.
   * A matched request already reached the registered holder, and a reply by text message reaches
   * the number without anyone seeing it; lists, which are shown on screens and shoulder-surfed,
   * always mask it.
   */
  async function view(r: SupportRequest, reader: User, locale: Locale, detail: boolean): Promise<Static<typeof SupportRequestView>> {
    const mobileShown = detail && !r.matchedUserId;
    const actorOf = actorViews(ctx, reader);
    const replies = await Promise.all((r.replies ?? []).map(async (x) => ({ at: x.at, by: await actorOf(x.by), text: x.text, sentBySms: x.sentBySms })));
    return {
      id: r.id,
      kind: r.kind,
      enterpriseName: r.enterpriseName,
      creditCode: r.creditCode,
      mobile: mobileShown ? r.mobile : maskMobile(r.mobile),
      mobileShown,
      matched: !!r.matchedUserId,
      region: r.region ? { code: r.region, name: regionName(r.region, locale) } : null,
      status: r.status ?? 'open',
      createdAt: r.createdAt,
      ...(r.updatedAt ? { updatedAt: r.updatedAt } : {}),
      replies,
    };
  }

  routes.add({
    method: 'get',
    path: '/support-requests',
    tag: 'administration',
    summary:
      "Support requests, newest first: a platform administrator's all, a region administrator's those of its region and below; filter by status, kind, region (and below; none: without a region, platform administrators) and text (enterprise name, credit code or mobile); mobiles masked",
    access: 'user',
    query: {
      status: { type: 'string', description: SUPPORT_STATUSES.join(', ') },
      kind: { type: 'string', description: 'usernameRecovery' },
      region: { type: 'string', description: 'a region code within yours (its requests and those below it), or none: requests without a region' },
      q: { type: 'string', description: 'part of the enterprise name, the credit code or the mobile' },
      page: { type: 'integer', description: 'from 1' },
      pageSize: { type: 'integer', description: `1–${MAX_PAGE_SIZE}, default 20` },
    },
    responses: { 200: '{ total, page, pageSize, items }', 400: 'an invalid parameter', 403: 'not an administrator', 404: 'a region outside yours' },
    response: SupportRequestPage,
    handler: async (req, res) => {
      const user = currentUser(res);
      const scope = scopeOf(user);
      const status = oneOf(req, 'status', SUPPORT_STATUSES);
      const kind = oneOf(req, 'kind', ['usernameRecovery'] as const);
      const q = param(req, 'q');
      const region = param(req, 'region', 20);
      const { page, pageSize, offset, limit } = paging(req, MAX_PAGE_SIZE);
      const filter: SupportRequestFilter = { ...(status ? { status } : {}), ...(kind ? { kind } : {}), ...(q ? { text: q } : {}) };
      if (region === 'none') {
        // Requests without a region are the platform's: a region administrator has none of them.
        if (scope) throw regionOutside(region);
        filter.withoutRegion = true;
      } else if (region) {
        if (!regionInScope(user, region, reference)) throw regionOutside(region);
        filter.regions = regionsWithin(reference, region);
      } else if (scope) filter.regions = scope;
      const listed = await store.listSupportRequests(filter, { offset, limit });
      const locale = localeOf(req);
      return { total: listed.total, page, pageSize, items: await Promise.all(listed.items.map((r) => view(r, user, locale, false))) };
    },
  });

  routes.add({
    method: 'get',
    path: '/support-requests/:id',
    tag: 'administration',
    summary: 'One support request with its replies; the mobile in full when the request matched no account (the administrator phones the requester back), else masked',
    access: 'user',
    responses: { 200: 'the request', 403: 'not an administrator', 404: 'no such request, or outside your region' },
    response: SupportRequestView,
    handler: async (req, res) => {
      const user = currentUser(res);
      return view(await found(user, String(req.params.id)), user, localeOf(req), true);
    },
  });

  routes.add<{ status: SupportStatus }>({
    method: 'put',
    path: '/support-requests/:id/status',
    tag: 'administration',
    summary: "Sets a support request's status (open, inProgress, resolved, rejected)",
    access: 'user',
    body: Type.Object({ status: Status }, { additionalProperties: false }),
    responses: { 200: 'the request', 400: 'not a status', 403: 'not an administrator', 404: 'no such request, or outside your region' },
    response: SupportRequestView,
    handler: async (req, res) => {
      const user = currentUser(res);
      const before = await found(user, String(req.params.id));
      const at = ctx.now().toISOString();
      const after = await store.updateSupportRequest(before.id, { at, status: req.body.status });
      await store.audit({ at, actor: user.id, action: 'support.status', target: before.id, detail: { from: before.status ?? 'open', to: after.status }, ...(before.region ? { region: before.region } : {}) });
      return view(after, user, localeOf(req), true);
    },
  });

  routes.add<Static<typeof ReplyBody>>({
    method: 'post',
    path: '/support-requests/:id/replies',
    tag: 'administration',
    summary:
      "Answers a support request: the reply is kept with the request and, with sms, sent to the requester's mobile first (a message the gateway refused is a 503 and nothing is kept); status optionally changes at once",
    access: 'user',
    body: ReplyBody,
    responses: { 201: 'the request with the reply', 400: 'an empty reply or not a status', 403: 'not an administrator', 404: 'no such request, or outside your region', 503: 'the text message could not be sent; nothing kept' },
    response: SupportRequestView,
    handler: async (req, res) => {
      const user = currentUser(res);
      const before = await found(user, String(req.params.id));
      const message = req.body.text.trim();
      if (!message) throw new ApiError(400, 'invalid', text('请填写答复内容', 'write the reply'), '/text');
      if (req.body.sms) await messages.send(before.mobile, `${SMS_SIGNATURE}${message}`);
      const at = ctx.now().toISOString();
      const after = await store.updateSupportRequest(before.id, { at, reply: { at, by: user.id, text: message, sentBySms: req.body.sms }, ...(req.body.status ? { status: req.body.status } : {}) });
      await store.audit({
        at,
        actor: user.id,
        action: 'support.reply',
        target: before.id,
        // The reply's words stay with the request; the log says that one was given and how.
        detail: { sentBySms: req.body.sms, ...(req.body.status && req.body.status !== before.status ? { from: before.status ?? 'open', to: req.body.status } : {}) },
        ...(before.region ? { region: before.region } : {}),
      });
      res.status(201);
      return view(after, user, localeOf(req), true);
    },
  });
}
