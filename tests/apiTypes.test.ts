import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiTypes, API_TYPES_FILE } from '../ui/api/generate.ts';

describe("the UIs' API types", () => {
  it('are what the routes declare: ui/api/schema.ts is generated from /api/openapi.json (run `npx ladder api-types` after a change)', async () => {
    expect(readFileSync(API_TYPES_FILE, 'utf8')).toBe(await apiTypes());
  }, 60_000);
});
