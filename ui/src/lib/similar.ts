/**
 * "Passages like this one" in the reader's side panel: what it compares, which of the nearest
 * passages it lists, how complete the list is while passages are being embedded, and how a
 * similarity is shown.
 */

/** What the reader compares: a place in a page's stored text, with the words it starts from. */
export interface LikeSubject {
  page: number;
  /** Character offset into the page's stored text (a selection's or an annotation's start). */
  offset: number;
  /** The selected or annotated words, as shown. */
  quote: string;
}

/** The background `embed` job, as far as the panel needs it. */
export interface EmbedProgress {
  done: number;
  total: number;
  running: boolean;
}

/** Whether meaning_status's sentence says the model is missing (not merely that nothing is embedded yet). */
export function modelMissing(status: string | null): boolean {
  return !!status && status.includes('not installed');
}

/**
 * A note on how complete the list is, or null when every passage has a vector: while the
 * `embed` job runs, its progress; when nothing has a vector yet (`status` from meaning_status),
 * that sentence.
 */
export function embeddingNote(status: string | null, job: EmbedProgress | undefined): string | null {
  if (job?.running) {
    const part = job.total ? ` (${job.done.toLocaleString('en')} of ${job.total.toLocaleString('en')}, ${Math.floor((job.done / job.total) * 100)} %)` : '';
    return `Passages are still being embedded${part}; those not yet embedded are missing from this list.`;
  }
  if (status) return 'No passage has been embedded for search by meaning yet; this list fills in once embedding has run (it starts after an import).';
  return null;
}

/** A similarity (cosine, -1..1) as a bar's width in percent and a short number. */
export function similarity(score: number): { width: number; label: string } {
  const s = Number.isFinite(score) ? Math.max(0, Math.min(1, score)) : 0;
  return { width: Math.round(s * 100), label: s.toFixed(2) };
}

/** Whether two subjects are the same words at the same place (a repeated mouse-up asks nothing new). */
export function sameSubject(a: LikeSubject | null, b: LikeSubject | null): boolean {
  return a === b || (!!a && !!b && a.page === b.page && a.offset === b.offset && a.quote === b.quote);
}

/**
 * The passages to list, nearest first, in two groups: those of other papers (at most
 * `others`), then those elsewhere in the paper shown (at most `same`). A paper's own pages are
 * usually the closest to one of its passages; the point of the list is the rest of the library.
 */
export function splitLikes<T extends { paper_id: string }>(hits: T[], paperId: string, others = 8, same = 3): { others: T[]; same: T[] } {
  return {
    others: hits.filter((h) => h.paper_id !== paperId).slice(0, others),
    same: hits.filter((h) => h.paper_id === paperId).slice(0, same),
  };
}
