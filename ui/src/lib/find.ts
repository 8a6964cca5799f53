/**
 * Find in document: where a typed query occurs in a paper's stored page text.
 *
 * The stored text is what the core indexes and anchors in (NFKC, ligatures expanded, split
 * words joined), so finding there gives the same answer as `papertrail text ID` does to a
 * reader with a text editor: case-insensitive, any whitespace in the text matching a space
 * of the query, matches not overlapping. Offsets are code points, as the core's (and
 * PageAlignment.toLayerRanges) use.
 */

/** One match: its page (1-based) and code-point offsets in that page's stored text. */
export interface FindMatch {
  page: number;
  start: number;
  end: number;
}

/** Most matches kept; a one-letter query on a very long paper stops here. */
export const MAX_MATCHES = 50_000;

/** The query as matched: NFKC, lower case, runs of whitespace as one space, trimmed. */
export function foldQuery(q: string): string {
  return fold(q.normalize('NFKC').replace(/\s+/g, ' ').trim()).text;
}

/**
 * Lower case, code point by code point (a code point whose lower case is longer stays as it
 * is, so offsets keep), whitespace as a space; `cp[i]` is the code point index of UTF-16 unit i.
 */
function fold(text: string): { text: string; cp: Int32Array } {
  let out = '';
  const cp = new Int32Array(text.length + 1);
  let i = 0;
  let u = 0;
  for (const ch of text) {
    let c = /\s/.test(ch) ? ' ' : ch.toLowerCase();
    if (c.length !== ch.length) c = ch;
    for (let k = 0; k < c.length; k++) cp[u + k] = i;
    out += c;
    u += c.length;
    i++;
  }
  cp[u] = i;
  return { text: out, cp };
}

/** A page's text folded once for finding (see `fold`). */
export interface Prepared {
  page: number;
  text: string;
  cp: Int32Array;
}

/** Folds the pages once; each query then only searches. */
export function prepare(pages: readonly { page: number; text: string }[]): Prepared[] {
  return pages.map((p) => ({ page: p.page, ...fold(p.text) }));
}

/** Every match of `query` in the prepared pages, in page order, at most `limit`. */
export function findPrepared(pages: readonly Prepared[], query: string, limit = MAX_MATCHES): FindMatch[] {
  const q = foldQuery(query);
  const out: FindMatch[] = [];
  if (!q) return out;
  for (const p of pages) {
    let at = p.text.indexOf(q);
    while (at >= 0) {
      if (out.length >= limit) return out;
      out.push({ page: p.page, start: p.cp[at], end: p.cp[at + q.length] });
      at = p.text.indexOf(q, at + q.length);
    }
  }
  return out;
}

/** Every match of `query` in the pages, in page order, at most `limit`. */
export function findInPages(pages: readonly { page: number; text: string }[], query: string, limit = MAX_MATCHES): FindMatch[] {
  return findPrepared(prepare(pages), query, limit);
}

/**
 * The match to go to first: the first on or after `page`, else the first of all (-1: none).
 * A list cut at `limit` that ends before `page` does not say what follows: none then.
 */
export function firstFrom(matches: readonly FindMatch[], page: number, limit = MAX_MATCHES): number {
  if (!matches.length) return -1;
  const i = matches.findIndex((m) => m.page >= page);
  if (i >= 0) return i;
  return matches.length >= limit ? -1 : 0;
}

/** The next (or, with `back`, previous) match index, wrapping around. */
export function step(index: number, count: number, back = false): number {
  if (count === 0) return -1;
  if (index < 0) return back ? count - 1 : 0;
  return (index + (back ? count - 1 : 1)) % count;
}
