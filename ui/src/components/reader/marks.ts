/**
 * Overlays on a drawn page: boxes over stretches of pdf.js's text layer (highlights, find
 * matches, the search passage) and rectangles in PDF points (area annotations), placed in the
 * page box's own coordinates so they move with it.
 */
import type { SpanRange } from '../../lib/align';

/** Adds one box per line of each span range to `layer`; returns the first box (or null). */
export function drawRanges(
  layer: HTMLElement,
  pageBox: HTMLElement,
  divs: readonly HTMLElement[],
  ranges: readonly SpanRange[],
  cls: string,
  data: Record<string, string> = {},
  title?: string,
): HTMLElement | null {
  const origin = pageBox.getBoundingClientRect();
  let first: HTMLElement | null = null;
  for (const r of ranges) {
    const node = divs[r.span]?.firstChild;
    if (!node) continue;
    const len = node.textContent?.length ?? 0;
    const range = document.createRange();
    range.setStart(node, Math.min(r.start, len));
    range.setEnd(node, Math.min(r.end, len));
    for (const rect of range.getClientRects()) {
      const d = document.createElement('div');
      d.className = cls;
      d.style.left = `${rect.left - origin.left}px`;
      d.style.top = `${rect.top - origin.top}px`;
      d.style.width = `${rect.width}px`;
      d.style.height = `${rect.height}px`;
      if (title) d.title = title;
      Object.assign(d.dataset, data);
      layer.appendChild(d);
      first ??= d;
    }
  }
  return first;
}

/** Adds a rectangle given in PDF points at `scale` CSS pixels per point. */
export function drawArea(
  layer: HTMLElement,
  area: { x: number; y: number; w: number; h: number },
  scale: number,
  cls: string,
  data: Record<string, string> = {},
  title?: string,
): HTMLElement {
  const d = document.createElement('div');
  d.className = cls;
  d.style.left = `${area.x * scale}px`;
  d.style.top = `${area.y * scale}px`;
  d.style.width = `${area.w * scale}px`;
  d.style.height = `${area.h * scale}px`;
  if (title) d.title = title;
  Object.assign(d.dataset, data);
  layer.appendChild(d);
  return d;
}
