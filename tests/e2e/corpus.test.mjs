// The whole corpus: a folder import of every real PDF, then a cold start on that library
// (first paint, memory) and search timings. Numbers go to target/e2e-shots/measurements.json
// and BENCHMARKS-app.md.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, Session, sleep } from './webdriver.mjs';
import { appMemory, record } from './measure.mjs';

const { PAPERTRAIL_APP: APP, WEBDRIVER_URL: BASE, CORPUS, SHOTS } = process.env;
const library = mkdtempSync(join(tmpdir(), 'papertrail-e2e-corpus-'));
const pdfs = readdirSync(join(CORPUS, 'pdf')).filter((f) => f.endsWith('.pdf'));
let s;

after(async () => {
  await s?.quit();
  rmSync(library, { recursive: true, force: true });
});

test('imports the corpus folder', async () => {
  s = await Session.start(BASE, { 'tauri:options': { application: APP, args: ['--library', library, join(CORPUS, 'pdf')] } }, SHOTS);
  const t0 = Date.now();
  await s.waitFor('[data-testid=counts]', { text: new RegExp(`^${pdfs.length} of \\d+ papers imported`), timeout: 300000 });
  const importMs = Date.now() - t0;
  console.log(`# ${pdfs.length} PDFs imported from the folder in ${(importMs / 1000).toFixed(1)} s`);
  record(SHOTS, 'corpus_import_s', { papers: pdfs.length, seconds: Math.round(importMs / 100) / 10 });
  await s.quit();
  s = null;
});

test('cold start on the corpus library, memory and search timings', async () => {
  await sleep(500);
  const t0 = Date.now();
  s = await Session.start(BASE, { 'tauri:options': { application: APP, args: ['--library', library] } }, SHOTS);
  const paint = await s.waitUntil(`
    const e = performance.getEntriesByName('papertrail:first-paint')[0];
    return e && { epoch: performance.timeOrigin + e.startTime, sinceLoad: e.startTime };
  `);
  const cold = Math.round(paint.epoch - t0);
  console.log(`# cold start with ${pdfs.length} papers: first paint of the library ${cold} ms after launch was requested (${Math.round(paint.sinceLoad)} ms after page load began)`);
  await s.waitFor('[data-testid=counts]', { text: new RegExp(`^${pdfs.length} of`) });
  await s.screenshot('12-corpus-library');

  await s.exec('document.activeElement?.blur()');
  await s.chord(KEYS.Control, '2');
  const input = await s.waitFor('#search-input');
  const samples = {};
  for (const q of ['aha moment', 'GRPO', '2.788M', '$5.576M', '93.3%', 'multi-token prediction', 'H800', 'distillation']) {
    await s.clear(input);
    await s.type(input, q);
    await s.waitUntil(`return document.querySelector('#search-input').value === ${JSON.stringify(q)} && document.querySelector('.results:not([aria-busy=true])')?.dataset.renderMs`, { timeout: 10000 }).catch(() => null);
    await sleep(400);
    samples[q] = await s.exec('return Number(document.querySelector(".results")?.dataset.renderMs) || null');
  }
  console.log(`# keystroke→rendered (ms, includes the 100 ms debounce): ${JSON.stringify(samples)}`);
  await s.screenshot('13-corpus-search');
  await s.type(input, KEYS.Enter);
  await s.waitFor('.marks .mark-hit', { timeout: 20000 });
  await sleep(500);
  const mem = appMemory(APP);
  console.log(`# memory with the corpus, a PDF open in the reader: ${(mem.total_pss_kb / 1024).toFixed(0)} MB PSS (${(mem.total_rss_kb / 1024).toFixed(0)} MB RSS) over ${mem.processes.length} processes`);
  record(SHOTS, 'corpus_cold_start_ms', { launch_to_first_paint: cold, page_load_to_first_paint: Math.round(paint.sinceLoad) });
  record(SHOTS, 'corpus_search_keystroke_to_render_ms', samples);
  record(SHOTS, 'corpus_memory', mem);
  assert.ok(Object.values(samples).filter(Boolean).length >= 6, 'most queries rendered results');
});
