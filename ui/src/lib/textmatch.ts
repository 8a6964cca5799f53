/**
 * Finding a passage of the core's extracted text inside pdf.js's text layer.
 *
 * The two extractions differ in spacing, ligatures, hyphenation and span boundaries, so both
 * sides are reduced to lower-case letters and digits (after NFKC) and matched there; each
 * kept character remembers which span and offset it came from.
 */
export interface SpanRange {
  span: number;
  start: number;
  end: number;
}

interface Folded {
  text: string;
  /** For each char of `text`: [span index, code-unit offset in that span]. */
  map: [number, number][];
}

const KEEP = /[\p{L}\p{N}]/u;

export function fold(spans: readonly string[]): Folded {
  let text = '';
  const map: [number, number][] = [];
  spans.forEach((s, si) => {
    let off = 0;
    for (const ch of s) {
      const norm = ch.normalize('NFKC').toLowerCase();
      for (const c of norm) {
        if (KEEP.test(c)) {
          text += c;
          map.push([si, off]);
        }
      }
      off += ch.length;
    }
  });
  return { text, map };
}

export function foldQuery(q: string): string {
  return fold([q]).text;
}

function toRanges(f: Folded, spans: readonly string[], from: number, to: number): SpanRange[] {
  const out: SpanRange[] = [];
  for (let i = from; i < to; i++) {
    const [si, off] = f.map[i];
    const ch = spans[si].codePointAt(off) ?? 0;
    const end = off + (ch > 0xffff ? 2 : 1);
    const last = out[out.length - 1];
    if (last && last.span === si) last.end = Math.max(last.end, end);
    else out.push({ span: si, start: off, end });
  }
  return out;
}

/**
 * Locates `quote` in the spans. Tries the whole quote, then its head and tail (for a long
 * passage whose middle differs), then shorter heads. Returns [] when nothing fits.
 */
export function findQuote(spans: readonly string[], quote: string, from = 0): SpanRange[] {
  const f = fold(spans);
  const q = foldQuery(quote);
  if (q.length < 3 || f.text.length === 0) return [];
  const exact = f.text.indexOf(q, from);
  if (exact >= 0) return toRanges(f, spans, exact, exact + q.length);
  if (q.length > 80) {
    const head = q.slice(0, 40);
    const h = f.text.indexOf(head);
    if (h >= 0) {
      for (const n of [40, 24, 12]) {
        const tail = q.slice(-n);
        const t = f.text.indexOf(tail, h + head.length);
        if (t >= 0 && t - h < q.length * 1.5) return toRanges(f, spans, h, t + n);
      }
      return toRanges(f, spans, h, Math.min(f.text.length, h + q.length));
    }
  }
  for (const n of [60, 40, 25, 15]) {
    if (q.length <= n) continue;
    const head = q.slice(0, n);
    const h = f.text.indexOf(head);
    if (h >= 0) return toRanges(f, spans, h, Math.min(f.text.length, h + q.length));
  }
  return [];
}

/** Finds every occurrence of the folded `term` (for search-term highlights on a page). */
export function findAll(spans: readonly string[], term: string, max = 50): SpanRange[][] {
  const f = fold(spans);
  const q = foldQuery(term);
  const out: SpanRange[][] = [];
  if (q.length < 2) return out;
  let i = f.text.indexOf(q);
  while (i >= 0 && out.length < max) {
    out.push(toRanges(f, spans, i, i + q.length));
    i = f.text.indexOf(q, i + q.length);
  }
  return out;
}
