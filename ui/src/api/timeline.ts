/** Timeline: mirrors src-tauri/src/commands/timeline.rs. */
import { call } from './core';
import type { TimelineEntry } from './types';

export const timeline = (until: string | null = null, focus: string | null = null) => call<TimelineEntry[]>('timeline', { until, focus });
