// A region's sub-platform (e.g. 山东省分平台): its name and notice on its enterprises' home page,
// and the ruleset their new diagnoses use by default.
import { Type } from '@sinclair/typebox';
import { text, type Problem } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import { readRecords, type SubPlatform } from './records.ts';

const named = (max: number) => Type.Object({ zh: Type.String({ maxLength: max }), en: Type.Optional(Type.String({ maxLength: max })) }, { additionalProperties: false });

export const SubPlatformBody = Type.Object(
  { enabled: Type.Boolean(), name: named(60), notice: named(4000), ruleset: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

/** Line breaks as typed anywhere become "\n"; blank lines at either end go. */
const plain = (s: string) => s.replace(/\r\n?/g, '\n').trim();

/** The sub-platform as stored, or every problem with its pointer. */
export async function checkSubPlatform(ctx: Context, region: string, body: typeof SubPlatformBody.static): Promise<{ ok: true; subPlatform: SubPlatform } | { ok: false; problems: Problem[] }> {
  const problems: Problem[] = [];
  const name = { zh: body.name.zh.trim(), ...(body.name.en?.trim() ? { en: body.name.en.trim() } : {}) };
  const notice = { zh: plain(body.notice.zh), ...(body.notice.en && plain(body.notice.en) ? { en: plain(body.notice.en) } : {}) };
  if (!name.zh) problems.push({ code: 'name', pointer: '/name/zh', message: text('请填写子平台名称', 'enter the name of the sub-platform') });
  const ruleset = body.ruleset?.trim();
  if (ruleset) {
    const at = ruleset.lastIndexOf('@');
    const record = at > 0 ? await ctx.store.getRuleset(ruleset.slice(0, at), ruleset.slice(at + 1)).catch(() => undefined) : undefined;
    if (!record || record.status !== 'published')
      problems.push({ code: 'ruleset', pointer: '/ruleset', message: text(`规则集 ${ruleset} 不存在或尚未发布（格式：id@版本）`, `${ruleset} is not a published ruleset (give id@version)`) });
    else if (!record.regions.includes(region))
      problems.push({ code: 'ruleset', pointer: '/ruleset', message: text(`规则集 ${ruleset} 的适用地区不含 ${region}`, `the ruleset ${ruleset} is not meant for region ${region}`) });
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, subPlatform: { enabled: body.enabled, name, notice, ...(ruleset ? { ruleset } : {}), updatedAt: ctx.now().toISOString() } };
}

/** The enabled sub-platform of the most specific region on `path` that runs one. */
export async function subPlatformAlong(ctx: Context, path: string[]): Promise<{ region: string; subPlatform: SubPlatform } | undefined> {
  const { profiles } = await readRecords(ctx);
  for (const region of [...path].reverse()) {
    const subPlatform = profiles[region]?.subPlatform;
    if (subPlatform?.enabled) return { region, subPlatform };
  }
  return undefined;
}

/** `id@version` of the ruleset the region's enabled sub-platform chose, if any. */
export async function chosenRuleset(ctx: Context, region: string): Promise<string | undefined> {
  const subPlatform = (await readRecords(ctx)).profiles[region]?.subPlatform;
  return subPlatform?.enabled ? subPlatform.ruleset : undefined;
}
