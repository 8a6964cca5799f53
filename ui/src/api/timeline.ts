/**
 * Timeline: mirrors src-tauri/src/commands/timeline.rs.
 * PENDING CORE: shapes follow the agreed design (issue 3) until ts-rs bindings exist.
 */
import { call } from './core';
import type { Precision } from '../lib/dates';

export interface Milestone {
  id: string;
  title: string;
  date: string;
  precision: Precision;
  kind: 'paper' | 'release' | 'event' | 'claim' | string;
  summary?: string | null;
  papers: string[];
  claims: string[];
  leads_to: string[];
  on_path: boolean;
}

export const timeline = () => call<Milestone[]>('timeline');
