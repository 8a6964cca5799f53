/** Annotations: mirrors the annotation commands of src-tauri/src/commands/reader.rs. */
import { call } from './core';
import type { Annotation, AnnotationEdit, AnnotationFilter, NewAnnotation } from './types';

export const annotations = (filter: AnnotationFilter) => call<Annotation[]>('annotations', { filter });
export const annotate = (input: NewAnnotation) => call<Annotation>('annotate', { new: input });
export const editAnnotation = (id: string, edit: AnnotationEdit) => call<Annotation>('edit_annotation', { id, edit });
export const deleteAnnotation = (id: string) => call<string[]>('delete_annotation', { id });

/** The annotations of one page of one version. */
export const pageAnnotations = (sha256: string, page: number) =>
  annotations({ paper: null, version: sha256, page, tag: null });

/** A new annotation from a quote selected on a page. */
export function fromQuote(paper: string, sha256: string, page: number, quote: string, note: string, tags: string[], color: string): NewAnnotation {
  return { paper, version: sha256, page, quote, occurrence: null, start: null, end: null, note, tags, color };
}
