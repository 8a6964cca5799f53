/** Verdicts and stances: a word always, a colour as well. */
import type { Stance } from '../bindings/Stance';
import type { Verdict } from '../bindings/Verdict';
export type { Stance, Verdict };

export const STANCES: { stance: Stance; label: string; heading: string }[] = [
  { stance: 'supports', label: 'Supports', heading: 'Supporting' },
  { stance: 'contradicts', label: 'Contradicts', heading: 'Contradicting' },
  { stance: 'context', label: 'Context', heading: 'Context' },
];

export function verdictLabel(v: string): string {
  switch (v) {
    case 'supported':
      return 'Supported';
    case 'contested':
      return 'Contested';
    case 'contradicted':
      return 'Contradicted';
    default:
      return 'Unresolved';
  }
}

/**
 * The verdict rule as the UI explains it (the core derives the real one): no supports or
 * contradicts links is unresolved, only supports is supported, only contradicts is
 * contradicted, both is contested. Context links never decide.
 */
export function explainVerdict(supports: number, contradicts: number): Verdict {
  if (supports > 0 && contradicts > 0) return 'contested';
  if (supports > 0) return 'supported';
  if (contradicts > 0) return 'contradicted';
  return 'unresolved';
}

export const COLOURS: { name: string; label: string }[] = [
  { name: 'yellow', label: 'Yellow' },
  { name: 'green', label: 'Green' },
  { name: 'blue', label: 'Blue' },
  { name: 'pink', label: 'Pink' },
  { name: 'orange', label: 'Orange' },
  { name: 'purple', label: 'Purple' },
];

/** Splits "a, b c,,d" into tags ["a", "b c", "d"], trimmed and de-duplicated. */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  for (const t of text.split(',')) {
    const tag = t.trim().replace(/\s+/g, ' ');
    if (tag) seen.add(tag);
  }
  return [...seen];
}
