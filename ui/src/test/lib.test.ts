import { describe, expect, it } from 'vitest';
import { splitHighlights, normalizeRanges } from '../lib/highlight';
import { groupHits, summary } from '../lib/group';
import { formatDate, dateSpan, precisionOf, yearOf } from '../lib/dates';
import { navigate, keyToAction, arrowChoice } from '../lib/keynav';
import { reduceJobs, percent, jobLabel, type Job } from '../lib/jobs';
import { push, goBack, replace, railOf, type NavState } from '../lib/nav';
import { COLOURS, parseTags, verdictLabel } from '../lib/verdict';
import { findQuote, findAll, fold } from '../lib/textmatch';

describe('splitHighlights', () => {
  it('marks ranges and keeps the rest as text', () => {
    expect(splitHighlights('an aha moment here', [[3, 6], [7, 13]])).toEqual([
      { text: 'an ', mark: false },
      { text: 'aha', mark: true },
      { text: ' ', mark: false },
      { text: 'moment', mark: true },
      { text: ' here', mark: false },
    ]);
  });
  it('counts code points, not UTF-16 units', () => {
    // "𝑥" is one char in Rust, two UTF-16 units in JS
    expect(splitHighlights('𝑥 = 93.3%', [[4, 9]])).toEqual([
      { text: '𝑥 = ', mark: false },
      { text: '93.3%', mark: true },
    ]);
  });
  it('merges overlaps and clamps out-of-range', () => {
    expect(normalizeRanges([[5, 9], [0, 2], [1, 3], [8, 100]], 10)).toEqual([[0, 3], [5, 10]]);
    expect(splitHighlights('abc', [[2, 1]])).toEqual([{ text: 'abc', mark: false }]);
  });
  it('handles empty text and full marks', () => {
    expect(splitHighlights('', [])).toEqual([{ text: '', mark: false }]);
    expect(splitHighlights('abc', [[0, 3]])).toEqual([{ text: 'abc', mark: true }]);
  });
  it('never interprets markup', () => {
    const segs = splitHighlights('<b>x</b>', [[3, 4]]);
    expect(segs.map((s) => s.text).join('')).toBe('<b>x</b>');
  });
});

describe('groupHits', () => {
  const h = (paper_id: string, page: number, score: number) => ({ paper_id, title: paper_id.toUpperCase(), page, score });
  it('groups by paper in best-hit order, pages in reading order', () => {
    const hits = [h('r1', 9, 10), h('v3', 2, 9), h('r1', 3, 8), h('r1', 9, 7)];
    const { groups, order } = groupHits(hits);
    expect(groups.map((g) => g.paperId)).toEqual(['r1', 'v3']);
    expect(groups[0].pages.map((p) => p.page)).toEqual([3, 9]);
    expect(groups[0].pages[1].hits.map((x) => x.hit.score)).toEqual([10, 7]);
    expect(groups[0].count).toBe(3);
    // flat order follows the display, indexes point into it
    expect(order.map((x) => [x.paper_id, x.page, x.score])).toEqual([
      ['r1', 3, 8], ['r1', 9, 10], ['r1', 9, 7], ['v3', 2, 9],
    ]);
    for (const g of groups) for (const p of g.pages) for (const x of p.hits) expect(order[x.index]).toBe(x.hit);
  });
  it('summarises counts and time', () => {
    expect(summary(3, 3, 2, 3200)).toBe('3 passages in 2 papers · 3 ms');
    expect(summary(50, 120, 5, 400)).toBe('50 of 120 passages in 5 papers · <1 ms');
    expect(summary(1, 1, 1, 1000)).toBe('1 passage in 1 paper · 1 ms');
    expect(summary(50, 1000, 6, 2400, false)).toBe('50 of 1,000+ passages in 6 papers · 2 ms');
  });
});

describe('dates', () => {
  it('formats by precision', () => {
    expect(formatDate('2024-12-26', 'day')).toBe('26 Dec 2024');
    expect(formatDate('2023-07', 'month')).toBe('Jul 2023');
    expect(formatDate('2023-07-01', 'month')).toBe('Jul 2023');
    expect(formatDate('2024', 'year')).toBe('2024');
    expect(formatDate(null)).toBe('—');
    expect(precisionOf('2025-01-20')).toBe('day');
    expect(yearOf('2025-01-20')).toBe(2025);
  });
  it('gives month precision a whole-month span', () => {
    const [s, e] = dateSpan('2024-02', 'month')!;
    expect(s.toISOString().slice(0, 10)).toBe('2024-02-01');
    expect(e.toISOString().slice(0, 10)).toBe('2024-03-01');
    const [d0, d1] = dateSpan('2024-12-31', 'day')!;
    expect(d1.getTime() - d0.getTime()).toBe(86400000);
    expect(dateSpan('2024', 'year')![1].toISOString().slice(0, 10)).toBe('2025-01-01');
    expect(dateSpan('soon')).toBeNull();
  });
});

