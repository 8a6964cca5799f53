/** Mirrors src-tauri/src/commands/search.rs. */
import { call } from './core';
import type { SearchOptions, SearchResults } from './types';

export const search = (query: string, opts: SearchOptions) => call<SearchResults>('search', { query, opts });
