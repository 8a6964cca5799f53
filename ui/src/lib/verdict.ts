/**
 * Verdicts and stances: a word always, a colour as well. The verdict itself is the core's
 * (`Claim.verdict`); the UI only names it.
 */
import type { Colour } from '../bindings/Colour';
import type { Stance } from '../bindings/Stance';
import type { Verdict } from '../bindings/Verdict';
export type { Colour, Stance, Verdict };

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
 * The core's annotation colours (`Colour`, generated) with their labels, in the order the
 * pickers show them. A colour the core adds or drops fails the type check here.
 */
const COLOUR_LABELS: Record<Colour, string> = {
  yellow: 'Yellow',
  green: 'Green',
  blue: 'Blue',
  pink: 'Pink',
  orange: 'Orange',
  purple: 'Purple',
};

export const COLOURS: { name: Colour; label: string }[] = (Object.keys(COLOUR_LABELS) as Colour[]).map((name) => ({
  name,
  label: COLOUR_LABELS[name],
}));

/** Splits "a, b c,,d" into tags ["a", "b c", "d"], trimmed and de-duplicated. */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  for (const t of text.split(',')) {
    const tag = t.trim().replace(/\s+/g, ' ');
    if (tag) seen.add(tag);
  }
  return [...seen];
}
