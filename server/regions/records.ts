// What the platform keeps about regions, in one store setting (`regions`) so that removing a
// custom region and its liaisons and sub-platform is a single atomic write: the custom regions,
// the sequence their codes are numbered from, and each region's profile.
import type { NextFunction, Request, Response } from 'express';
import { Type, type Static } from '@sinclair/typebox';
import type { Context } from '../context.ts';
import { Named, type CustomRegion } from './tree.ts';

export const REGIONS_SETTING = 'regions';

/** A liaison for the assessment work (seed 000, attachment 2: 联络员信息登记表), as stored and answered. */
export const Liaison = Type.Object(
  {
    name: Type.String(),
    post: Type.String({ description: '职务' }),
    mobile: Type.String({ description: 'An 11-digit mainland China mobile number' }),
    email: Type.Optional(Type.String()),
    unit: Type.Optional(Type.String({ description: 'The office the liaison works for (e.g. 区经委)' })),
    note: Type.Optional(Type.String({ description: '备注' })),
  },
  { additionalProperties: false },
);
export type Liaison = Static<typeof Liaison>;

/** A region's sub-platform (e.g. 山东省分平台) as stored. */
export const SubPlatform = Type.Object(
  {
    enabled: Type.Boolean(),
    name: Named,
    notice: Type.Object(Named.properties, { additionalProperties: false, description: 'Plain text; paragraphs are separated by newlines' }),
    ruleset: Type.Optional(Type.String({ description: '`id@version` of a published ruleset for this region: new diagnoses of its enterprises use it' })),
    updatedAt: Type.String(),
  },
  { additionalProperties: false },
);
export type SubPlatform = Static<typeof SubPlatform>;

export interface RegionProfile {
  liaisons?: Liaison[];
  subPlatform?: SubPlatform;
}

export interface RegionRecords {
  /** The last number given to a custom code; never goes down, so a removed region's code is never given again. */
  sequence: number;
  custom: CustomRegion[];
  profiles: Record<string, RegionProfile>;
  /** Goes up with every change, so each instance knows whether the tree it has is the latest. */
  revision?: number;
}

export const readRecords = async (ctx: Context): Promise<RegionRecords> =>
  (await ctx.store.getSetting<RegionRecords>(REGIONS_SETTING)) ?? { sequence: 0, custom: [], profiles: {} };

export const profileOf = async (ctx: Context, code: string): Promise<RegionProfile> => (await readRecords(ctx)).profiles[code] ?? {};

const loadTree = async (ctx: Context) => {
  const records = await readRecords(ctx);
  ctx.reference.regionTree.replaceCustom(records.custom, records.revision ?? 0);
};

/**
 * Runs `work` with no region change under way on any instance, and this instance's tree brought
 * up to date first. Whoever records a region code (registering an enterprise, creating its
 * administrator) checks the code again inside, so it never records one that a removal took away.
 */
export function holdingRegions<T>(ctx: Context, work: () => Promise<T>): Promise<T> {
  return ctx.store.exclusive('regions', async () => {
    await loadTree(ctx);
    return work();
  });
}

/**
 * One change to the records, with no other region change under way: `change` gets the stored
 * records (never to be modified in place) and returns the new ones or throws to change nothing.
 * The tree follows only once the write succeeded.
 */
export function changeRecords<T>(ctx: Context, change: (current: RegionRecords) => Promise<{ next: RegionRecords; result: T }> | { next: RegionRecords; result: T }): Promise<T> {
  return holdingRegions(ctx, async () => {
    const current = await readRecords(ctx);
    const { next, result } = await change(current);
    const stored = { ...next, revision: (current.revision ?? 0) + 1 };
    await ctx.store.putSetting(REGIONS_SETTING, stored);
    ctx.reference.regionTree.replaceCustom(stored.custom, stored.revision);
    return result;
  });
}

/**
 * Middleware: brings the stored custom regions into the tree before the first request is
 * answered, and again after any instance changed them (the store tells).
 */
export function regionsLoaded(ctx: Context) {
  let loading: Promise<void> | undefined;
  ctx.store.onSettingChanged((key) => {
    if (key === REGIONS_SETTING || key === '*') loading = undefined;
  });
  return (_req: Request, _res: Response, next: NextFunction) => {
    loading ??= loadTree(ctx).catch((e) => {
      loading = undefined;
      throw e;
    });
    loading.then(() => next(), next);
  };
}
