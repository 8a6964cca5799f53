/**
 * Passage vectors in the background: after an import, a download or OCR ends, the passages
 * without a vector are embedded for search by meaning, as the `embed` job the status line
 * shows and can cancel (a cancelled run keeps what it did; the next one goes on). Without the
 * embedding model the app says so once and matches by words only.
 */
import { app } from '../state/app.svelte';
import { meaningStatus, runEmbed } from '../api/search';

let starting = false;
let toldNoModel = false;

/** Embeds what lacks a vector; `quiet`: say nothing when there is nothing to do. */
export async function startEmbed(quiet = true): Promise<void> {
  if (starting || app.jobs.embed?.running) return;
  starting = true;
  try {
    const why = await meaningStatus();
    if (why && why.includes('not installed')) {
      if (!toldNoModel) app.toast('info', 'Search by meaning is off', `${why.charAt(0).toUpperCase()}${why.slice(1)}.`, 12000);
      toldNoModel = true;
      return;
    }
    starting = false;
    const summary = await runEmbed();
    if (app.jobs.embed?.cancelled) {
      app.toast('info', `Embedding cancelled after ${summary.passages} passage${summary.passages === 1 ? '' : 's'}`, 'The rest are embedded after the next import.');
    } else if (summary.passages && !quiet) {
      app.toast('success', `${summary.passages} passage${summary.passages === 1 ? '' : 's'} ready for search by meaning`);
    }
  } catch (e) {
    app.error('Embedding for search by meaning failed', e);
  } finally {
    starting = false;
  }
}
