/** Mirrors src-tauri/src/commands/reader.rs. */
import { call } from './core';

/** The stored PDF's bytes, read from the library by sha256. */
export async function pdfBytes(sha256: string): Promise<Uint8Array> {
  const buf = await call<ArrayBuffer>('pdf_bytes', { sha256 });
  return new Uint8Array(buf);
}

export const pageText = (sha256: string, page: number) => call<string>('page_text', { sha256, page });