describe('keyboard navigation', () => {
  it('moves and clamps', () => {
    expect(navigate(-1, 5, 'next')).toBe(0);
    expect(navigate(4, 5, 'next')).toBe(4);
    expect(navigate(0, 5, 'prev')).toBe(0);
    expect(navigate(2, 5, 'last')).toBe(4);
    expect(navigate(2, 5, 'first')).toBe(0);
    expect(navigate(2, 30, 'pageDown')).toBe(12);
    expect(navigate(2, 0, 'next')).toBe(-1);
    expect(navigate(0, 5, { set: 9 })).toBe(4);
    expect(keyToAction('ArrowDown')).toBe('next');
    expect(keyToAction('x')).toBeNull();
  });

  it("moves a filtered list's choice with the arrows only, leaving other keys to the box", () => {
    const items = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    let prevented = 0;
    const key = (k: string) => ({ key: k, preventDefault: () => void prevented++ });
    expect(arrowChoice(key('ArrowDown'), items, (x) => x.id === 'a')?.id).toBe('b');
    expect(arrowChoice(key('ArrowDown'), items, (x) => x.id === 'c')?.id).toBe('c');
    expect(arrowChoice(key('ArrowUp'), items, (x) => x.id === 'b')?.id).toBe('a');
    // nothing chosen yet (or the choice was filtered out): either arrow picks the first
    expect(arrowChoice(key('ArrowUp'), items, (x) => x.id === 'z')?.id).toBe('a');
    expect(arrowChoice(key('ArrowDown'), [], () => false)).toBeNull();
    expect(prevented).toBe(5);
    expect(arrowChoice(key('Home'), items, (x) => x.id === 'b')).toBeNull();
    expect(arrowChoice(key('a'), items, (x) => x.id === 'b')).toBeNull();
    expect(prevented).toBe(5);
  });
});

describe('jobs', () => {
  it('folds events into jobs', () => {
    let jobs: Record<string, Job> = {};
    jobs = reduceJobs(jobs, { kind: 'job_started', job: 'import', total: 4 });
    jobs = reduceJobs(jobs, { kind: 'job_progress', job: 'import', done: 1, total: 4, item: 'deepseek-r1.pdf' });
    expect(percent(jobs.import)).toBe(25);
    expect(jobLabel(jobs.import)).toBe('Import 1/4 (25%) · deepseek-r1.pdf');
    jobs = reduceJobs(jobs, { kind: 'job_finished', job: 'import', cancelled: false });
    expect(jobs.import.running).toBe(false);
    expect(percent(jobs.import)).toBe(100);
    jobs = reduceJobs(jobs, { kind: 'job_finished', job: 'nothing', cancelled: true });
    expect(jobs.nothing).toBeUndefined();
  });
});

describe('navigation stack', () => {
  it('pushes, replaces and goes back', () => {
    let s: NavState = { current: { view: 'library' }, back: [] };
    s = push(s, { view: 'search', query: 'aha' });
    s = push(s, { view: 'reader', sha256: 'x', paperId: 'r1', title: 'R1', page: 3 });
    s = replace(s, { view: 'reader', sha256: 'x', paperId: 'r1', title: 'R1', page: 4 });
    expect(s.back.length).toBe(2);
    s = goBack(s);
    expect(s.current).toEqual({ view: 'search', query: 'aha' });
    s = push(s, { view: 'search', query: 'aha' });
    expect(s.back.length).toBe(1);
    s = goBack(goBack(goBack(s)));
    expect(s.current.view).toBe('library');
    expect(railOf({ view: 'claim', id: 'c' })).toBe('claims');
  });
});

describe('verdicts and tags', () => {
  it('names verdicts', () => {
    expect(verdictLabel('contested')).toBe('Contested');
    expect(verdictLabel('whatever')).toBe('Unresolved');
  });
  it('offers the core colours, yellow (the default) first', () => {
    expect(COLOURS.map((c) => c.name)).toEqual(['yellow', 'green', 'blue', 'pink', 'orange', 'purple']);
    expect(COLOURS[1].label).toBe('Green');
  });
  it('parses tags', () => {
    expect(parseTags(' rl,  aha  moment ,,rl ')).toEqual(['rl', 'aha moment']);
  });
});

