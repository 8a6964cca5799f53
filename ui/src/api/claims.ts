/**
 * Claims: mirrors src-tauri/src/commands/claims.rs.
 * PENDING CORE: shapes follow the agreed design (issue 3) until ts-rs bindings exist.
 */
import { call } from './core';
import type { Stance, Verdict } from '../lib/verdict';

export interface EvidenceCounts {
  supports: number;
  contradicts: number;
  context: number;
}

export interface ClaimSummary {
  id: string;
  text: string;
  who: string | null;
  when: string | null;
  where: string | null;
  verdict: Verdict;
  counts: EvidenceCounts;
}

export interface Evidence {
  id: string;
  stance: Stance;
  annotation_id: string | null;
  paper_id: string;
  title: string;
  sha256: string | null;
  page: number;
  quote: string;
  note: string | null;
}

export interface ClaimDetail extends ClaimSummary {
  evidence: Evidence[];
}

export interface Suggestion {
  paper_id: string;
  title: string;
  sha256: string;
  page: number;
  start: number;
  end: number;
  snippet: string;
  highlights: [number, number][];
  text: string;
  score: number;
}

export interface ClaimInput {
  text: string;
  who: string | null;
  when: string | null;
  where: string | null;
}

export const listClaims = () => call<ClaimSummary[]>('list_claims');
export const showClaim = (id: string) => call<ClaimDetail>('show_claim', { id });
export const addClaim = (input: ClaimInput) => call<ClaimSummary>('add_claim', { input });
export const editClaim = (id: string, input: ClaimInput) => call<ClaimSummary>('edit_claim', { id, input });
export const linkEvidence = (claimId: string, annotationId: string, stance: Stance) => call<ClaimDetail>('link_evidence', { claimId, annotationId, stance });
export const unlinkEvidence = (claimId: string, evidenceId: string) => call<ClaimDetail>('unlink_evidence', { claimId, evidenceId });
export const suggestPassages = (id: string) => call<Suggestion[]>('suggest_passages', { id });
