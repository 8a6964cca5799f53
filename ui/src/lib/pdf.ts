/**
 * pdf.js set up for the app: the worker and its data files come from the app bundle, the
 * PDF bytes from the library (by sha256) — never from the network.
 *
 * One document is held at a time. Each document has its own pdf.js worker (a whole
 * JavaScript heap with the parsed file and its fonts), so holding more costs tens of MB each;
 * reopening a paper costs a fraction of a second.
 */
import * as pdfjs from 'pdfjs-dist';
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { pdfBytes } from '../api/reader';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

const asset = (dir: string) => new URL(`/pdfjs/${dir}/`, location.href).href;

interface Held {
  sha256: string;
  doc: Promise<PDFDocumentProxy>;
  destroy: () => void;
}

let held: Held | null = null;
let releaseTimer: ReturnType<typeof setTimeout> | undefined;

/** Loads the document with this sha256; the one held before, if another, is destroyed. */
export function loadDocument(sha256: string): Promise<PDFDocumentProxy> {
  clearTimeout(releaseTimer);
  if (held?.sha256 === sha256) return held.doc;
  held?.destroy();
  let task: PDFDocumentLoadingTask | null = null;
  let destroyed = false;
  const doc = pdfBytes(sha256).then((data) => {
    if (destroyed) throw new Error('The document was closed while it was loading.');
    task = pdfjs.getDocument({
      data,
      isEvalSupported: false,
      useWorkerFetch: false,
      standardFontDataUrl: asset('standard_fonts'),
      cMapUrl: asset('cmaps'),
      cMapPacked: true,
      wasmUrl: asset('wasm'),
      iccUrl: asset('iccs'),
    });
    return task.promise;
  });
  const mine: Held = {
    sha256,
    doc,
    destroy: () => {
      destroyed = true;
      // destroying the loading task also ends the document's worker
      void task?.destroy().catch(() => {});
    },
  };
  doc.catch(() => {
    if (held === mine) held = null;
  });
  held = mine;
  return doc;
}

/**
 * Destroys the held document after `ms` unless it is loaded again before: the reader calls
 * this when it is left, so that going back to it right away costs nothing.
 */
export function releaseDocument(ms: number) {
  clearTimeout(releaseTimer);
  releaseTimer = setTimeout(() => {
    held?.destroy();
    held = null;
  }, ms);
}

export { pdfjs };
