/**
 * The continuous reader's geometry: which page is the current one for a scroll position, and
 * which pages stay drawn. Pages are laid out top to bottom; `tops[i]` and `heights[i]` are the
 * CSS pixel box of page i+1 in the scrolling pane.
 */

/** Most pages drawn at once, whatever the zoom: memory stays bounded on any paper. */
export const MAX_LIVE = 12;

/**
 * The current page (1-based) for a pane scrolled to `scrollTop` showing `viewHeight` pixels:
 * the page under a line 30 % down the view (where the eye reads), or the last page when the
 * pane is scrolled to its end.
 */
export function currentPage(tops: readonly number[], scrollTop: number, viewHeight: number, scrollHeight: number): number {
  const n = tops.length;
  if (n === 0) return 1;
  if (scrollTop + viewHeight >= scrollHeight - 2 && scrollTop > 0) return n;
  const y = scrollTop + viewHeight * 0.3;
  // the last page whose top is at or above y
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tops[mid] <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * The pages to keep drawn: those near the view (`near`, from an IntersectionObserver with a
 * margin), plus those drawn already and still within the wider `keep` band; when that passes
 * `max`, the pages farthest from `current` go first.
 */
export function livePages(near: ReadonlySet<number>, keep: ReadonlySet<number>, live: ReadonlySet<number>, current: number, max = MAX_LIVE): Set<number> {
  const out = new Set<number>(near);
  for (const p of live) if (keep.has(p)) out.add(p);
  if (out.size <= max) return out;
  const byDistance = [...out].sort((a, b) => Math.abs(a - current) - Math.abs(b - current) || a - b);
  return new Set(byDistance.slice(0, max));
}

/** Where to scroll to show `top` pixels into page `page` (1-based), with `pad` pixels above. */
export function scrollTarget(tops: readonly number[], page: number, within = 0, pad = 8): number {
  const i = Math.min(Math.max(1, page), tops.length) - 1;
  return Math.max(0, (tops[i] ?? 0) + within - pad);
}
