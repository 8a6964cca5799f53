/**
 * Undo for deletions: the words of the toast that offers it and of the one that confirms it.
 * The record itself comes from the core (`Deleted`) and goes back to it (`restoreDeleted`).
 */
import type { Deleted, PassageCheck, Restored } from '../api/types';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "Annotation deleted (and removed from 2 claims' evidence)", "Removed from the claim's evidence". */
export function deletedTitle(d: Deleted): string {
  const claims = new Set(d.links.map((l) => l.claim_id)).size;
  if (!d.annotation) return `Removed from the claim's evidence`;
  if (claims === 0) return 'Annotation deleted';
  return `Annotation deleted (and removed from ${claims === 1 ? "1 claim's" : `${claims} claims'`} evidence)`;
}

/** "Annotation restored with its 2 evidence links"; what could not come back goes in the detail. */
export function restoredTitle(d: Deleted, r: Restored): string {
  const links = d.links.length - r.skipped.length;
  if (!d.annotation) return links ? 'Evidence link restored' : 'The link could not be restored';
  return links > 0 ? `Annotation restored with its ${plural(links, 'evidence link', 'evidence links')}` : 'Annotation restored';
}

/** How a checked passage reads in the verify dialog: its status word, and its kind for colour. */
export function checkLabel(c: PassageCheck): { word: string; kind: 'ok' | 'warn' | 'bad' } {
  switch (c.status) {
    case 'holds':
      return { word: 'holds', kind: 'ok' };
    case 'reanchored':
      return { word: `re-anchored (score ${(c.score ?? 0).toFixed(3)})`, kind: 'warn' };
    case 'missing_pdf':
      return { word: 'failed: missing PDF', kind: 'bad' };
    default:
      return { word: 'failed: not found', kind: 'bad' };
  }
}
