/** Mirrors src-tauri/src/commands/reader.rs. */
import { call } from './core';
import type { ReaderState } from '../bindings/ReaderState';

/** The stored PDF's bytes, read from the library by sha256. */
export async function pdfBytes(sha256: string): Promise<Uint8Array> {
  const buf = await call<ArrayBuffer>('pdf_bytes', { sha256 });
  return new Uint8Array(buf);
}

export const pageText = (sha256: string, page: number) => call<string>('page_text', { sha256, page });

/** Where the reader was in a paper (last page and zoom; zoom null = fit width), or null. */
export const readerState = (paper: string) => call<ReaderState | null>('reader_state', { paper });

/** Remembers where the reader is in a paper. */
export const setReaderState = (paper: string, place: ReaderState) => call<null>('set_reader_state', { paper, place });
