import { describe, expect, it } from 'vitest';
import { embeddingNote, modelMissing, sameSubject, similarity, splitLikes } from '../lib/similar';

const NO_MODEL = 'the embedding model is not installed (run scripts/setup.sh): passages are matched by their words only';
const NO_VECTORS = 'no passage has a vector yet (run `papertrail embed`): passages are matched by their words only';

describe('passages like this one', () => {
  it('tells a missing model from a library not yet embedded', () => {
    expect(modelMissing(NO_MODEL)).toBe(true);
    expect(modelMissing(NO_VECTORS)).toBe(false);
    expect(modelMissing(null)).toBe(false);
  });

  it('says how far embedding has got while it runs, and that the list is incomplete', () => {
    const note = embeddingNote(null, { done: 340, total: 1247, running: true });
    expect(note).toContain('340 of 1,247');
    expect(note).toContain('27 %');
    expect(note).toMatch(/missing from this list/);
    // a running job without a known total says so without numbers
    expect(embeddingNote(null, { done: 0, total: 0, running: true })).not.toMatch(/\d/);
    // progress wins over the "nothing embedded yet" status while the job runs
    expect(embeddingNote(NO_VECTORS, { done: 5, total: 10, running: true })).toContain('5 of 10');
  });

  it('says nothing is embedded yet only when that is so and no job runs', () => {
    expect(embeddingNote(NO_VECTORS, undefined)).toMatch(/No passage has been embedded/);
    expect(embeddingNote(NO_VECTORS, { done: 10, total: 10, running: false })).toMatch(/No passage has been embedded/);
    expect(embeddingNote(null, { done: 10, total: 10, running: false })).toBeNull();
    expect(embeddingNote(null, undefined)).toBeNull();
  });

  it('shows a similarity as a bar width and a two-digit number, clamped', () => {
    expect(similarity(0.734)).toEqual({ width: 73, label: '0.73' });
    expect(similarity(1.2)).toEqual({ width: 100, label: '1.00' });
    expect(similarity(-0.3)).toEqual({ width: 0, label: '0.00' });
    expect(similarity(Number.NaN)).toEqual({ width: 0, label: '0.00' });
  });

  it('treats the same words at the same place as the same subject', () => {
    const a = { page: 3, offset: 120, quote: 'reinforcement learning' };
    expect(sameSubject(a, { ...a })).toBe(true);
    expect(sameSubject(a, { ...a, quote: 'reinforcement' })).toBe(false);
    expect(sameSubject(a, { ...a, offset: 121 })).toBe(false);
    expect(sameSubject(a, { ...a, page: 4 })).toBe(false);
    expect(sameSubject(null, null)).toBe(true);
    expect(sameSubject(a, null)).toBe(false);
  });

  it('lists other papers first, then a few passages of the paper shown, each group nearest first', () => {
    const hits = ['r1', 'r1', 'v3', 'r1', 'coder', 'r1', 'v3'].map((paper_id, i) => ({ paper_id, i }));
    const { others, same } = splitLikes(hits, 'r1', 2, 3);
    expect(others.map((h) => h.i)).toEqual([2, 4]);
    expect(same.map((h) => h.i)).toEqual([0, 1, 3]);
    expect(splitLikes(hits, 'none').same).toEqual([]);
    expect(splitLikes([], 'r1')).toEqual({ others: [], same: [] });
  });
});
