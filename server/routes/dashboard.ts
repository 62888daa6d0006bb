// The authorities' dashboard: a region's figures, its enterprises (filtered, sorted, paged or as
// CSV), benchmark enterprises and targets. Region administrators see their region and those
// below it, platform administrators everything; the figures come from server/dashboard/.
import { Type } from '@sinclair/typebox';
import type { Request } from 'express';
import { compareVersions, text, type Ruleset } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { User } from '../store/types.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError, localeOf, notFound } from '../http/apiError.ts';
import { canRead, currentUser } from '../auth.ts';
import { loadRecords } from '../dashboard/records.ts';
import { overview, OverviewSchema, TargetSchema, type Target } from '../dashboard/overview.ts';
import { ownScope, regionScope, regionView, settingKey, subRegions, type RegionScope } from '../dashboard/regionScope.ts';
import { benchmarksOf, markBenchmark, setTargets, targetsOf } from '../dashboard/marks.ts';
import { EnterprisePageSchema, enterpriseRows, enterprisesCsv, SORT_KEYS, type EnterpriseFilter, type SortKey } from '../dashboard/enterpriseTable.ts';

const MAX_PAGE_SIZE = 200;

/** One query parameter as a string (a repeated one is refused rather than guessed at). */
function param(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw new ApiError(400, 'invalid_query', text(`参数 ${name} 只能给一次`, `give the parameter ${name} once`), `/${name}`);
  return v;
}

function invalid(name: string, value: string, expected: { zh: string; en: string }) {
  return new ApiError(400, 'invalid_query', text(`参数 ${name} 的值 "${value}" 无效：${expected.zh}`, `"${value}" is not a valid ${name}: ${expected.en}`), `/${name}`);
}

function integerParam(req: Request, name: string, min: number, max: number): number | undefined {
  const v = param(req, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) throw invalid(name, v, text(`应为 ${min} 到 ${max} 的整数`, `expected a whole number from ${min} to ${max}`));
  return n;
}

function filterOf(req: Request): EnterpriseFilter {
  const level = param(req, 'level');
  const benchmark = param(req, 'benchmark');
  if (level !== undefined && level !== 'none' && !/^\d{1,2}$/.test(level)) throw invalid('level', level, text('应为等级数字（0 为一级以下），或 none 表示尚未自诊断', 'expected a level number (0: below level 1), or none for not assessed'));
  if (benchmark !== undefined && benchmark !== 'true' && benchmark !== 'false') throw invalid('benchmark', benchmark, text('应为 true 或 false', 'expected true or false'));
  const q = param(req, 'q');
  if (q !== undefined && q.length > 100) throw invalid('q', `${q.slice(0, 20)}…`, text('不超过 100 个字符', 'at most 100 characters'));
  const industry = param(req, 'industry');
  const sizeBand = param(req, 'sizeBand');
  return {
    ...(level !== undefined ? { level: level === 'none' ? 'none' : Number(level) } : {}),
    ...(industry ? { industry } : {}),
    ...(sizeBand ? { sizeBand } : {}),
    ...(q ? { q } : {}),
    ...(benchmark !== undefined ? { benchmark: benchmark === 'true' } : {}),
  };
}

function sortOf(req: Request): { sort: SortKey; order: 'asc' | 'desc' } {
  const sort = param(req, 'sort') ?? 'name';
  if (!(SORT_KEYS as readonly string[]).includes(sort)) throw invalid('sort', sort, text(`应为 ${SORT_KEYS.join('、')} 之一`, `expected one of ${SORT_KEYS.join(', ')}`));
  const order = param(req, 'order') ?? (sort === 'name' ? 'asc' : 'desc');
  if (order !== 'asc' && order !== 'desc') throw invalid('order', order, text('应为 asc 或 desc', 'expected asc or desc'));
  return { sort: sort as SortKey, order };
}

