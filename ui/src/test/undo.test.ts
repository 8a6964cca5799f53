import { describe, expect, it } from 'vitest';
import type { Annotation, Deleted, PassageCheck, Restored } from '../api/types';
import { checkLabel, deletedTitle, restoredTitle } from '../lib/undo';

const link = (claim_id: string) => ({ id: 1, claim_id, annotation_id: 'a-1', stance: 'supports' as const, note: '', origin: 'user', created_at: '' });
const annotation = { id: 'a-1' } as Annotation;
const deleted = (claims: string[], withAnnotation = true): Deleted => ({ annotation: withAnnotation ? annotation : null, links: claims.map(link), locators: [] });
const restored = (skipped: string[] = []): Restored => ({ annotation, claims: [], skipped });

describe('undo toasts', () => {
  it('name how many claims lost the annotation as evidence', () => {
    expect(deletedTitle(deleted(['x', 'y']))).toBe("Annotation deleted (and removed from 2 claims' evidence)");
    expect(deletedTitle(deleted(['x']))).toBe("Annotation deleted (and removed from 1 claim's evidence)");
    expect(deletedTitle(deleted([]))).toBe('Annotation deleted');
    expect(deletedTitle(deleted(['x'], false))).toBe("Removed from the claim's evidence");
  });

  it('say what came back, and what did not', () => {
    expect(restoredTitle(deleted(['x', 'y']), restored())).toBe('Annotation restored with its 2 evidence links');
    expect(restoredTitle(deleted(['x', 'y']), restored(['the claim `y` was deleted meanwhile']))).toBe('Annotation restored with its 1 evidence link');
    expect(restoredTitle(deleted([]), restored())).toBe('Annotation restored');
    expect(restoredTitle(deleted(['x'], false), restored())).toBe('Evidence link restored');
  });
});

describe('verify rows', () => {
  const check = (status: PassageCheck['status'], score: number | null = null) => ({ status, score }) as PassageCheck;
  it('read as holds, re-anchored with the score, or failed with why', () => {
    expect(checkLabel(check('holds', 1))).toEqual({ word: 'holds', kind: 'ok' });
    expect(checkLabel(check('reanchored', 0.9234))).toEqual({ word: 're-anchored (score 0.923)', kind: 'warn' });
    expect(checkLabel(check('not_found'))).toEqual({ word: 'failed: not found', kind: 'bad' });
    expect(checkLabel(check('missing_pdf'))).toEqual({ word: 'failed: missing PDF', kind: 'bad' });
  });
});
