import { describe, expect, it } from 'vitest';
import { ByteLru } from '../../../../main/services/audio/lru.js';

describe('ByteLru', () => {
  it('evicts least recently used entries to stay under the byte bound', () => {
    const c = new ByteLru<string>(100);
    c.set('a', 'A', 40);
    c.set('b', 'B', 40);
    expect(c.get('a')).toBe('A'); // a is now the most recent
    c.set('c', 'C', 40);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe('A');
    expect(c.get('c')).toBe('C');
    expect(c.bytes).toBe(80);
  });

  it('does not keep an entry larger than the bound, and replaces in place', () => {
    const c = new ByteLru<number>(10);
    c.set('big', 1, 11);
    expect(c.size).toBe(0);
    c.set('x', 1, 5);
    c.set('x', 2, 6);
    expect(c.get('x')).toBe(2);
    expect(c.bytes).toBe(6);
  });
});
