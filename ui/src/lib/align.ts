/**
 * Where a selection in pdf.js's text layer is in the page's stored text, and back.
 *
 * The core stores each page's text normalized (NFKC, ligatures expanded, line-end hyphens of
 * split words dropped, whitespace collapsed; see crates/core/src/ingest/normalize.rs) and
 * anchors annotations at character offsets (Unicode code points) in it. pdf.js shows the
 * same page as spans with its own spacing, ligatures and hyphens. Both sides are reduced to
 * their non-space characters after NFKC and aligned: first on 8-character runs found once
 * on each side (kept in order, the longest increasing chain), extended character by
 * character, then the gaps between them by a small edit-distance alignment. Characters one
 * side has and the other lacks (a hyphen, a glyph one extractor drops) stay unmatched; the
 * rest maps both ways.
 */

/** A place in the text layer: span index and UTF-16 offset within that span's string. */
export interface LayerPos {
  span: number;
  offset: number;
}

/** A stretch of one span (UTF-16 offsets, end exclusive), for drawing highlights. */
export interface SpanRange {
  span: number;
  start: number;
  end: number;
}

/** A selection mapped to the stored text (code points, end exclusive). */
export interface StoredSpan {
  start: number;
  end: number;
  /**
   * True when the selection's own characters were found; false when nothing in it matched
   * and the span only says where around the selection was (a hint for the core).
   */
  exact: boolean;
}

const RUN = 8;
/** Largest gap (product of its two lengths) aligned by edit distance; larger gaps match ends only. */
const MAX_GAP_CELLS = 400_000;
const IGNORED = /[\s\u00AD\u200B-\u200D\uFEFF]/u;

interface Keys {
  chars: string[];
  /** Layer: span of each key; stored: code-point index of each key. */
  at: Int32Array;
  /** Layer only: UTF-16 offset of each key's source character within its span. */
  off: Int32Array;
  /** Layer only: UTF-16 length of the source character. */
  len: Int32Array;
}

function keyChars(ch: string): string[] {
  const out: string[] = [];
  for (const c of ch.normalize('NFKC')) {
    if (IGNORED.test(c)) continue;
    out.push(c === '\u2010' || c === '\u2011' ? '-' : c);
  }
  return out;
}

function layerKeys(spans: readonly string[]): Keys {
  const chars: string[] = [];
  const at: number[] = [];
  const off: number[] = [];
  const len: number[] = [];
  spans.forEach((s, si) => {
    let o = 0;
    for (const ch of s) {
      for (const k of keyChars(ch)) {
        chars.push(k);
        at.push(si);
        off.push(o);
        len.push(ch.length);
      }
      o += ch.length;
    }
  });
  return { chars, at: Int32Array.from(at), off: Int32Array.from(off), len: Int32Array.from(len) };
}

function storedKeys(text: string): Keys {
  const chars: string[] = [];
  const at: number[] = [];
  let i = 0;
  for (const ch of text) {
    for (const k of keyChars(ch)) {
      chars.push(k);
      at.push(i);
    }
    i++;
  }
  return { chars, at: Int32Array.from(at), off: new Int32Array(0), len: new Int32Array(0) };
}

