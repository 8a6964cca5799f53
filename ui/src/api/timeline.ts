/** Timeline: mirrors src-tauri/src/commands/timeline.rs. */
import { call } from './core';
import type { Timeline } from '../bindings/Timeline';

export type { Timeline } from '../bindings/Timeline';
export type { TimelineEntry } from '../bindings/TimelineEntry';
export type { CatalogInfo } from '../bindings/CatalogInfo';

/** The timeline up to `until`, with the lineage path to `focus` (default: the catalog's, else the latest entry that builds on another). */
export const timeline = (until: string | null = null, focus: string | null = null) => call<Timeline>('timeline', { until, focus });

/** The loaded catalog's name and words (they come with the timeline). */
export const catalogInfo = () => timeline().then((t) => t.catalog);
