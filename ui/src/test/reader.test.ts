import { describe, expect, it } from 'vitest';
import { findInPages, findPrepared, firstFrom, foldQuery, prepare, step, MAX_MATCHES } from '../lib/find';
import { currentPage, livePages, scrollTarget } from '../lib/readerlayout';

/** The stored text's code points `start..end`, as the core slices it. */
const slice = (text: string, s: number, e: number) => Array.from(text).slice(s, e).join('');

describe('find in the stored text', () => {
  const pages = [
    { page: 1, text: 'Reinforcement learning (RL) drives reasoning. Reasoning emerges.' },
    { page: 2, text: 'No match here.' },
    { page: 3, text: 'The 𝑥-axis shows REASONING\nlength; reasoning again' },
  ];

  it('finds every occurrence, case-insensitively, page by page, at code-point offsets', () => {
    const m = findInPages(pages, 'reasoning');
    expect(m.map((x) => x.page)).toEqual([1, 1, 3, 3]);
    for (const x of m) expect(slice(pages[x.page - 1].text, x.start, x.end).toLowerCase()).toBe('reasoning');
    // an astral character before the match does not shift the offsets
    expect(slice(pages[2].text, m[2].start, m[2].end)).toBe('REASONING');
  });

  it('matches a space of the query to any whitespace of the text, and trims the query', () => {
    const m = findInPages(pages, '  reasoning   length ');
    expect(m).toHaveLength(1);
    expect(slice(pages[2].text, m[0].start, m[0].end)).toBe('REASONING\nlength');
  });

  it('counts non-overlapping matches, as a text editor does', () => {
    expect(findInPages([{ page: 1, text: 'aaaa' }], 'aa')).toHaveLength(2);
  });

  it('an empty query finds nothing; a one-letter query stops at the limit', () => {
    expect(findInPages(pages, '   ')).toEqual([]);
    expect(foldQuery(' Ａ B ')).toBe('a b');
    const long = [{ page: 1, text: 'e'.repeat(MAX_MATCHES + 10) }];
    expect(findPrepared(prepare(long), 'e')).toHaveLength(MAX_MATCHES);
  });

  it('starts from the current page and moves round', () => {
    const m = findInPages(pages, 'reasoning');
    expect(firstFrom(m, 2)).toBe(2);
    expect(firstFrom(m, 9)).toBe(0);
    expect(firstFrom([], 1)).toBe(-1);
    // a list cut short before the current page does not send the reader back to the start
    expect(firstFrom(m, 9, m.length)).toBe(-1);
    expect(step(3, 4)).toBe(0);
    expect(step(0, 4, true)).toBe(3);
    expect(step(-1, 4, true)).toBe(3);
    expect(step(2, 0)).toBe(-1);
  });
});

describe('continuous reader geometry', () => {
  // three pages 1000 px tall with 14 px gaps, 20 px padding
  const tops = [20, 1034, 2048];

  it('the current page is the one under the reading line, the last at the end', () => {
    expect(currentPage(tops, 0, 800, 3100)).toBe(1);
    expect(currentPage(tops, 1026, 800, 3100)).toBe(2);
    // a page whose top passed the line 30 % down the view
    expect(currentPage(tops, 1034 - 200, 800, 3100)).toBe(2);
    expect(currentPage(tops, 1034 - 300, 800, 3100)).toBe(1);
    expect(currentPage(tops, 3100 - 800, 800, 3100)).toBe(3);
    expect(currentPage([], 0, 800, 0)).toBe(1);
  });

  it('pages near the view are drawn, drawn pages stay while in the wider band, never more than the cap', () => {
    const live = livePages(new Set([4, 5]), new Set([3, 4, 5, 6]), new Set([2, 3]), 4);
    expect([...live].sort()).toEqual([3, 4, 5]);
    const many = new Set(Array.from({ length: 30 }, (_, i) => i + 1));
    const capped = livePages(many, many, new Set(), 15, 6);
    expect([...capped].sort((a, b) => a - b)).toEqual([12, 13, 14, 15, 16, 17]);
  });

  it('scrolls to a page with a little room above', () => {
    expect(scrollTarget(tops, 2)).toBe(1026);
    expect(scrollTarget(tops, 99)).toBe(2040);
    expect(scrollTarget(tops, 1, 0, 100)).toBe(0);
    expect(scrollTarget(tops, 2, 300)).toBe(1326);
  });
});