/** Runs of `RUN` keys that occur exactly once, by start position. */
function uniqueRuns(chars: string[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (let i = 0; i + RUN <= chars.length; i++) {
    const g = chars.slice(i, i + RUN).join('');
    seen.set(g, seen.has(g) ? -1 : i);
  }
  return seen;
}

/** Indices of a longest strictly increasing subsequence of `xs`. */
function longestIncreasing(xs: number[]): number[] {
  const tails: number[] = [];
  const prev = new Int32Array(xs.length).fill(-1);
  for (let i = 0; i < xs.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[tails[mid]] < xs[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const out: number[] = [];
  for (let k = tails.length ? tails[tails.length - 1] : -1; k >= 0; k = prev[k]) out.push(k);
  return out.reverse();
}

/** Matches a[a0..a1) with b[b0..b1): common ends, then edit distance when small enough. */
function fillGap(a: string[], b: string[], a0: number, a1: number, b0: number, b1: number, map: Int32Array) {
  while (a0 < a1 && b0 < b1 && a[a0] === b[b0]) map[a0++] = b0++;
  while (a1 > a0 && b1 > b0 && a[a1 - 1] === b[b1 - 1]) map[--a1] = --b1;
  const n = a1 - a0;
  const m = b1 - b0;
  if (n === 0 || m === 0 || n * m > MAX_GAP_CELLS) return;
  // longest common subsequence, with the directions kept for the walk back
  const w = m + 1;
  const score = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      score[i * w + j] =
        a[a0 + i] === b[b0 + j] ? score[(i + 1) * w + j + 1] + 1 : Math.max(score[(i + 1) * w + j], score[i * w + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[a0 + i] === b[b0 + j]) {
      map[a0 + i] = b0 + j;
      i++;
      j++;
    } else if (score[(i + 1) * w + j] >= score[i * w + j + 1]) i++;
    else j++;
  }
}

/** The alignment of one page's text layer with its stored text. */
export class PageAlignment {
  private readonly layer: Keys;
  private readonly stored: Keys;
  /** For each layer key, the stored key it matches, or -1. */
  private readonly toStored: Int32Array;
  /** For each stored key, the layer key it matches, or -1. */
  private readonly toLayer: Int32Array;
  /** First layer key of each span (and one past the last span). */
  private readonly spanStart: Int32Array;

  constructor(
    readonly spans: readonly string[],
    readonly text: string,
  ) {
    this.layer = layerKeys(spans);
    this.stored = storedKeys(text);
    const a = this.layer.chars;
    const b = this.stored.chars;
    const map = new Int32Array(a.length).fill(-1);
    const inA = uniqueRuns(a);
    const inB = uniqueRuns(b);
    const pairs: [number, number][] = [];
    for (const [g, i] of inA) {
      const j = inB.get(g);
      if (i >= 0 && j !== undefined && j >= 0) pairs.push([i, j]);
    }
    pairs.sort((x, y) => x[0] - y[0]);
    const chain = longestIncreasing(pairs.map((p) => p[1])).map((k) => pairs[k]);
    let ai = 0;
    let bj = 0;
    for (const [i, j] of chain) {
      if (i < ai || j < bj) continue; // inside a stretch already matched
      fillGap(a, b, ai, i, bj, j, map);
      ai = i;
      bj = j;
      while (ai < a.length && bj < b.length && a[ai] === b[bj]) map[ai++] = bj++;
    }
    fillGap(a, b, ai, a.length, bj, b.length, map);
    this.toStored = map;
    this.toLayer = new Int32Array(b.length).fill(-1);
    map.forEach((j, i) => {
      if (j >= 0) this.toLayer[j] = i;
    });
    this.spanStart = new Int32Array(spans.length + 1);
    let k = 0;
    for (let s = 0; s <= spans.length; s++) {
      while (k < a.length && this.layer.at[k] < s) k++;
      this.spanStart[s] = k;
    }
  }

  /** Share of the layer's characters matched in the stored text (0 to 1). */
  get coverage(): number {
    const n = this.toStored.length;
    return n ? this.toStored.filter((j) => j >= 0).length / n : 0;
  }

  /** The first layer key at or after `pos`. */
  private keyAt(pos: LayerPos): number {
    if (pos.span >= this.spans.length) return this.layer.chars.length;
    let k = this.spanStart[Math.max(0, pos.span)];
    const end = this.spanStart[Math.max(0, pos.span) + 1];
    while (k < end && this.layer.off[k] < pos.offset) k++;
    return k;
  }

  /**
   * The stored-text span of the layer text between `from` and `to`, or null when the layer
   * has no text there. When none of the selected characters matched, the span is where the
   * nearest matched characters around it are (`exact: false`).
   */
  toStoredSpan(from: LayerPos, to: LayerPos): StoredSpan | null {
    let s = this.keyAt(from);
    let e = this.keyAt(to);
    if (e <= s) return null;
    const first = s;
    while (s < e && this.toStored[s] < 0) s++;
    while (e > s && this.toStored[e - 1] < 0) e--;
    const at = this.stored.at;
    if (s < e) return { start: at[this.toStored[s]], end: at[this.toStored[e - 1]] + 1, exact: true };
    // nothing selected matched: say where it was, between the matched neighbours
    let before = first - 1;
    while (before >= 0 && this.toStored[before] < 0) before--;
    let after = e;
    while (after < this.toStored.length && this.toStored[after] < 0) after++;
    const start = before >= 0 ? at[this.toStored[before]] + 1 : 0;
    const end = after < this.toStored.length ? at[this.toStored[after]] : Array.from(this.text).length;
    return { start, end: Math.max(start, end), exact: false };
  }

  /** The layer stretches showing stored characters `start..end` (code points), span by span. */
  toLayerRanges(start: number, end: number): SpanRange[] {
    const at = this.stored.at;
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    const out: SpanRange[] = [];
    for (let j = lo; j < at.length && at[j] < end; j++) {
      const i = this.toLayer[j];
      if (i < 0) continue;
      const span = this.layer.at[i];
      const s = this.layer.off[i];
      const e = s + this.layer.len[i];
      const last = out[out.length - 1];
      if (last && last.span === span) {
        last.start = Math.min(last.start, s);
        last.end = Math.max(last.end, e);
      } else out.push({ span, start: s, end: e });
    }
    return out;
  }
}

/**
 * Where a DOM boundary point (a selection's start or end) is among the text layer's spans:
 * inside a span's text, or at the start of the first span after it.
 */
export function layerPos(divs: readonly Element[], node: Node, offset: number): LayerPos {
  const host = node.nodeType === Node.TEXT_NODE ? node.parentElement : null;
  const direct = host ? divs.indexOf(host) : -1;
  if (direct >= 0) return { span: direct, offset };
  const point = node.ownerDocument!.createRange();
  point.setStart(node, offset);
  // the first span that starts at or after the point (spans are in document order)
  let lo = 0;
  let hi = divs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (point.comparePoint(divs[mid], 0) < 0) lo = mid + 1;
    else hi = mid;
  }
  // a point inside a span's element but not in its text (e.g. after its text node)
  if (lo > 0 && divs[lo - 1].contains(node)) return { span: lo - 1, offset: divs[lo - 1].textContent?.length ?? 0 };
  return { span: lo, offset: 0 };
}
