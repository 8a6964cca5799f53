/**
 * pdf.js set up for the app: the worker and its data files come from the app bundle, the
 * PDF bytes from the library (by sha256) — never from the network.
 */
import * as pdfjs from 'pdfjs-dist';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { pdfBytes } from '../api/reader';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

const asset = (dir: string) => new URL(`/pdfjs/${dir}/`, location.href).href;

const cache = new Map<string, Promise<PDFDocumentProxy>>();

/** Loads (and keeps the three most recent) documents by sha256. */
export function loadDocument(sha256: string): Promise<PDFDocumentProxy> {
  const hit = cache.get(sha256);
  if (hit) {
    cache.delete(sha256);
    cache.set(sha256, hit);
    return hit;
  }
  const p = pdfBytes(sha256).then(
    (data) =>
      pdfjs.getDocument({
        data,
        isEvalSupported: false,
        useWorkerFetch: false,
        standardFontDataUrl: asset('standard_fonts'),
        cMapUrl: asset('cmaps'),
        cMapPacked: true,
        wasmUrl: asset('wasm'),
        iccUrl: asset('iccs'),
      }).promise,
  );
  p.catch(() => cache.delete(sha256));
  cache.set(sha256, p);
  while (cache.size > 3) {
    const [oldest, doc] = cache.entries().next().value as [string, Promise<PDFDocumentProxy>];
    cache.delete(oldest);
    void doc.then((d) => d.destroy()).catch(() => {});
  }
  return p;
}

export { pdfjs };
