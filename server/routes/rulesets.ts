// Authoring over the API: drafts are editable and can be discarded, publishing needs a clean
// lint and passing stored tests and makes a version immutable; a region administrator derives
// its region's variant as an overlay of a published base and can move it onto a newer version of
// that base. The designer UI is a client of these routes.
import { Type, type Static } from '@sinclair/typebox';
import {
  diffRulesets,
  lint,
  overlayOf,
  rebaseVariant,
  resolveVariant,
  runRulesetTests,
  text,
  validateOverlay,
  validateRuleset,
  EngineError,
  Overlay,
  Ruleset,
  type RebaseConflict,
} from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError, forbidden, localeOf, notFound, say } from '../http/apiError.ts';
import { currentUser, requireRole } from '../auth.ts';
import { ConflictError, NotFoundError, rulesetRevision, type RulesetRecord, type User } from '../store/types.ts';
import { claimId, mayEditRuleset, ownerOf, rulesetFor } from '../rulesetAccess.ts';
import { reportTemplates } from '../report/render.ts';

/** Lint with what the platform has: a report template that is not here cannot render. */
const lintHere = (document: Ruleset) => lint(document, { reportTemplates: reportTemplates() });

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;

// ---- what the routes answer
const LintFinding = Type.Object(
  {
    severity: Type.Union([Type.Literal('error'), Type.Literal('warning'), Type.Literal('info')], { description: 'error: must be fixed before publishing; warning: should be looked at; info: worth knowing (e.g. a cell whose requirements are uncertain)' }),
    code: Type.String(),
    pointer: Type.String({ description: 'JSON pointer into the document' }),
    message: Type.String({ description: "In the request's language (Accept-Language)" }),
  },
  { additionalProperties: false },
);
const summaryProperties = {
  id: Type.String(),
  version: Type.String(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('published')]),
  regions: Type.Array(Type.String(), { description: 'Region codes whose enterprises get this ruleset by default' }),
  extends: Type.Optional(Type.String({ description: "A variant's base, id@version" })),
  revision: Type.Integer({ minimum: 1, description: 'Bumped by every save; a save or publish sends the revision it was made from, and is refused (409 stale) when someone saved since' }),
  findings: Type.Array(LintFinding, { description: "Lint's findings, localised" }),
};
/** A saved or published ruleset with its lint findings. */
const RulesetSummary = Type.Object(summaryProperties, { additionalProperties: false });
const RebaseConflict = Type.Object(
  {
    path: Type.String({ description: 'Where both the base and the variant changed the same thing, e.g. /rules/limits[max-3]/conditions' }),
    original: Type.Optional(Type.Unknown({ description: 'In the old base (absent: not there)' })),
    base: Type.Optional(Type.Unknown({ description: 'In the new base (absent: removed)' })),
    variant: Type.Optional(Type.Unknown({ description: 'In the variant, which the rebased overlay keeps (absent: removed)' })),
  },
  { additionalProperties: false },
);
const SavedDraft = Type.Object(
  {
    ...summaryProperties,
    rebased: Type.Optional(
      Type.Object(
        { from: Type.String({ description: 'The base version the variant was on, id@version' }), to: Type.String({ description: 'The one it is on now' }), conflicts: Type.Array(RebaseConflict) },
        { additionalProperties: false, description: 'After a move to another version of the base' },
      ),
    ),
  },
  { additionalProperties: false },
);
const RulesetRecordView = Type.Object(
  {
    ...summaryProperties,
    overlay: Type.Optional(Type.Unsafe<Overlay>({ ...Overlay, description: "A variant's stored overlay: only what differs from its base" })),
    publishedAt: Type.Optional(Type.String()),
    document: Ruleset,
  },
  { additionalProperties: false },
);
const RulesetChange = Type.Object(
  {
    op: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
    path: Type.String({ description: 'A readable path with keys, e.g. /questions[L1-1.1.1]/text/zh' }),
    pointer: Type.String({ description: 'JSON pointer into the newer ruleset (into the older one for removals)' }),
    category: Type.String({ description: 'question, weights, threshold, band, limit, policy, tailoring, model, level, flow, scoring, identity, report or test' }),
    before: Type.Optional(Type.Unknown()),
    after: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

export function rulesetRoutes(routes: RouteTable, ctx: Context) {
  const { store, reference } = ctx;

  const mayEdit = (user: User, regions: string[], isVariant: boolean) => mayEditRuleset(user, regions, isVariant, reference);

  const checked = (document: unknown): Ruleset => {
    const v = validateRuleset(document);
    if (!v.ok) throw ApiError.fromProblems(v.problems.map((p) => ({ ...p, pointer: `/document${p.pointer}` })), 'invalid_ruleset');
    return v.value;
  };

  /**
   * Saves `record` as the revision after `from` (0: a version that must not exist yet). Someone
   * else's save since `from` was read is a 409, never overwritten.
   */
  const put = async (record: RulesetRecord, from: number) => {
    try {
      await store.putRuleset({ ...record, revision: from + 1 }, { revision: from });
    } catch (e) {
      if (e instanceof ConflictError && e.code === 'stale') throw stale(record, from);
      if (e instanceof ConflictError)
        throw new ApiError(409, 'ruleset_published', text(`${record.id}@${record.version} 已发布，不能修改；请以新版本号发布`, `${record.id}@${record.version} is published and cannot change; publish a new version`));
      throw e;
    }
    return { ...record, revision: from + 1 };
  };

  const stale = (record: Pick<RulesetRecord, 'id' | 'version'>, from: number) =>
    from === 0
      ? new ApiError(409, 'ruleset_exists', text(`${record.id}@${record.version} 已存在，请换一个版本号，或打开它继续编辑`, `${record.id}@${record.version} exists already; choose another version, or open it`), '/document/version')
      : new ApiError(
          409,
          'stale',
          text(`${record.id}@${record.version} 已由其他作者或其他窗口保存过（您编辑的是第 ${from} 次保存的版本）：请先载入最新版本，或确认用您的版本覆盖`, `${record.id}@${record.version} was saved by another author or in another window since you opened revision ${from}: load the latest, or confirm to overwrite it with yours`),
          '/revision',
        );

  /** The owner a new version of `id` gets, or a 409 when the id belongs to someone the user does not act for. */
  const claim = async (user: User, id: string, variant: boolean, field: string) => {
    const claimed = await claimId(ctx, user, id, variant);
    if (!claimed.ok)
      throw new ApiError(409, 'ruleset_id_taken', text(`标识 ${id} 已属于其他单位的规则集，请换一个标识`, `the id ${id} belongs to another owner's rulesets; choose another id`), field);
    return claimed.owner;
  };

  /** What a variant changes in its base; draft or published is the record's state, never part of the change. */
  const variantOverlay = (base: RulesetRecord, variant: Ruleset) => overlayOf(base.document, { ...variant, status: base.document.status });

  /** A published base by its `id@version` reference. */
  const publishedBase = async (ref: string) => {
    const [id, version] = ref.split('@');
    const base = await store.getRuleset(id, version ?? '').catch(() => undefined);
    if (!base || base.status !== 'published') throw notFound(text(`没有已发布的基础规则集 ${ref}`, `no published base ruleset ${ref}`));
    return base;
  };

  const summary = (r: RulesetRecord, locale: 'zh' | 'en'): Static<typeof RulesetSummary> => ({
    id: r.id,
    version: r.version,
    status: r.status,
    regions: r.regions,
    ...(r.overlay ? { extends: r.overlay.extends } : {}),
    revision: rulesetRevision(r),
    findings: lintHere(r.document).map((f) => ({ severity: f.severity, code: f.code, pointer: f.pointer, message: say(f.message, locale) })),
  });

  routes.add<{ document: unknown }>({
    method: 'post',
    path: '/rulesets',
    tag: 'rulesets',
    summary: 'Save a new draft ruleset (ruleset authors, platform administrators)',
    access: 'user',
    body: Type.Object({ document: Type.Unknown() }, { additionalProperties: false }),
    responses: { 201: 'the draft with its lint findings', 400: 'not a valid ruleset (pointers under /document)', 403: 'not an author', 409: 'that version is published' },
    response: RulesetSummary,
    handler: async (req, res) => {
      const user = currentUser(res);
      requireRole(user, 'rulesetAuthor', 'platformAdmin');
      const document = checked(req.body.document);
      const owner = await claim(user, document.id, false, '/document/id');
      const record = await put({ id: document.id, version: document.version, status: 'draft', document: { ...document, status: 'draft' }, regions: document.regions ?? [], owner }, 0);
      await store.audit({ at: ctx.now().toISOString(), actor: user.id, action: 'ruleset.create', target: `${record.id}@${record.version}`, ...(owner ? { region: owner } : {}) });
      res.status(201);
      return summary(record, localeOf(req));
    },
  });

  routes.add<{ base: string; id: string; version: string; overlay?: Record<string, unknown>; document?: unknown }>({
    method: 'post',
    path: '/rulesets/variants',
    tag: 'rulesets',
    summary: "Save a draft variant of a published base: give the overlay (only what differs) or the edited document; only the overlay is kept",
    access: 'user',
    body: Type.Object(
      { base: Type.String({ maxLength: 120 }), id: Type.String({ pattern: '^[A-Za-z0-9_.-]+$', maxLength: 80 }), version: Type.String({ pattern: SEMVER.source }), overlay: Type.Optional(Type.Record(Type.String(), Type.Unknown())), document: Type.Optional(Type.Unknown()) },
      { additionalProperties: false },
    ),
    responses: { 201: 'the draft variant with its lint findings', 400: 'invalid overlay or resolved ruleset', 403: 'outside the administrator\'s region', 404: 'no such published base' },
    response: RulesetSummary,
    handler: async (req, res) => {
      const user = currentUser(res);
      const base = await publishedBase(req.body.base);
      // Enterprises find rulesets by id: a variant under its base's id would stand in for the base.
      if (req.body.id === base.id)
        throw new ApiError(400, 'variant_id', text(`变体须有自己的标识，不能沿用基础规则集的标识 ${base.id}`, `a variant needs an id of its own, not its base's ${base.id}`), '/id');
      let overlay: Overlay;
      if (req.body.document !== undefined) overlay = variantOverlay(base, checked(req.body.document));
      else {
        const v = validateOverlay({ ...(req.body.overlay ?? {}), id: req.body.id, version: req.body.version, extends: `${base.id}@${base.version}` });
        if (!v.ok) throw ApiError.fromProblems(v.problems, 'invalid_overlay');
        overlay = v.value;
      }
      overlay = { ...overlay, id: req.body.id, version: req.body.version, extends: `${base.id}@${base.version}` };
      let resolved: Ruleset;
      try {
        resolved = checked(resolveVariant(base.document, overlay));
      } catch (e) {
        if (e instanceof EngineError) throw ApiError.fromProblems(e.problems, 'invalid_overlay');
        throw e;
      }
      const regions = resolved.regions ?? [];
      if (!mayEdit(user, regions, true)) throw forbidden();
      const owner = await claim(user, resolved.id, true, '/id');
      const record = await put({ id: resolved.id, version: resolved.version, status: 'draft', document: { ...resolved, status: 'draft' }, regions, overlay, owner }, 0);
      await store.audit({ at: ctx.now().toISOString(), actor: user.id, action: 'ruleset.createVariant', target: `${record.id}@${record.version}`, detail: { base: req.body.base }, ...(owner ? { region: owner } : {}) });
      res.status(201);
      return summary(record, localeOf(req));
    },
  });

  routes.add<{ document: unknown; revision: number }>({
    method: 'put',
    path: '/rulesets/:id/:version',
    tag: 'rulesets',
    summary: "Replace a draft. For a variant, a document.extends naming another published version of its base moves the variant onto that version: the variant's own changes are kept, the base's other changes come through",
    access: 'user',
    body: Type.Object(
      { document: Type.Unknown(), revision: Type.Integer({ minimum: 1, description: 'The revision this document was edited from (the record\'s `revision` when it was opened or last saved)' }) },
      { additionalProperties: false },
    ),
    responses: {
      200: 'saved, with lint findings (and, after a move to another base version, `rebased` with the places both changed)',
      400: 'invalid, id/version differ from the address, or document.extends names another base',
      403: 'the new regions are outside the region administrator\'s',
      404: 'no such draft, or not editable by the caller; or the named base version is not published',
      409: 'published versions never change (ruleset_published), or someone saved since `revision` (stale: nothing changed)',
    },
    response: SavedDraft,
    handler: async (req, res) => {
      const user = currentUser(res);
      const existing = await rulesetFor(ctx, user, String(req.params.id), String(req.params.version), 'read');
      if (existing.status === 'published') throw new ApiError(409, 'ruleset_published', text('已发布的版本不能修改；请以新版本号发布', 'a published version never changes; publish a new version'));
      // Checked here as well as by the store: a stale save is told so before any other complaint about it.
      if (req.body.revision !== rulesetRevision(existing)) throw stale(existing, req.body.revision);
      let document = checked(req.body.document);
      if (document.id !== existing.id || document.version !== existing.version)
        throw new ApiError(400, 'identity', text('文档的 id 与版本须与地址一致', 'the document\'s id and version must match the address'), '/document/id');
      let overlay = existing.overlay;
      let rebased: { from: string; to: string; conflicts: RebaseConflict[] } | undefined;
      if (overlay) {
        const base = await publishedBase(overlay.extends);
        const from = overlay.extends;
        const target = document.extends ?? from;
        if (target === from) {
          document = { ...document, extends: from };
          overlay = variantOverlay(base, document);
        } else {
          if (target.split('@')[0] !== base.id)
            throw new ApiError(400, 'variant_base', text(`变体只能改用其基础规则集 ${base.id} 的其他版本`, `a variant can only move to another version of its base ${base.id}`), '/document/extends');
          const newBase = await publishedBase(target);
          // The edits are read against the base they were made on, then carried onto the new one.
          const moved = rebaseVariant(base.document, newBase.document, variantOverlay(base, document));
          document = checked(moved.resolved);
          overlay = variantOverlay(newBase, document);
          rebased = { from, to: target, conflicts: moved.conflicts };
        }
      }
      const regions = document.regions ?? [];
      if (!mayEdit(user, regions, !!existing.overlay)) throw forbidden();
      const record = await put({ ...existing, document: { ...document, status: 'draft' }, regions, ...(overlay ? { overlay } : {}), owner: ownerOf(existing, reference) }, req.body.revision);
      return { ...summary(record, localeOf(req)), ...(rebased ? { rebased } : {}) };
    },
  });

  routes.add({
    method: 'delete',
    path: '/rulesets/:id/:version',
    tag: 'rulesets',
    summary: 'Discard a draft (those who may edit it); published versions stay for good',
    access: 'user',
    responses: { 204: 'discarded', 404: 'no such draft, or not editable by the caller', 409: 'a published version cannot be discarded' },
    handler: async (req, res) => {
      const user = currentUser(res);
      const record = await rulesetFor(ctx, user, String(req.params.id), String(req.params.version), 'read');
      const published = () =>
        new ApiError(409, 'ruleset_published', text(`${record.id}@${record.version} 已发布，不能删除；已发布的版本永久保留`, `${record.id}@${record.version} is published and cannot be discarded; published versions stay for good`));
      if (record.status === 'published') throw published();
      try {
        await store.deleteRuleset(record.id, record.version);
      } catch (e) {
        // Published or discarded by someone else since it was read.
        if (e instanceof ConflictError) throw published();
        if (e instanceof NotFoundError) throw notFound(text(`规则集 ${record.id}@${record.version} 不存在`, `no ruleset ${record.id}@${record.version}`));
        throw e;
      }
      await store.audit({ at: ctx.now().toISOString(), actor: user.id, action: 'ruleset.discard', target: `${record.id}@${record.version}`, ...(record.owner ? { region: record.owner } : {}) });
    },
  });

  routes.add({
    method: 'get',
    path: '/rulesets/:id/:version/record',
    tag: 'rulesets',
    summary: 'What the designer opens: the stored record (document, regions, a variant\'s overlay) with localized lint findings; drafts for those who may edit them, published versions for authors and administrators',
    access: 'user',
    responses: { 200: '{ id, version, status, regions, extends?, overlay?, publishedAt?, document, findings }', 403: 'not an author or administrator', 404: 'no such ruleset, or a draft the caller may not edit' },
    response: RulesetRecordView,
    handler: async (req, res) => {
      const r = await rulesetFor(ctx, currentUser(res), String(req.params.id), String(req.params.version), 'inspect');
      return { ...summary(r, localeOf(req)), ...(r.overlay ? { overlay: r.overlay } : {}), ...(r.publishedAt ? { publishedAt: r.publishedAt } : {}), document: r.document };
    },
  });

  routes.add<{ version?: string; revision?: number }>({
    method: 'post',
    path: '/rulesets/:id/:version/publish',
    tag: 'rulesets',
    summary: 'Publish a draft (optionally under a new version number): requires no lint errors and passing stored tests; published versions never change',
    access: 'user',
    body: Type.Object(
      {
        version: Type.Optional(Type.String({ pattern: SEMVER.source })),
        revision: Type.Optional(Type.Integer({ minimum: 1, description: 'The revision the publisher saw; refused (409 stale) when someone saved since' })),
      },
      { additionalProperties: false },
    ),
    responses: { 200: 'published', 400: 'lint errors or failing tests (listed)', 404: 'no such draft, or not editable by the caller', 409: 'that version is already published or exists, or someone saved since `revision`' },
    response: RulesetSummary,
    handler: async (req, res) => {
      const user = currentUser(res);
      const draft = await rulesetFor(ctx, user, String(req.params.id), String(req.params.version), 'read');
      if (draft.status !== 'draft') throw notFound(text('草稿不存在', 'no such draft'));
      const version = req.body.version ?? draft.version;
      const read = rulesetRevision(draft);
      if (req.body.revision !== undefined && req.body.revision !== read) throw stale(draft, req.body.revision);
      const document: Ruleset = { ...draft.document, version, status: 'published' };
      const errors = lintHere(document).filter((f) => f.severity === 'error');
      if (errors.length) throw ApiError.fromProblems(errors.map((f) => ({ code: f.code, pointer: f.pointer, message: f.message })), 'lint_errors');
      const failed = runRulesetTests(document).filter((t) => !t.passed);
      if (failed.length)
        throw ApiError.fromProblems(
          failed.map((t) => ({ code: 'test_failed', pointer: `/tests/${t.id}`, message: text(`测试用例 ${t.id} 未通过：${t.failures.join('；')}`, `test case ${t.id} fails: ${t.failures.join('; ')}`) })),
          'tests_failed',
        );
      // What was linted and tested is what gets published: the draft as read (same version), or a
      // version no one has yet.
      const record = await put({ ...draft, version, status: 'published', document, publishedAt: ctx.now().toISOString(), ...(draft.overlay ? { overlay: { ...draft.overlay, version } } : {}) }, version === draft.version ? read : 0);
      await store.audit({ at: ctx.now().toISOString(), actor: user.id, action: 'ruleset.publish', target: `${record.id}@${version}`, ...(record.owner ? { region: record.owner } : {}) });
      return summary(record, localeOf(req));
    },
  });

  routes.add({
    method: 'get',
    path: '/ruleset-diff',
    tag: 'rulesets',
    summary: 'Semantic diff between two ruleset versions: questions, weights, thresholds, limits, policies…',
    access: 'public',
    query: { a: { type: 'string', required: true, description: 'id@version' }, b: { type: 'string', required: true, description: 'id@version' } },
    responses: { 200: 'the changes', 404: 'a version not found' },
    response: Type.Array(RulesetChange, { description: 'What changed from a to b' }),
    handler: async (req) => {
      const get = async (ref: unknown) => {
        const [id, version] = String(ref ?? '').split('@');
        const r = await store.getRuleset(id, version ?? '').catch(() => undefined);
        if (!r || r.status !== 'published') throw notFound(text(`没有已发布的规则集 ${String(ref ?? '')}`, `no published ruleset ${String(ref ?? '')}`));
        return r.document;
      };
      return diffRulesets(await get(req.query.a), await get(req.query.b));
    },
  });
}