export function dashboardRoutes(routes: RouteTable, ctx: Context) {
  const { store, reference } = ctx;

  /** The platform's default ruleset: level labels and the time zone before anything is assessed. */
  async function defaultRuleset(): Promise<Ruleset | undefined> {
    const base = (await store.listRulesets()).filter((r) => r.status === 'published' && r.id === reference.defaultRuleset).sort((a, b) => compareVersions(b.version, a.version))[0];
    return base && (await store.getRuleset(base.id, base.version))?.document;
  }

  /** A group below one's region may have members elsewhere: those stay out, as they do everywhere else. */
  const enterprisesOf = async (user: User, scope: RegionScope) => (await store.listEnterprises(scope.code ? { regionPrefix: [scope.code] } : undefined)).filter((e) => canRead(user, e));

  const regionQuery = { region: { type: 'string' as const, description: "a region code (GB/T 2260, or one the platform created); default: the administrator's own region, or the whole country for a platform administrator" } };

  routes.add({
    method: 'get',
    path: '/dashboard',
    tag: 'dashboard',
    summary: "A region's figures: registered and assessed enterprises, levels (each enterprise's counted diagnosis), shares beside targets, by industry, size and sub-region, domain averages weakest first, the quarterly trend",
    access: 'user',
    query: regionQuery,
    responses: { 200: 'the figures', 403: 'not an administrator', 404: 'no such region, or outside yours' },
    response: OverviewSchema,
    handler: async (req, res) => {
      const user = currentUser(res);
      const locale = localeOf(req);
      const scope = regionScope(user, param(req, 'region'), reference);
      return overview({
        region: regionView(scope, reference, locale),
        subRegions: subRegions(scope, reference, locale),
        records: await loadRecords(ctx, await enterprisesOf(user, scope)),
        reference,
        locale,
        targets: await targetsOf(store, scope),
        defaultRuleset: await defaultRuleset(),
        now: ctx.now(),
      });
    },
  });

  routes.add({
    method: 'get',
    path: '/dashboard/enterprises',
    tag: 'dashboard',
    summary: "A region's enterprises with their counted result: filter, sort, page; format=csv downloads every matching row",
    access: 'user',
    query: {
      ...regionQuery,
      level: { type: 'string', description: 'a level (0: below level 1), or none: not assessed yet' },
      industry: { type: 'string', description: 'a GB/T 4754 section (C) or division (C35)' },
      sizeBand: { type: 'string' },
      q: { type: 'string', description: 'part of the name or the credit code' },
      benchmark: { type: 'string', description: "true or false: marked as a benchmark by the administrator's region" },
      sort: { type: 'string', description: 'name (default), level, score or finishedAt; not assessed last' },
      order: { type: 'string', description: 'asc or desc (default: asc for name, desc otherwise)' },
      page: { type: 'integer', description: 'from 1' },
      pageSize: { type: 'integer', description: `1–${MAX_PAGE_SIZE}, default 20` },
      format: { type: 'string', description: 'csv: every matching row as a CSV file (UTF-8 with BOM), header in the request language' },
    },
    responses: { 200: '{ total, page, pageSize, items }, or text/csv', 400: 'an invalid parameter', 403: 'not an administrator', 404: 'no such region, or outside yours' },
    response: EnterprisePageSchema,
    handler: async (req, res) => {
      const user = currentUser(res);
      const locale = localeOf(req);
      const scope = regionScope(user, param(req, 'region'), reference);
      const format = param(req, 'format') ?? 'json';
      if (format !== 'json' && format !== 'csv') throw invalid('format', format, text('应为 json 或 csv', 'expected json or csv'));
      const filter = filterOf(req);
      const { sort, order } = sortOf(req);
      const page = integerParam(req, 'page', 1, 1_000_000) ?? 1;
      const pageSize = integerParam(req, 'pageSize', 1, MAX_PAGE_SIZE) ?? 20;
      const benchmarks = await benchmarksOf(store, ownScope(user, reference));
      const rows = enterpriseRows(await loadRecords(ctx, await enterprisesOf(user, scope)), filter, sort, order, { reference, locale, benchmarks });
      if (format === 'csv') {
        const offset = (await defaultRuleset())?.counting.utcOffsetMinutes ?? 0;
        const region = settingKey(scope);
        const file = `${locale === 'en' ? 'enterprises' : '企业'}-${region}-${ctx.now().toISOString().slice(0, 10)}.csv`;
        // filename for old clients (ASCII only), filename* (RFC 6266) with the localised name for the others.
        res
          .type('text/csv; charset=utf-8')
          .set('Content-Disposition', `attachment; filename="enterprises-${region}.csv"; filename*=UTF-8''${encodeURIComponent(file)}`)
          .send(enterprisesCsv(rows, reference, locale, offset));
        return;
      }
      return { total: rows.length, page, pageSize, items: rows.slice((page - 1) * pageSize, page * pageSize) };
    },
  });

  routes.add<{ benchmark: boolean }>({
    method: 'put',
    path: '/dashboard/enterprises/:id/benchmark',
    tag: 'dashboard',
    summary: "Mark (or unmark) a benchmark enterprise (树标杆) for the administrator's own region; a province and a city keep their own marks",
    access: 'user',
    body: Type.Object({ benchmark: Type.Boolean() }, { additionalProperties: false }),
    responses: { 200: '{ id, benchmark, region }', 403: 'not an administrator', 404: 'no such enterprise, or outside your region' },
    response: Type.Object(
      {
        id: Type.String(),
        benchmark: Type.Boolean(),
        region: Type.Union([Type.String(), Type.Null()], { description: 'The region whose mark it is (the administrator\'s own); null: the whole country' }),
      },
      { additionalProperties: false },
    ),
    handler: async (req, res) => {
      const user = currentUser(res);
      const own = ownScope(user, reference);
      const enterprise = await store.getEnterprise(String(req.params.id));
      if (!enterprise || !canRead(user, enterprise)) throw notFound(text('企业不存在', 'no such enterprise'));
      await markBenchmark(store, own, enterprise.id, req.body.benchmark);
      await store.audit({ at: ctx.now().toISOString(), actor: user.id, action: req.body.benchmark ? 'dashboard.benchmark' : 'dashboard.unbenchmark', target: enterprise.id, detail: { region: own.code }, region: enterprise.region });
      return { id: enterprise.id, benchmark: req.body.benchmark, region: own.code };
    },
  });

  routes.add<{ targets: Target[] }>({
    method: 'put',
    path: '/dashboard/targets',
    tag: 'dashboard',
    summary: "Set a region's targets for enterprises at a level or above: a share of its assessed enterprises, a number of enterprises, or both (replaces the region's targets; [] clears them)",
    access: 'user',
    query: regionQuery,
    body: Type.Object({ targets: Type.Array(TargetSchema, { maxItems: 20 }) }, { additionalProperties: false }),
    responses: { 200: '{ region, targets }', 400: 'a level twice, a level no published ruleset has, or a target with neither share nor count', 403: 'not an administrator', 404: 'no such region, or outside yours' },
    response: Type.Object(
      {
        region: Type.Union([Type.String(), Type.Null()], { description: 'null: the whole country' }),
        targets: Type.Array(TargetSchema, { description: 'The region\'s targets now, lowest level first' }),
      },
      { additionalProperties: false },
    ),
    handler: async (req, res) => {
      const user = currentUser(res);
      const scope = regionScope(user, param(req, 'region'), reference);
      const levels = new Set<number>();
      for (const r of (await store.listRulesets()).filter((x) => x.status === 'published')) for (const l of (await store.getRuleset(r.id, r.version))?.document.levels ?? []) levels.add(l.number);
      const given: Target[] = req.body.targets;
      const seen = new Set<number>();
      const problems = given.flatMap(({ level, share, count }, i) => {
        const pointer = `/targets/${i}/level`;
        if (share === undefined && count === undefined) return [{ code: 'targets.empty', pointer: `/targets/${i}`, message: text(`等级 ${level} 的目标须给出占比或企业数`, `the target for level ${level} needs a share or a number of enterprises`) }];
        if (seen.has(level)) return [{ code: 'targets.duplicate', pointer, message: text(`等级 ${level} 的目标重复`, `level ${level} has two targets`) }];
        seen.add(level);
        return levels.has(level) ? [] : [{ code: 'targets.level', pointer, message: text(`没有规则集包含等级 ${level}`, `no published ruleset has a level ${level}`) }];
      });
      if (problems.length) throw ApiError.fromProblems(problems);
      const targets = given.map(({ level, share, count }) => ({ level, ...(share !== undefined ? { share } : {}), ...(count !== undefined ? { count } : {}) }));
      await setTargets(store, scope, targets);
      await store.audit({ at: ctx.now().toISOString(), actor: user.id, action: 'dashboard.targets', target: scope.code ?? undefined, detail: { targets }, ...(scope.code ? { region: scope.code } : {}) });
      return { region: scope.code, targets: await targetsOf(store, scope) };
    },
  });
}
