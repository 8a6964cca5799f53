/** Claims: mirrors src-tauri/src/commands/claims.rs. */
import { call } from './core';
import type { AnnotationLink, Claim, ClaimDetail, ClaimEdit, Deleted, LinkEdit, NewClaim, Restored, Stance, Suggestion } from './types';

export const claims = () => call<Claim[]>('claims');
export const claim = (id: string) => call<ClaimDetail>('claim', { id });
export const addClaim = (input: NewClaim) => call<Claim>('add_claim', { new: input });
export const editClaim = (id: string, edit: ClaimEdit) => call<Claim>('edit_claim', { id, edit });
export const deleteClaim = (id: string) => call<void>('delete_claim', { id });
export const link = (claimId: string, annotationId: string, stance: Stance, note = '') =>
  call<Claim>('link', { claim: claimId, annotation: annotationId, stance, note });
export const editLink = (claimId: string, annotationId: string, edit: LinkEdit) =>
  call<Claim>('edit_link', { claim: claimId, annotation: annotationId, edit });
/** Removes a link; returns it as it was, for `restoreDeleted` (undo). */
export const unlink = (claimId: string, annotationId: string) => call<Deleted>('unlink', { claim: claimId, annotation: annotationId });
export const annotationLinks = (annotationId: string) => call<AnnotationLink[]>('annotation_links', { annotation: annotationId });
/** Puts back what `unlink` or `deleteAnnotation` removed, with the same ids, stances and notes. */
export const restoreDeleted = (deleted: Deleted) => call<Restored>('restore_deleted', { deleted });
export const suggest = (claimId: string, limit = 8) => call<Suggestion[]>('suggest', { claim: claimId, limit });
export const acceptSuggestion = (claimId: string, passage: number, stance: Stance) =>
  call<Claim>('accept_suggestion', { claim: claimId, passage, stance });
export const dismissSuggestion = (claimId: string, passage: number) => call<void>('dismiss_suggestion', { claim: claimId, passage });

/** What the claim form edits. */
export interface ClaimInput {
  text: string;
  claimant: string;
  date: string | null;
  source: string;
  tags: string[];
}

export const toNewClaim = (c: ClaimInput): NewClaim => ({ id: null, ...c });
/** Every field is sent, so clearing one clears it (an empty date clears the date). */
export const toEdit = (c: ClaimInput): ClaimEdit => ({ ...c, date: c.date ?? '' });
export const toInput = (c: Claim): ClaimInput => ({ text: c.text, claimant: c.claimant, date: c.date, source: c.source, tags: c.tags });
