import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { apiTypes, API_TYPES_FILE } from '../cli/apiTypes.ts';

const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : /\.tsx?$/.test(n) ? [join(dir, n)] : []));

describe("the UIs' API types", () => {
  it('are the only way the UIs know the API: nothing under runtime/, designer/ or ui/ imports from server/', () => {
    const offenders = ['runtime/src', 'designer/src', 'ui'].flatMap(files).filter((f) => /from '(\.\.\/)+server\//.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('are what the routes declare: ui/api/schema.ts is generated from /api/openapi.json (run `npx ladder api-types` after a change)', async () => {
    expect(readFileSync(API_TYPES_FILE, 'utf8')).toBe(await apiTypes());
  }, 60_000);
});
