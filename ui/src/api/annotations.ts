/**
 * Annotations: mirrors the annotation commands of src-tauri/src/commands/reader.rs.
 * PENDING CORE: the shapes below follow the agreed design (issue 3) until ts-rs bindings for
 * the core's annotation records exist; then they are replaced by re-exports from ../bindings.
 */
import { call } from './core';

export interface LinkedClaim {
  claim_id: string;
  claim_text?: string;
  stance: 'supports' | 'contradicts' | 'context';
}

export interface Annotation {
  id: string;
  sha256: string;
  paper_id: string;
  page: number;
  quote: string;
  note: string | null;
  tags: string[];
  colour: string;
  claims?: LinkedClaim[];
}

export interface NewAnnotation {
  sha256: string;
  page: number;
  quote: string;
  note: string | null;
  tags: string[];
  colour: string;
}

export const listAnnotations = (sha256: string, page: number | null) => call<Annotation[]>('list_annotations', { sha256, page });
export const createAnnotation = (input: NewAnnotation) => call<Annotation>('create_annotation', { input });
export const deleteAnnotation = (id: string) => call<void>('delete_annotation', { id });
