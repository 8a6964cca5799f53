// The whole corpus: a folder import of every real PDF, then a cold start on that library
// (first paint, memory) and search timings, then memory with a PDF open, idle in the reader,
// and back at the library. Numbers go to target/e2e-shots/measurements.json and
// BENCHMARKS-app.md.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, Session, sleep } from './webdriver.mjs';
import { appMemory, memorySummary, record } from './measure.mjs';

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
  // idle at the library view, no PDF opened yet: the number the memory target is about
  await sleep(3000);
  const idle = appMemory(APP);
  console.log(`# memory idle at the library view with the corpus, no PDF opened: ${memorySummary(idle)}`);
  record(SHOTS, 'corpus_memory_idle_library', idle);

  await s.exec('document.activeElement?.blur()');
  await s.chord(KEYS.Control, '2');
  const input = await s.waitFor('#search-input');
  // Typed a key at a time, about as fast as a quick typist (one key every 60-140 ms): every
  // keystroke searches at once (no debounce) and the Search view records keystroke → results
  // rendered (the next animation frame) as a performance measure.
  const samples = {};
  const perKey = [];
  await s.exec('performance.clearMeasures("papertrail:search-render")');
  for (const q of ['aha moment', 'GRPO', '2.788M', '$5.576M', '93.3%', 'multi-token prediction', 'H800', 'distillation']) {
    await s.clear(input);
    for (const [i, ch] of [...q].entries()) {
      await s.type(input, ch);
      await sleep(40 + ((i * 37) % 80));
    }
    await s.waitUntil(`return document.querySelector('#search-input').value === ${JSON.stringify(q)} && performance.getEntriesByName('papertrail:search-render').some((m) => m.detail.query === ${JSON.stringify(q)})`, { timeout: 10000 }).catch(() => null);
    await sleep(300); // a stale answer arriving late would render now
    const renders = await s.exec('const m = performance.getEntriesByName("papertrail:search-render"); performance.clearMeasures("papertrail:search-render"); return m.map((e) => [e.detail.query, e.duration, e.detail.searchUs, e.detail.hits]);');
    // stale answers never overwrite newer ones: the last thing rendered is the last query typed
    assert.equal(renders.at(-1)?.[0], q, `the last render was for ${JSON.stringify(renders.at(-1)?.[0])}, not the query typed last`);
    const last = renders.filter(([d]) => d === q).pop();
    // the hits below the first screenful follow a frame later: all of them end up shown
    if (last) await s.waitUntil(`return document.querySelectorAll('.results .hit').length === ${last[3]}`, { timeout: 5000 });
    samples[q] = last ? Math.round(last[1] * 10) / 10 : null;
    perKey.push({
      query: q,
      keys: [...q].length,
      renders: renders.length,
      ms: renders.map(([, d]) => Math.round(d * 10) / 10),
      // of which the core's search (µs) and the hits shown, per render
      search_us: renders.map(([, , us]) => us),
      hits: renders.map(([, , , n]) => n),
    });
  }
  const all = perKey.flatMap((k) => k.ms).sort((a, b) => a - b);
  const pct = (p) => all[Math.min(all.length - 1, Math.ceil((p / 100) * all.length) - 1)];
  const keys = perKey.reduce((n, k) => n + k.keys, 0);
  const latency = { keystrokes: keys, renders: all.length, p50: pct(50), p95: pct(95), max: all[all.length - 1], per_query: perKey };
  console.log(`# keystroke→rendered, no debounce: ${keys} keystrokes, ${all.length} renders; p50 ${latency.p50} ms, p95 ${latency.p95} ms, max ${latency.max} ms; last keystroke per query ${JSON.stringify(samples)}`);
  record(SHOTS, 'corpus_search_keystroke_to_render_per_key_ms', latency);
  await s.screenshot('13-corpus-search');
  await s.type(input, KEYS.Enter);
  await s.waitFor('.marks .mark-hit', { timeout: 20000 });
  await sleep(500);
  const mem = appMemory(APP);
  console.log(`# memory with the corpus, a PDF open in the reader: ${memorySummary(mem)}`);
  record(SHOTS, 'corpus_cold_start_ms', { launch_to_first_paint: cold, page_load_to_first_paint: Math.round(paint.sinceLoad) });
  record(SHOTS, 'corpus_search_keystroke_to_render_ms', samples);
  record(SHOTS, 'corpus_memory', mem);
  assert.ok(Object.values(samples).filter(Boolean).length >= 6, 'most queries rendered results');
  // a render per keystroke, less the few a faster next keystroke made stale
  assert.ok(all.length >= keys * 0.8, `${all.length} renders for ${keys} keystrokes`);
  // The target (p95 within 50 ms) is measured here and written into BENCHMARKS-app.md; the
  // test guards against a regression (a debounce or a full re-render coming back) with room
  // for a loaded machine, rather than failing on the noise of a shared 2-core box.
  assert.ok(latency.p95 <= 200, `keystroke → rendered p95 ${latency.p95} ms (target 50 ms, regression bound 200 ms)`);
});

test('memory idle in the reader and after leaving it, then page drawing times', async () => {
  // the reader drops pdf.js's caches after 30 s without drawing
  await sleep(35000);
  const reading = appMemory(APP);
  console.log(`# memory with a PDF open, idle in the reader for 35 s: ${memorySummary(reading)}`);
  record(SHOTS, 'corpus_memory_reader_idle', reading);
  await s.screenshot('13b-corpus-reader-idle');
  assert.ok(await s.exec('return document.querySelectorAll(".reader .textLayer span").length > 0'), 'the page is still shown');

  // a left document is destroyed 20 s later, with its pdf.js worker
  await s.exec('document.activeElement?.blur()');
  await s.chord(KEYS.Control, '1');
  await s.waitFor('table.papers');
  await sleep(25000);
  const after = appMemory(APP);
  console.log(`# memory back at the library view 25 s after leaving the reader: ${memorySummary(after)}`);
  record(SHOTS, 'corpus_memory_after_reader', after);

  // and the reader opens it again as before; how long drawing a page takes
  await s.chord(KEYS.Alt, KEYS.ArrowLeft);
  await s.waitFor('.reader .textLayer span', { timeout: 20000 });
  await s.waitFor('.marks .mark-hit', { timeout: 20000 });
  // the reader scrolls continuously: each page records its own drawing time when it is drawn
  const current = () => s.exec('return document.querySelector("[data-testid=page-input]").value');
  const renderMs = (n) => s.waitUntil(`return document.querySelector('.reader .page[data-page="${n}"]')?.dataset.renderMs`);
  const reopen = Number(await renderMs(await current()));
  const turns = [];
  for (let i = 0; i < 5; i++) {
    const page = await current();
    await s.exec('document.querySelector(".reader .scroller").focus()');
    await s.chord(KEYS.ArrowRight);
    await s.waitUntil(`return document.querySelector("[data-testid=page-input]").value !== ${JSON.stringify(page)}`);
    turns.push(Math.round(Number(await renderMs(await current()))));
    await sleep(300);
  }
  console.log(`# reader: reopened document drawn in ${Math.round(reopen)} ms; page turns ${turns.join(', ')} ms (render start to the next frame)`);
  record(SHOTS, 'corpus_reader_render_ms', { reopened_document: Math.round(reopen), page_turns: turns });
});
