import { describe, expect, it } from 'vitest';
import { SizedCache } from '../server/store/sizedCache.ts';

describe('a cache bounded by size', () => {
  it('evicts the least recently used entries once the sizes add up past its bound, and never keeps one larger than the bound', () => {
    const cache = new SizedCache<string>(10);
    cache.set('a', 'A', 4);
    cache.set('b', 'B', 4);
    expect(cache.get('a')).toBe('A');
    cache.set('c', 'C', 4);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.size).toBe(8);
    cache.set('a', 'A2', 6);
    expect(cache.size).toBe(10);
    cache.set('huge', 'H', 11);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.size).toBe(10);
  });
});
