/** Annotations: mirrors the annotation commands of src-tauri/src/commands/reader.rs. */
import { call } from './core';
import type { Annotation, AnnotationEdit, AnnotationFilter, Deleted, NewAnnotation } from './types';
import type { Area } from '../bindings/Area';
import type { Colour } from '../bindings/Colour';

export const annotations = (filter: AnnotationFilter) => call<Annotation[]>('annotations', { filter });
export const annotate = (input: NewAnnotation) => call<Annotation>('annotate', { new: input });
export const editAnnotation = (id: string, edit: AnnotationEdit) => call<Annotation>('edit_annotation', { id, edit });
/** Deletes an annotation with its evidence links; returns what went, for `restoreDeleted` (undo). */
export const deleteAnnotation = (id: string) => call<Deleted>('delete_annotation', { id });

/** The annotations of one page of one version. */
export const pageAnnotations = (sha256: string, page: number) =>
  annotations({ paper: null, version: sha256, page, tag: null });

/**
 * What the reader annotates: text selected on the page (the quote as shown, and where it
 * starts and ends in the page's stored text when the reader could tell), or a rectangle.
 */
export type Target = { quote: string; start: number | null; end: number | null } | { area: Area };

/** A new annotation of `target` on a page of a version. */
export function fromTarget(paper: string, sha256: string, page: number, target: Target, note: string, tags: string[], color: Colour): NewAnnotation {
  const base = { paper, version: sha256, page, occurrence: null, note, tags, color };
  if ('area' in target) return { ...base, quote: null, start: null, end: null, area: target.area };
  return { ...base, quote: target.quote, start: target.start, end: target.end, area: null };
}
