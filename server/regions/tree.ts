// The region tree: GB/T 2260 as shipped, plus the regions the platform creates because the
// standard does not list them (a newly set-up development zone, an enterprise group). Custom
// codes carry a letter, so they can never be a GB/T 2260 code (always six digits) nor become
// one when the shipped list is updated.
import { Type, type Static } from '@sinclair/typebox';

/** A region's name as stored: Chinese, and English where known. */
export const Named = Type.Object({ zh: Type.String(), en: Type.Optional(Type.String()) }, { additionalProperties: false });
export type Named = Static<typeof Named>;

export const RegionKind = Type.Union([Type.Literal('province'), Type.Literal('city'), Type.Literal('district'), Type.Literal('park'), Type.Literal('group')]);
export type RegionKind = Static<typeof RegionKind>;

/** What the platform may create, and under which kinds of parent (none: top level). */
export const PLACEMENT: Record<Exclude<RegionKind, 'province'>, (RegionKind | 'none')[]> = {
  city: ['province'],
  district: ['province', 'city'],
  // A municipality's zones (上海's 临港新片区, 化学工业区) answer to the municipality itself.
  park: ['province', 'city', 'district'],
  group: ['none', 'province', 'city', 'district', 'park'],
};

const LETTER: Record<Exclude<RegionKind, 'province'>, string> = { city: 'C', district: 'D', park: 'P', group: 'G' };

export interface CustomRegion {
  code: string;
  kind: Exclude<RegionKind, 'province'>;
  parent?: string;
  name: Named;
  createdAt: string;
}

/** The shipped GB/T 2260 data: province → city (or a municipality's district). */
export interface StandardNode {
  code: string;
  name: Named;
  children?: StandardNode[];
}

export interface Region {
  code: string;
  kind: RegionKind;
  name: Named;
  parent?: string;
  /** Codes from the top of the tree down to this region. */
  path: string[];
  custom: boolean;
}

/** A region with its children, as the API and the registration form list them. */
export interface TreeNode {
  code: string;
  name: Named;
  kind: RegionKind;
  custom: boolean;
  children?: TreeNode[];
}

const label = Type.String({ description: "The name in the request's language (Accept-Language)" });
const custom = Type.Boolean({ description: 'Created by the platform, not listed in GB/T 2260' });

/** A region as `GET /api/regions` lists it: a TreeNode with its localised label. */
export const RegionTreeNode = Type.Recursive(
  (This) =>
    Type.Object(
      { code: Type.String(), kind: RegionKind, name: Named, label, custom, children: Type.Optional(Type.Array(This, { description: 'Absent for a region with none below it' })) },
      { additionalProperties: false },
    ),
  { $id: 'RegionTreeNode' },
);

/** One region as the API answers it after a change: where it lies (`path`, top first) and its localised label. */
export const RegionView = Type.Object(
  {
    code: Type.String(),
    kind: RegionKind,
    name: Named,
    label,
    custom,
    parent: Type.Optional(Type.String({ description: 'Absent at the top of the tree' })),
    path: Type.Array(Type.String(), { description: 'Codes from the top of the tree down to this region' }),
  },
  { additionalProperties: false },
);

const isStandardCode = (code: string) => /^\d{6}$/.test(code);

/**
 * `<anchor><letter><n>`: the anchor is the six-digit code of the nearest GB/T 2260 region above
 * (so the first two digits still name the province), the letter the kind, n a platform-wide
 * sequence that is never reused; a group at the top has no anchor.
 */
export function customCode(tree: RegionTree, kind: CustomRegion['kind'], parent: string | undefined, sequence: number): string {
  const anchor = parent ? [...tree.get(parent)!.path].reverse().find(isStandardCode) ?? '' : '';
  return `${anchor}${LETTER[kind]}${sequence}`;
}

export class RegionTree {
  private byCode = new Map<string, Region>();
  private childrenOf = new Map<string | undefined, string[]>();
  /** The revision of the custom regions in the index; -1 before any were stored. */
  private revision = -1;

  constructor(private readonly standard: StandardNode[]) {
    this.replaceCustom([], -1);
  }

  get(code: string): Region | undefined {
    return this.byCode.get(code);
  }

  /** The regions directly below `code`, or the top of the tree. */
  children(code?: string): Region[] {
    return (this.childrenOf.get(code) ?? []).map((c) => this.byCode.get(c)!);
  }

  /** The tree from `code` (or the top) down; groups left out for the registration form, where an enterprise gives where it is. */
  nodes(options: { groups: boolean }, code?: string): TreeNode[] {
    return this.children(code)
      .filter((r) => options.groups || r.kind !== 'group')
      .map((r) => {
        const children = this.nodes(options, r.code);
        return { code: r.code, name: r.name, kind: r.kind, custom: r.custom, ...(children.length ? { children } : {}) };
      });
  }

  /**
   * Rebuilds the index with these custom regions (after they were stored). Parents come before
   * their children in the list. Every stored change has a higher revision, so a list read before
   * another instance's change never replaces one read after it, and a revision the index has is skipped.
   */
  replaceCustom(list: readonly CustomRegion[], revision: number) {
    if (revision <= this.revision && revision >= 0) return;
    const byCode = new Map<string, Region>();
    const childrenOf = new Map<string | undefined, string[]>();
    const add = (region: Region) => {
      byCode.set(region.code, region);
      childrenOf.set(region.parent, [...(childrenOf.get(region.parent) ?? []), region.code]);
    };
    const walk = (nodes: StandardNode[], above: string[]) => {
      for (const n of nodes) {
        // The shipped list stops at cities; a municipality's children are its districts.
        const kind: RegionKind = above.length === 0 ? 'province' : n.code.endsWith('00') ? 'city' : 'district';
        add({ code: n.code, kind, name: n.name, ...(above.length ? { parent: above[above.length - 1] } : {}), path: [...above, n.code], custom: false });
        walk(n.children ?? [], [...above, n.code]);
      }
    };
    walk(this.standard, []);
    for (const c of list) {
      const above = c.parent ? byCode.get(c.parent)?.path : [];
      if (!above) throw new Error(`custom region ${c.code} lies under ${c.parent}, which does not exist`);
      add({ code: c.code, kind: c.kind, name: c.name, ...(c.parent ? { parent: c.parent } : {}), path: [...above, c.code], custom: true });
    }
    this.byCode = byCode;
    this.childrenOf = childrenOf;
    this.revision = revision;
  }
}
