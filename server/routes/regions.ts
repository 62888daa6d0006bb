// The region tree and what the platform keeps per region: custom regions (parks, new districts,
// enterprise groups) created by platform administrators, liaisons, sub-platforms, group members,
// and the sub-platform an enterprise's home page shows.
import { Type, type Static } from '@sinclair/typebox';
import { localized, text, type Text } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError, forbidden, localeOf, notFound, type Locale } from '../http/apiError.ts';
import { canRead, currentUser, requireRole } from '../auth.ts';
import { normaliseCreditCode } from '../accounts/creditCode.ts';
import type { Enterprise, User } from '../store/types.ts';
import { customCode, Named, PLACEMENT, RegionTreeNode, RegionView, type CustomRegion, type Region, type RegionKind, type TreeNode } from '../regions/tree.ts';
import { changeRecords, holdingRegions, Liaison, profileOf, SubPlatform, type RegionRecords } from '../regions/records.ts';
import { checkLiaisons, LiaisonsBody } from '../regions/liaisons.ts';
import { checkSubPlatform, subPlatformAlong, SubPlatformBody } from '../regions/subPlatform.ts';

const KIND: Record<RegionKind, Text> = {
  province: text('省级地区', 'a province'),
  city: text('地市', 'a city'),
  district: text('区县', 'a district'),
  park: text('园区', 'a park'),
  group: text('企业集团', 'an enterprise group'),
};

const NameBody = Type.Object({ zh: Type.String({ maxLength: 60 }), en: Type.Optional(Type.String({ maxLength: 120 })) }, { additionalProperties: false });
const creatable = Object.keys(PLACEMENT) as CustomRegion['kind'][];
const CreateBody = Type.Object(
  { parent: Type.Optional(Type.String({ maxLength: 20 })), kind: Type.Union(creatable.map((k) => Type.Literal(k))), name: NameBody },
  { additionalProperties: false },
);

const trimmedName = (n: Named): Named => ({ zh: n.zh.trim(), ...(n.en?.trim() ? { en: n.en.trim() } : {}) });

