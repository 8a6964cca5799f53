/** Mirrors src-tauri/src/commands/search.rs. */
import { call } from './core';
import type { EmbedSummary, SearchHit, SearchOptions, SearchResults } from './types';

export const search = (query: string, opts: SearchOptions) => call<SearchResults>('search', { query, opts });
/** Words and meaning fused; the flag is false when it fell back to words only (no model or no vectors). */
export const searchSemantic = (query: string, opts: SearchOptions) =>
  call<[SearchResults, boolean]>('search_semantic', { query, opts });
/** "Passages like this one" across the library; null when the embedding model is not installed. */
export const similarPassages = (passageId: number, limit = 10) =>
  call<SearchHit[] | null>('similar_passages', { passageId, limit });
/** The passage at character `offset` of a page's stored text (a selection's start), or null when the page has none. */
export const passageAt = (sha256: string, page: number, offset: number) => call<number | null>('passage_at', { sha256, page, offset });
/** Why search by meaning is not possible now (a sentence), or null when it is. */
export const meaningStatus = () => call<string | null>('meaning_status');
/** Embeds the passages without a vector as the cancellable `embed` job. */
export const runEmbed = () => call<EmbedSummary>('run_embed');
