/**
 * Timeline layout: which lane and sub-row each milestone takes so that labels do not overlap.
 */
export const LANES = ['paper', 'release', 'event', 'claim'] as const;
export type Lane = (typeof LANES)[number];

export function laneOf(kind: string): Lane {
  return (LANES as readonly string[]).includes(kind) ? (kind as Lane) : 'event';
}

export interface Placed<T> {
  item: T;
  lane: Lane;
  row: number;
}

/**
 * Greedy interval packing per lane: items (sorted by x) go to the first row whose last item
 * ends before this one starts. `x0` is where an item starts, `width` how wide it is drawn.
 */
export function packRows<T>(items: readonly T[], lane: (t: T) => Lane, x0: (t: T) => number, width: (t: T) => number, gap = 8): Placed<T>[] {
  const ends = new Map<Lane, number[]>();
  const sorted = [...items].sort((a, b) => x0(a) - x0(b));
  return sorted.map((item) => {
    const l = lane(item);
    const rows = ends.get(l) ?? [];
    const start = x0(item);
    let row = rows.findIndex((end) => end + gap <= start);
    if (row < 0) {
      row = rows.length;
      rows.push(0);
    }
    rows[row] = start + width(item);
    ends.set(l, rows);
    return { item, lane: l, row };
  });
}
