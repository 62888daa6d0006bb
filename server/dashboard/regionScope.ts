// Which region a dashboard request is about, and whether the administrator may see it: a region
// administrator its own region and those below, a platform administrator everything. A region
// outside one's own answers 404 like an unknown one, so codes cannot be probed for data.
import { localized, text } from '../../engine/index.ts';
import { forbidden, notFound, type Locale } from '../http/apiError.ts';
import type { ReferenceData } from '../reference.ts';
import type { User } from '../store/types.ts';

export interface RegionScope {
  /** null: the whole country. */
  code: string | null;
  /** Region codes from the province down to `code`. */
  path: string[];
}

/** What the settings of the whole country are stored under (benchmarks, targets). */
const NATION = 'CN';

export const settingKey = (scope: RegionScope) => scope.code ?? NATION;

function requireAdministrator(user: User) {
  if (user.role === 'platformAdmin') return;
  if (user.role !== 'regionAdmin' || !user.region) throw forbidden();
}

/** The requested region (default: the administrator's own, or the country), checked against the user's. */
export function regionScope(user: User, requested: unknown, reference: ReferenceData): RegionScope {
  requireAdministrator(user);
  const asked = typeof requested === 'string' && requested !== '' ? requested : undefined;
  const code = asked ?? (user.role === 'regionAdmin' ? user.region! : null);
  if (code === null) return { code: null, path: [] };
  const path = reference.regionPath(code);
  if (!path || (user.role === 'regionAdmin' && !path.includes(user.region!))) throw notFound(text(`地区 "${code}" 不存在或不在您的管辖范围内`, `no region "${code}" within yours`));
  return { code, path };
}

/** The administrator's own scope: where its benchmark marks belong. */
export const ownScope = (user: User, reference: ReferenceData): RegionScope => regionScope(user, undefined, reference);

const nationName = text('全国', 'Whole country');

export function regionView(scope: RegionScope, reference: ReferenceData, locale: Locale) {
  const name = (code: string) => localized(reference.regionName(code) ?? { zh: code, en: code }, locale);
  return { code: scope.code, name: scope.code ? name(scope.code) : localized(nationName, locale), path: scope.path.map((code) => ({ code, name: name(code) })) };
}

/** The regions directly below (districts, parks and groups the platform created included). */
export function subRegions(scope: RegionScope, reference: ReferenceData, locale: Locale): { code: string; name: string }[] {
  return reference.regionTree.children(scope.code ?? undefined).map((r) => ({ code: r.code, name: localized(r.name, locale) }));
}
