/**
 * OCR in the background: after an import (or download) ends, the pages waiting for OCR (scans,
 * unreadable fonts) are read by Tesseract when it is installed, as the `ocr` job the status
 * line shows and can cancel. The Library's "Run OCR" calls the same.
 */
import { app } from '../state/app.svelte';
import { listPapers, ocrAvailable, runOcr } from '../api/library';
import type { Paper } from '../api/types';

/** Versions waiting for OCR. */
export function pendingOcr(papers: readonly Paper[]): number {
  return papers.reduce((n, p) => n + p.versions.filter((v) => v.ocr === 'pending').length, 0);
}

/** True when one of `jobs` went from running to stopped between two looks. */
export function justFinished(before: Record<string, boolean>, now: Record<string, boolean>): boolean {
  return Object.keys(before).some((k) => before[k] && !now[k]);
}

let starting = false;

/**
 * Starts OCR if versions wait for it. `quiet`: when Tesseract is missing say nothing (the
 * Library's state column says "no text layer" and why); otherwise say so in a toast.
 */
export async function startOcr(quiet = false): Promise<void> {
  if (starting || app.jobs.ocr?.running) return;
  starting = true;
  try {
    const papers = await listPapers();
    if (!pendingOcr(papers)) {
      if (!quiet) app.toast('info', 'No pages wait for OCR');
      return;
    }
    if (!(await ocrAvailable())) {
      if (!quiet) app.toast('error', 'OCR is unavailable', 'Install tesseract-ocr and tesseract-ocr-eng (and poppler-utils), then choose Run OCR again.');
      return;
    }
    starting = false;
    const summary = await runOcr();
    if (app.jobs.ocr?.cancelled) {
      app.toast('info', `OCR cancelled after ${summary.pages} page${summary.pages === 1 ? '' : 's'}`, 'The other pages stay pending; "Run OCR" in the Library reads them.');
    } else if (summary.failed.length) {
      const [sha, page, reason] = summary.failed[0];
      const title = papers.find((p) => p.versions.some((v) => v.sha256 === sha))?.title ?? sha.slice(0, 12);
      app.toast('error', `OCR: ${summary.failed.length} page${summary.failed.length === 1 ? '' : 's'} could not be read`, `First: ${title}, p. ${page}: ${reason}`, 12000);
    } else if (summary.pages) {
      app.toast('success', `OCR read ${summary.pages} page${summary.pages === 1 ? '' : 's'} of ${summary.versions} file${summary.versions === 1 ? '' : 's'}`);
    }
  } catch (e) {
    app.error('OCR failed', e);
  } finally {
    starting = false;
    await app.refresh();
  }
}
