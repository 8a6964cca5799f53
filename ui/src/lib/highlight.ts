/**
 * Splitting a plain-text snippet into marked and unmarked segments.
 *
 * The core gives highlight ranges as [start, end) offsets in Unicode scalar values (Rust
 * `char`s); JavaScript strings index UTF-16 code units, so we split by code points.
 * Rendering builds text nodes and <mark> elements from the segments, never HTML.
 */
export interface Segment {
  text: string;
  mark: boolean;
}

/** Sorts, clamps and merges overlapping or touching ranges. */
export function normalizeRanges(ranges: ReadonlyArray<readonly [number, number]>, length: number): [number, number][] {
  const clean = ranges
    .map(([s, e]) => [Math.max(0, Math.min(s, length)), Math.max(0, Math.min(e, length))] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const r of clean) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** Splits `text` into segments, marking the given code-point ranges. */
export function splitHighlights(text: string, ranges: ReadonlyArray<readonly [number, number]>): Segment[] {
  const chars = Array.from(text);
  const merged = normalizeRanges(ranges, chars.length);
  const out: Segment[] = [];
  let pos = 0;
  for (const [s, e] of merged) {
    if (s > pos) out.push({ text: chars.slice(pos, s).join(''), mark: false });
    out.push({ text: chars.slice(s, e).join(''), mark: true });
    pos = e;
  }
  if (pos < chars.length || out.length === 0) out.push({ text: chars.slice(pos).join(''), mark: false });
  return out.filter((s, i) => s.text.length > 0 || (i === 0 && out.length === 1));
}

/** The distinct marked words of a snippet, lower-cased (to mark them again on the PDF page). */
export function markedTerms(text: string, ranges: ReadonlyArray<readonly [number, number]>): string[] {
  const seen = new Set<string>();
  for (const s of splitHighlights(text, ranges)) if (s.mark && s.text.trim()) seen.add(s.text.trim().toLowerCase());
  return [...seen];
}

/** Appends the segments to `parent` as text nodes and <mark> elements. */
export function renderSegments(parent: HTMLElement, segments: Segment[]): void {
  parent.replaceChildren();
  for (const seg of segments) {
    if (seg.mark) {
      const m = document.createElement('mark');
      m.textContent = seg.text;
      parent.appendChild(m);
    } else {
      parent.appendChild(document.createTextNode(seg.text));
    }
  }
}

/**
 * Ranges (in code points) where any of `terms` occurs in `text`, case-insensitively; used to
 * mark a claim's terms in a suggested passage.
 */
export function termRanges(text: string, terms: readonly string[]): [number, number][] {
  const chars = Array.from(text);
  const lower = chars.map((c) => c.toLowerCase());
  const out: [number, number][] = [];
  for (const term of terms) {
    const t = Array.from(term.toLowerCase().trim());
    if (!t.length) continue;
    for (let i = 0; i + t.length <= lower.length; i++) {
      let ok = true;
      for (let j = 0; j < t.length && ok; j++) ok = lower[i + j] === t[j];
      if (ok) out.push([i, i + t.length]);
    }
  }
  return normalizeRanges(out, chars.length);
}

/** Cuts `text` to about `max` code points around its first range, with ellipses. */
export function excerpt(text: string, ranges: [number, number][], max = 320): { text: string; ranges: [number, number][] } {
  const chars = Array.from(text);
  if (chars.length <= max) return { text, ranges };
  const first = ranges[0]?.[0] ?? 0;
  const start = Math.max(0, Math.min(first - Math.floor(max / 3), chars.length - max));
  const end = Math.min(chars.length, start + max);
  const pre = start > 0 ? '…' : '';
  const shift = start - pre.length;
  return {
    text: pre + chars.slice(start, end).join('') + (end < chars.length ? '…' : ''),
    ranges: ranges.filter(([s, e]) => s >= start && e <= end).map(([s, e]) => [s - shift, e - shift] as [number, number]),
  };
}