describe('finding a passage in the text layer', () => {
  const spans = ['Interestingly, the model learns to re-', 'evaluate its initial ap', 'proach. This is an “aha', ' moment” of the model.'];
  it('matches across spans, hyphens and quotes', () => {
    const r = findQuote(spans, 'This is an "aha moment" of the model');
    expect(r.map((x) => x.span)).toEqual([2, 3]);
    expect(spans[2].slice(r[0].start, r[0].end)).toBe('This is an “aha');
    expect(spans[3].slice(r[1].start, r[1].end)).toBe('moment” of the model');
  });
  it('folds ligatures', () => {
    expect(fold(['ﬁne']).text).toBe('fine');
    expect(findQuote(['the ﬁnal answer'], 'final answer')[0]).toEqual({ span: 0, start: 4, end: 15 });
  });
  it('falls back to the head of a long passage', () => {
    const long = 'the model learns to reevaluate its initial approach ' + 'and then something else entirely that the PDF does not contain at all';
    expect(findQuote(spans, long).length).toBeGreaterThan(0);
    expect(findQuote(spans, 'nothing like it here')).toEqual([]);
  });
  it('finds every occurrence of a term', () => {
    expect(findAll(['aha, aha', 'AHA'], 'aha').length).toBe(3);
  });
});

import { packRows, laneOf } from '../lib/layout';
describe('timeline layout', () => {
  it('packs overlapping items into rows per lane', () => {
    const items = [
      { id: 'a', kind: 'paper', x: 0, w: 50 },
      { id: 'b', kind: 'paper', x: 30, w: 50 },
      { id: 'c', kind: 'paper', x: 70, w: 10 },
      { id: 'd', kind: 'release', x: 31, w: 50 },
      { id: 'e', kind: 'odd', x: 0, w: 5 },
    ];
    const placed = packRows(items, (i) => laneOf(i.kind), (i) => i.x, (i) => i.w, 5);
    const row = (id: string) => placed.find((p) => p.item.id === id)!;
    expect(row('a').row).toBe(0);
    expect(row('b').row).toBe(1);
    expect(row('c').row).toBe(0);
    expect(row('d')).toMatchObject({ lane: 'release', row: 0 });
    expect(row('e').lane).toBe('event');
  });
});

import { termRanges, excerpt, markedTerms } from '../lib/highlight';
describe('claim term highlights', () => {
  it('marks every term, case-insensitively, in code points', () => {
    expect(termRanges('Cost: $5.576M, i.e. 2.788M GPU hours', ['$5.576m', 'gpu'])).toEqual([[6, 13], [27, 30]]);
    expect(termRanges('𝑥 H800 h800', ['h800'])).toEqual([[2, 6], [7, 11]]);
    expect(termRanges('abc', [' '])).toEqual([]);
  });
  it('cuts long text around the first mark', () => {
    const text = 'a'.repeat(500) + 'TERM' + 'b'.repeat(500);
    const r = excerpt(text, termRanges(text, ['term']), 100);
    expect(Array.from(r.text).length).toBeLessThanOrEqual(102);
    const [s, e] = r.ranges[0];
    expect(Array.from(r.text).slice(s, e).join('')).toBe('TERM');
  });
  it('collects marked words of a snippet', () => {
    expect(markedTerms('An Aha moment, aha!', [[3, 6], [7, 13], [15, 18]])).toEqual(['aha', 'moment']);
  });
});

import { MAX_CANVAS_PIXELS, outputScale } from '../lib/pagescale';
describe('page canvas resolution', () => {
  it('follows the screen where the canvas stays within the cap', () => {
    expect(outputScale(850, 1100, 1)).toBe(1);
    expect(outputScale(850, 1100, 2)).toBe(2);
    expect(outputScale(850, 1100, 0)).toBe(1);
  });
  it('lowers the resolution only as far as the cap needs, at high zoom on dense screens', () => {
    const [w, h] = [612 * 4, 792 * 4];
    const k = outputScale(w, h, 2);
    expect(k).toBeLessThan(2);
    expect(k).toBeGreaterThan(1.4);
    expect(Math.floor(w * k) * Math.floor(h * k)).toBeLessThanOrEqual(MAX_CANVAS_PIXELS);
  });
});
