/**
 * Grouping search hits by paper, then page, for display, with a flat index per hit so that
 * arrow keys can move through them in the order they are shown.
 */
export interface HitLike {
  paper_id: string;
  title: string;
  page: number;
  score: number;
}

export interface PageGroup<H> {
  page: number;
  hits: { hit: H; index: number }[];
}

export interface PaperGroup<H> {
  paperId: string;
  title: string;
  pages: PageGroup<H>[];
  count: number;
}

/**
 * Papers keep the order of their best hit (hits arrive best first); pages within a paper are
 * in reading order; hits within a page keep their rank order.
 */
export function groupHits<H extends HitLike>(hits: readonly H[]): { groups: PaperGroup<H>[]; order: H[] } {
  const papers = new Map<string, { title: string; pages: Map<number, H[]> }>();
  for (const hit of hits) {
    let p = papers.get(hit.paper_id);
    if (!p) {
      p = { title: hit.title, pages: new Map() };
      papers.set(hit.paper_id, p);
    }
    const list = p.pages.get(hit.page);
    if (list) list.push(hit);
    else p.pages.set(hit.page, [hit]);
  }
  const groups: PaperGroup<H>[] = [];
  const order: H[] = [];
  for (const [paperId, p] of papers) {
    const pages = [...p.pages.entries()].sort((a, b) => a[0] - b[0]);
    const group: PaperGroup<H> = { paperId, title: p.title, pages: [], count: 0 };
    for (const [page, list] of pages) {
      group.pages.push({ page, hits: list.map((hit) => ({ hit, index: order.push(hit) - 1 })) });
      group.count += list.length;
    }
    groups.push(group);
  }
  return { groups, order };
}

/** "12 passages in 3 papers · 4 ms"; `exact` false when counting stopped at a cap ("1,000+"). */
export function summary(shown: number, total: number, papers: number, elapsedUs: number, exact = true): string {
  const ms = elapsedUs < 1000 ? '<1 ms' : `${Math.round(elapsedUs / 1000)} ms`;
  const all = exact ? total.toLocaleString('en-US') : `${total.toLocaleString('en-US')}+`;
  const n = total > shown || !exact ? `${shown} of ${all}` : all;
  return `${n} passage${total === 1 ? '' : 's'} in ${papers} paper${papers === 1 ? '' : 's'} · ${ms}`;
}
