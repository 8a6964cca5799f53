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