// ---- what the routes answer
const RegionsAnswer = Type.Object({ regions: Type.Array(RegionTreeNode, { description: 'The top of the tree: provinces, and enterprise groups placed at the top' }) }, { additionalProperties: false });
const LiaisonsAnswer = Type.Object({ region: Type.String(), liaisons: Type.Array(Liaison) }, { additionalProperties: false });
/** The stored sub-platform with its region's code; a region that never set one up answers only `{ region, enabled: false }`. */
const SubPlatformAnswer = Type.Object(
  {
    region: Type.String(),
    enabled: Type.Boolean(),
    name: Type.Optional(SubPlatform.properties.name),
    notice: Type.Optional(SubPlatform.properties.notice),
    ruleset: Type.Optional(SubPlatform.properties.ruleset),
    updatedAt: Type.Optional(SubPlatform.properties.updatedAt),
  },
  { additionalProperties: false, description: 'Only region and enabled (false) when never set up' },
);
const Member = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    creditCode: Type.String(),
    region: Type.Object({ code: Type.String(), name: Type.String({ description: 'Localised' }) }, { additionalProperties: false, description: 'Where the enterprise is registered' }),
  },
  { additionalProperties: false },
);
const HomeAnswer = Type.Object(
  {
    subPlatform: Type.Union([
      Type.Object(
        {
          region: Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false }),
          name: Type.String(),
          notice: Type.String({ description: 'Plain text; paragraphs are separated by newlines' }),
        },
        { additionalProperties: false, description: 'Localised; of the most specific region on the way down to the enterprise (or the administrator\'s region) that runs an enabled sub-platform' },
      ),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);

export function regionRoutes(routes: RouteTable, ctx: Context) {
  const { store } = ctx;
  const tree = ctx.reference.regionTree;

  const found = (code: string): Region => {
    const region = tree.get(code);
    if (!region) throw notFound(text(`地区 ${code} 不存在`, `no region ${code}`));
    return region;
  };
  /** Region administrators look after their own region and those below it, platform administrators after all. */
  const looksAfter = (user: User, region: Region) => user.role === 'platformAdmin' || (user.role === 'regionAdmin' && !!user.region && region.path.includes(user.region));
  const view = (r: Region, locale: Locale): Static<typeof RegionView> => ({ code: r.code, kind: r.kind, name: r.name, label: localized(r.name, locale), custom: r.custom, ...(r.parent ? { parent: r.parent } : {}), path: r.path });
  const nodeView = (n: TreeNode, locale: Locale): Static<typeof RegionTreeNode> => ({
    code: n.code,
    kind: n.kind,
    name: n.name,
    label: localized(n.name, locale),
    custom: n.custom,
    ...(n.children ? { children: n.children.map((c) => nodeView(c, locale)) } : {}),
  });
  /** Every change is about a region, which is where its entry belongs (a removed one's parent: the region itself is gone). */
  const audit = (user: User, action: string, target: string, detail?: Record<string, unknown>, region: string | undefined = target) =>
    store.audit({ at: ctx.now().toISOString(), actor: user.id, action, target, ...(detail ? { detail } : {}), ...(region ? { region } : {}) });

  /** Siblings must differ by name: registration lists them side by side. */
  const nameProblem = (name: Named, parent: string | undefined, except?: string) => {
    if (!name.zh) return ApiError.fromProblems([{ code: 'name', pointer: '/name/zh', message: text('请填写地区名称', 'enter the name of the region') }]);
    const twin = tree.children(parent).find((r) => r.code !== except && r.name.zh === name.zh);
    if (twin) return new ApiError(409, 'region_name_taken', text(`同级已有名为“${name.zh}”的地区（${twin.code}）`, `a region named "${name.zh}" already exists at this level (${twin.code})`), '/name/zh');
    return undefined;
  };

  routes.add({
    method: 'get',
    path: '/regions',
    tag: 'regions',
    summary: 'The region tree: GB/T 2260 and the regions the platform created, each with its kind (province, city, district, park, group)',
    access: 'public',
    responses: { 200: '{ regions: [{ code, kind, name, label, custom, children? }] }' },
    response: RegionsAnswer,
    handler: (req) => ({ regions: tree.nodes({ groups: true }).map((n) => nodeView(n, localeOf(req))) }),
  });

  routes.add<{ parent?: string; kind: CustomRegion['kind']; name: Named }>({
    method: 'post',
    path: '/regions',
    tag: 'regions',
    summary: 'A platform administrator creates a region GB/T 2260 does not list: a city, district or park under its parent, or an enterprise group',
    access: 'user',
    body: CreateBody,
    responses: { 201: 'the region with its new code', 400: 'no such parent, or not a parent for that kind', 403: 'not a platform administrator', 409: 'a sibling has that name' },
    response: RegionView,
    handler: async (req, res) => {
      const user = currentUser(res);
      requireRole(user, 'platformAdmin');
      const kind: CustomRegion['kind'] = req.body.kind;
      const parent = req.body.parent?.trim() || undefined;
      const name = trimmedName(req.body.name);
      const code = await changeRecords(ctx, (current: RegionRecords) => {
        const above = parent ? tree.get(parent) : undefined;
        if (parent && !above) throw ApiError.fromProblems([{ code: 'parent', pointer: '/parent', message: text(`上级地区 ${parent} 不存在`, `no region ${parent} to put it under`) }]);
        const allowed = PLACEMENT[kind];
        if (!allowed.includes(above?.kind ?? 'none')) {
          const parents = allowed.filter((k) => k !== 'none');
          const zh = `${KIND[kind].zh}可设在${parents.map((k) => KIND[k].zh).join('、')}之下`;
          const en = `${KIND[kind].en} goes under ${parents.map((k) => KIND[k].en).join(', ')}`;
          const message = above ? text(`${KIND[kind].zh}不能设在${KIND[above.kind].zh}之下；${zh}`, `${KIND[kind].en} cannot be placed under ${KIND[above.kind].en}; ${en}`) : text(`请指定上级地区：${zh}`, `give the parent region: ${en}`);
          throw ApiError.fromProblems([{ code: 'parent', pointer: '/parent', message }]);
        }
        const problem = nameProblem(name, parent);
        if (problem) throw problem;
        let sequence = current.sequence + 1;
        while (tree.get(customCode(tree, kind, parent, sequence))) sequence += 1;
        const region: CustomRegion = { code: customCode(tree, kind, parent, sequence), kind, ...(parent ? { parent } : {}), name, createdAt: ctx.now().toISOString() };
        return { next: { ...current, sequence, custom: [...current.custom, region] }, result: region.code };
      });
      await audit(user, 'region.create', code, { kind, parent });
      res.status(201);
      return view(tree.get(code)!, localeOf(req));
    },
  });

  routes.add<{ name: Named }>({
    method: 'patch',
    path: '/regions/:code',
    tag: 'regions',
    summary: 'A platform administrator renames a region it created (GB/T 2260 names stay as the standard has them)',
    access: 'user',
    body: Type.Object({ name: NameBody }, { additionalProperties: false }),
    responses: { 200: 'the region', 400: 'an empty name', 403: 'not a platform administrator', 404: 'no such region', 409: 'a GB/T 2260 region, or a sibling has that name' },
    response: RegionView,
    handler: async (req, res) => {
      const user = currentUser(res);
      requireRole(user, 'platformAdmin');
      const code = String(req.params.code);
      const name = trimmedName(req.body.name);
      await changeRecords(ctx, (current) => {
        const region = found(code);
        if (!region.custom) throw standardRegion(region);
        const problem = nameProblem(name, region.parent, code);
        if (problem) throw problem;
        return { next: { ...current, custom: current.custom.map((c) => (c.code === code ? { ...c, name } : c)) }, result: undefined };
      });
      await audit(user, 'region.rename', code, { name });
      return view(tree.get(code)!, localeOf(req));
    },
  });

  routes.add({
    method: 'delete',
    path: '/regions/:code',
    tag: 'regions',
    summary: 'A platform administrator removes a region it created, with its liaisons and sub-platform, once nothing is in it: no enterprises or members, no administrators, no regions below',
    access: 'user',
    responses: { 204: 'removed', 403: 'not a platform administrator', 404: 'no such region', 409: 'a GB/T 2260 region, or not empty' },
    handler: async (req, res) => {
      const user = currentUser(res);
      requireRole(user, 'platformAdmin');
      const code = String(req.params.code);
      const parent = tree.get(code)?.parent;
      await changeRecords(ctx, async (current) => {
        const region = found(code);
        if (!region.custom) throw standardRegion(region);
        const enterprises = (await store.listEnterprises({ regionPrefix: [code] })).length;
        const admins = (await store.findRegionAdministrators(code)).length;
        const below = tree.children(code).length;
        if (enterprises || admins || below)
          throw new ApiError(
            409,
            'region_not_empty',
            text(
              `“${region.name.zh}”下仍有 ${enterprises} 家企业、${admins} 名地区管理员、${below} 个下级地区，清空后才能删除`,
              `"${region.name.en || region.name.zh}" still has ${enterprises} enterprise(s), ${admins} administrator(s) and ${below} region(s) below it; it can be removed once empty`,
            ),
          );
        const { [code]: _dropped, ...profiles } = current.profiles;
        return { next: { ...current, custom: current.custom.filter((c) => c.code !== code), profiles }, result: undefined };
      });
      await audit(user, 'region.remove', code, undefined, parent);
    },
  });

  routes.add({
    method: 'get',
    path: '/regions/:code/liaisons',
    tag: 'regions',
    summary: "A region's liaisons (name, post, mobile, optionally e-mail, unit, note): its administrators and those above it, platform administrators",
    access: 'user',
    responses: { 200: '{ region, liaisons }', 403: 'not an administrator of this region or one above it', 404: 'no such region' },
    response: LiaisonsAnswer,
    handler: async (req, res) => {
      const region = found(String(req.params.code));
      if (!looksAfter(currentUser(res), region)) throw forbidden();
      return { region: region.code, liaisons: (await profileOf(ctx, region.code)).liaisons ?? [] };
    },
  });

  routes.add<typeof LiaisonsBody.static>({
    method: 'put',
    path: '/regions/:code/liaisons',
    tag: 'regions',
    summary: "Replaces a region's liaisons: its administrators and those above it, platform administrators",
    access: 'user',
    body: LiaisonsBody,
    responses: { 200: '{ region, liaisons }', 400: 'a field is missing or invalid (pointer /liaisons/<n>/<field>)', 403: 'not an administrator of this region or one above it', 404: 'no such region' },
    response: LiaisonsAnswer,
    handler: async (req, res) => {
      const user = currentUser(res);
      const code = String(req.params.code);
      if (!looksAfter(user, found(code))) throw forbidden();
      const checked = checkLiaisons(req.body.liaisons);
      if (!checked.ok) throw ApiError.fromProblems(checked.problems);
      await changeRecords(ctx, (current) => {
        found(code);
        return { next: { ...current, profiles: { ...current.profiles, [code]: { ...current.profiles[code], liaisons: checked.liaisons } } }, result: undefined };
      });
      await audit(user, 'region.liaisons', code, { count: checked.liaisons.length });
      return { region: code, liaisons: checked.liaisons };
    },
  });

  /** Enterprise groups are not where enterprises are, so no home page shows a group's sub-platform. */
  const geographic = (code: string) => {
    const region = found(code);
    if (region.kind === 'group') throw notFound(text('企业集团不设子平台', 'an enterprise group has no sub-platform'));
    return region;
  };

  routes.add({
    method: 'get',
    path: '/regions/:code/sub-platform',
    tag: 'regions',
    summary: "A region's sub-platform: { region, enabled, name?, notice?, ruleset?, updatedAt? } (enabled false and nothing else when never set up)",
    access: 'user',
    responses: { 200: 'the sub-platform', 403: 'not an administrator of this region or one above it', 404: 'no such region, or a group' },
    response: SubPlatformAnswer,
    handler: async (req, res) => {
      const region = geographic(String(req.params.code));
      if (!looksAfter(currentUser(res), region)) throw forbidden();
      const subPlatform = (await profileOf(ctx, region.code)).subPlatform;
      return { region: region.code, ...(subPlatform ?? { enabled: false }) };
    },
  });

  routes.add<typeof SubPlatformBody.static>({
    method: 'put',
    path: '/regions/:code/sub-platform',
    tag: 'regions',
    summary:
      "Sets up a region's sub-platform: its name and notice (plain text, paragraphs by newline) on its enterprises' home page and, optionally, the published ruleset for this region (id@version) their new diagnoses use; the region's own administrator or a platform administrator",
    access: 'user',
    body: SubPlatformBody,
    responses: { 200: 'the sub-platform', 400: 'no name, or not a published ruleset for this region', 403: "not this region's administrator", 404: 'no such region, or a group' },
    response: SubPlatformAnswer,
    handler: async (req, res) => {
      const user = currentUser(res);
      const code = String(req.params.code);
      geographic(code);
      if (!(user.role === 'platformAdmin' || (user.role === 'regionAdmin' && user.region === code))) throw forbidden();
      const checked = await checkSubPlatform(ctx, code, req.body);
      if (!checked.ok) throw ApiError.fromProblems(checked.problems);
      await changeRecords(ctx, (current) => {
        found(code);
        return { next: { ...current, profiles: { ...current.profiles, [code]: { ...current.profiles[code], subPlatform: checked.subPlatform } } }, result: undefined };
      });
      await audit(user, 'region.subPlatform', code, { enabled: checked.subPlatform.enabled, ruleset: checked.subPlatform.ruleset });
      return { region: code, ...checked.subPlatform };
    },
  });

  const group = (code: string) => {
    const region = found(code);
    if (region.kind !== 'group') throw notFound(text(`${code} 不是企业集团`, `${code} is not an enterprise group`));
    return region;
  };
  const memberView = (e: Enterprise, locale: Locale): Static<typeof Member> => ({ id: e.id, name: e.name, creditCode: e.creditCode, region: { code: e.region, name: localized(tree.get(e.region)?.name, locale) } });

  routes.add({
    method: 'get',
    path: '/regions/:code/members',
    tag: 'regions',
    summary: "An enterprise group's member enterprises: for the group's administrators and platform administrators all, for an administrator above the group those within its region",
    access: 'user',
    responses: { 200: '{ items: [{ id, name, creditCode, region }] }', 403: 'not an administrator of this group', 404: 'no such group' },
    response: Type.Object({ items: Type.Array(Member) }, { additionalProperties: false }),
    handler: async (req, res) => {
      const user = currentUser(res);
      const region = group(String(req.params.code));
      if (!looksAfter(user, region)) throw forbidden();
      // An administrator above the group sees only the members within its own region.
      const members = (await store.listEnterprises({ regionPrefix: [region.code] })).filter((e) => canRead(user, e));
      return { items: members.map((e) => memberView(e, localeOf(req))) };
    },
  });

  routes.add<{ creditCode: string }>({
    method: 'post',
    path: '/regions/:code/members',
    tag: 'regions',
    summary: 'A platform administrator adds a registered enterprise to an enterprise group by its credit code (its administrators then see it beside the geographic ones)',
    access: 'user',
    body: Type.Object({ creditCode: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
    responses: { 201: 'added', 200: 'already a member', 400: 'no enterprise registered with that credit code', 403: 'not a platform administrator', 404: 'no such group' },
    response: Member,
    handler: async (req, res) => {
      const user = currentUser(res);
      requireRole(user, 'platformAdmin');
      const code = String(req.params.code);
      const creditCode = normaliseCreditCode(req.body.creditCode);
      const enterprise = await store.findEnterpriseByCreditCode(creditCode);
      if (!enterprise) throw new ApiError(400, 'unknown_enterprise', text(`没有以统一社会信用代码 ${creditCode} 注册的企业`, `no enterprise is registered with the credit code ${creditCode}`), '/creditCode');
      // Under the tree's lock, so the group cannot be removed between the check and the write.
      const added = await holdingRegions(ctx, async () => {
        group(code);
        const current = (await store.getEnterprise(enterprise.id))!;
        if (current.groups?.includes(code)) return false;
        await store.updateEnterprise(current.id, { groups: [...(current.groups ?? []), code] });
        return true;
      });
      if (added) {
        await audit(user, 'group.addMember', code, { enterprise: enterprise.id });
        res.status(201);
      }
      return memberView(enterprise, localeOf(req));
    },
  });

  routes.add({
    method: 'delete',
    path: '/regions/:code/members/:enterpriseId',
    tag: 'regions',
    summary: 'A platform administrator takes an enterprise out of an enterprise group',
    access: 'user',
    responses: { 204: 'removed', 403: 'not a platform administrator', 404: 'no such group, or not a member' },
    handler: async (req, res) => {
      const user = currentUser(res);
      requireRole(user, 'platformAdmin');
      const code = String(req.params.code);
      const id = String(req.params.enterpriseId);
      await holdingRegions(ctx, async () => {
        group(code);
        const enterprise = await store.getEnterprise(id);
        if (!enterprise?.groups?.includes(code)) throw notFound(text('该企业不是此集团的成员', 'the enterprise is not a member of this group'));
        await store.updateEnterprise(id, { groups: enterprise.groups.filter((g) => g !== code) });
      });
      await audit(user, 'group.removeMember', code, { enterprise: id });
    },
  });

  routes.add({
    method: 'get',
    path: '/home',
    tag: 'regions',
    summary:
      "What the home page shows besides the diagnoses: the sub-platform of the most specific region (of the enterprise, or of a region administrator) that runs one, as { subPlatform: { region: { code, name }, name, notice } | null }, localised",
    access: 'user',
    responses: { 200: '{ subPlatform }' },
    response: HomeAnswer,
    handler: async (req, res) => {
      const user = currentUser(res);
      const locale = localeOf(req);
      const enterprise = user.enterpriseId ? await store.getEnterprise(user.enterpriseId) : undefined;
      const path = enterprise?.regionPath ?? (user.role === 'regionAdmin' && user.region ? tree.get(user.region)?.path.filter((c) => tree.get(c)?.kind !== 'group') : undefined) ?? [];
      const running = await subPlatformAlong(ctx, path);
      if (!running) return { subPlatform: null };
      const { region, subPlatform } = running;
      return {
        subPlatform: {
          region: { code: region, name: localized(tree.get(region)?.name, locale) },
          name: localized(subPlatform.name, locale),
          notice: localized(subPlatform.notice, locale),
        },
      };
    },
  });
}

const standardRegion = (region: Region) =>
  new ApiError(409, 'standard_region', text(`“${region.name.zh}”（${region.code}）是 GB/T 2260 中的地区，不能修改或删除`, `"${region.name.en || region.name.zh}" (${region.code}) is a GB/T 2260 region; it cannot be changed or removed`));
