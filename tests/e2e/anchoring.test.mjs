// Selections anchor where they are: text selected in the real app's reader as a user does
// (a DOM Range over pdf.js's text-layer spans, with the mouse events a drag fires) is saved
// at that place of the page's stored text, and drawn there again after the paper is reopened.
// Also an area annotation drawn with the pointer. Started by tests/e2e/run.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, Session, sleep } from './webdriver.mjs';

const { PAPERTRAIL_APP: APP, WEBDRIVER_URL: BASE, CORPUS, SHOTS } = process.env;
assert.ok(APP && CORPUS && SHOTS, 'run through tests/e2e/run.sh');
const R1 = join(CORPUS, 'pdf/deepseek-r1.pdf');
// a two-column paper of the corpus (USENIX layout): Raft
const RAFT = join(CORPUS, 'wild/distributed_systems_in-search-of-an-understandable-consensus-algorithm.pdf');

const R1_TITLE = 'DeepSeek-R1';
const RAFT_TITLE = 'understandable.consensus';
const library = mkdtempSync(join(tmpdir(), 'papertrail-e2e-anchor-'));
let s;

// In-page helpers, installed once per page load: lines of the text layer, a selection made
// the way a mouse drag makes one, and the checks of where an annotation was anchored.
const HELPERS = `
window.__pt = {
  /** The text layer of the page in the page field (the reader shows the pages near it too). */
  layer: () => document.querySelector('.reader .page[data-page="' + document.querySelector('[data-testid=page-input]').value + '"] .textLayer'),
  spans() {
    return [...this.layer().querySelectorAll('span:not(.markedContent)')].filter((e) => e.firstChild);
  },
  fold: (t) => Array.from(t.normalize('NFKC').toLowerCase()).filter((c) => /[\\p{L}\\p{N}]/u.test(c)).join(''),
  /** Lines: runs of spans with the same top, in document order, with their left edge. */
  lines() {
    const out = [];
    for (const [i, el] of this.spans().entries()) {
      const r = el.getBoundingClientRect();
      const last = out[out.length - 1];
      if (last && Math.abs(last.top - r.top) < r.height / 2 && r.left >= last.right - 2) {
        last.end = i;
        last.right = r.right;
        last.text += el.textContent;
      } else out.push({ start: i, end: i, top: r.top, left: r.left, right: r.right, text: el.textContent });
    }
    return out;
  },
  /** Selects span a, offset ao to span b, offset bo, firing what a mouse drag fires. */
  select(a, ao, b, bo) {
    const spans = this.spans();
    const range = document.createRange();
    range.setStart(spans[a].firstChild, ao);
    range.setEnd(spans[b].firstChild, bo);
    const first = range.getClientRects()[0];
    const rects = range.getClientRects();
    const last = rects[rects.length - 1];
    const at = (type, el, r, x) => el.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window, button: 0, buttons: type === 'mouseup' ? 0 : 1, clientX: x, clientY: r.top + r.height / 2 }));
    at('mousedown', spans[a], first, first.left + 1);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    at('mousemove', spans[b], last, last.right - 1);
    at('mouseup', spans[b], last, last.right - 1);
    this.last = { a, ao, b, bo, text: range.toString(), before: this.textBefore(range) , after: this.textAfter(range) };
    return this.last;
  },
  textBefore(range) {
    const r = document.createRange();
    r.setStart(this.layer(), 0);
    r.setEnd(range.startContainer, range.startOffset);
    return r.toString();
  },
  textAfter(range) {
    const r = document.createRange();
    r.setStart(range.endContainer, range.endOffset);
    r.setEnd(this.layer(), this.layer().childNodes.length);
    return r.toString();
  },
  rectsOf(a, ao, b, bo) {
    const spans = this.spans();
    const range = document.createRange();
    range.setStart(spans[a].firstChild, ao);
    range.setEnd(spans[b].firstChild, bo);
    return [...range.getClientRects()].filter((r) => r.width > 1 && r.height > 1).map((r) => ({ l: r.left, t: r.top, r: r.right, b: r.bottom }));
  },
};
`;

/** Calls a shell command from the page, as the UI does. */
async function invoke(cmd, args) {
  const v = await s.execAsync(
    `const done = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then((v) => done({ ok: v }), (e) => done({ err: e }));`,
    [cmd, args],
  );
  if (v.err) throw new Error(`${cmd}: ${JSON.stringify(v.err)}`);
  return v.ok;
}

/** Opens the paper whose library row's title matches `title` in the reader, at page 1. */
async function openPaper(title) {
  await s.exec('document.activeElement?.blur()');
  await s.chord(KEYS.Control, '1');
  await s.waitFor('tr[data-paper]');
  const id = await s.exec('return [...document.querySelectorAll("tr[data-paper]")].find((tr) => new RegExp(arguments[0], "i").test(tr.textContent) && /imported/.test(tr.textContent))?.dataset.paper', [title]);
  assert.ok(id, `a library row titled ${title}`);
  // the row may be scrolled out of the table's view: click it from the page
  await s.exec('const tr = document.querySelector(`tr[data-paper="${arguments[0]}"]`); tr.scrollIntoView(); tr.click();', [id]);
  await s.waitFor('.reader .textLayer span');
  await s.waitUntil('return document.querySelector(".reader .page")?.dataset.renderMs');
  await sleep(300);
  await s.exec(HELPERS);
}

async function goToPage(n) {
  const input = await s.find('[data-testid=page-input]');
  await s.clear(input);
  await s.type(input, `${n}${KEYS.Enter}`);
  await s.waitUntil(`return document.querySelector('[data-testid=page-input]').value === '${n}' && document.querySelector('.reader .textLayer span')`);
  await sleep(800);
  await s.exec(HELPERS);
}

/** Saves the popover opened by a selection; returns the new annotation. */
async function save(note) {
  const shown = await s.exec('return document.querySelector(".reader .page").dataset.renderMs');
  assert.ok(shown);
  await s.waitFor('[data-testid=annotate-popover]');
  if (note) await s.type(await s.find('[data-testid=annotate-popover] textarea'), note);
  const before = await s.exec('return [...document.querySelectorAll(".notes li[data-annotation]")].map((li) => li.dataset.annotation)');
  await s.click(await s.find('[data-testid=save-annotation]'));
  const error = await s
    .waitUntil(`return document.querySelector('[data-testid=annotate-popover] .err')?.textContent || (!document.querySelector('[data-testid=annotate-popover]') && 'saved')`, { timeout: 15000 });
  assert.equal(error, 'saved', `saving failed: ${error}`);
  const id = await s.waitUntil(`const before = ${JSON.stringify(before)}; return [...document.querySelectorAll('.notes li[data-annotation]')].map((li) => li.dataset.annotation).find((id) => !before.includes(id))`);
  return (await invoke('annotations', { filter: { paper: null, version: null, page: null, tag: null } })).find((a) => a.id === id);
}

/**
 * Checks that `a` is anchored where `sel` was made: the stored text at its offsets is the
 * selected text (letters and digits), and so is the text around it on both sides.
 */
async function assertAnchoredAt(a, sel) {
  const text = await invoke('page_text', { sha256: a.version_sha256, page: a.page });
  const chars = Array.from(text);
  const fold = (t) => Array.from(t.normalize('NFKC').toLowerCase()).filter((c) => /[\p{L}\p{N}]/u.test(c)).join('');
  assert.equal(chars.slice(a.start, a.end).join(''), a.exact, 'exact is the stored text at start..end');
  assert.equal(fold(a.exact), fold(sel.text), `the stored text at ${a.start}..${a.end} is what was selected`);
  const before = fold(chars.slice(0, a.start).join(''));
  const after = fold(chars.slice(a.end).join(''));
  const want = fold(sel.before).slice(-24);
  const wantAfter = fold(sel.after).slice(0, 24);
  assert.ok(before.endsWith(want), `the text before the anchor is the text before the selection: …${before.slice(-30)} vs …${want}`);
  assert.ok(after.startsWith(wantAfter), `the text after the anchor is the text after the selection: ${after.slice(0, 30)}… vs ${wantAfter}…`);
}

/** After reopening, the annotation's highlight covers the selection's rectangles and nothing else. */
async function assertHighlightedAt(id, sel) {
  await s.waitFor(`.marks .mark-ann[data-ann="${id}"]`, { timeout: 15000 });
  const { marks, want } = await s.exec(
    `const sel = arguments[0];
     const marks = [...document.querySelectorAll('.marks .mark-ann[data-ann="' + arguments[1] + '"]')].map((d) => { const r = d.getBoundingClientRect(); return { l: r.left, t: r.top, r: r.right, b: r.bottom }; });
     return { marks, want: window.__pt.rectsOf(sel.a, sel.ao, sel.b, sel.bo) };`,
    [sel, id],
  );
  const overlap = (x, y) => Math.max(0, Math.min(x.r, y.r) - Math.max(x.l, y.l)) * Math.max(0, Math.min(x.b, y.b) - Math.max(x.t, y.t));
  const area = (x) => (x.r - x.l) * (x.b - x.t);
  // the selection's boxes are highlighted, all but what the stored text lacks (the hyphen
  // of a word split at a line end, a space at a span's end)
  const covered = want.reduce((n, w) => n + marks.reduce((k, m) => k + overlap(m, w), 0), 0);
  const total = want.reduce((n, w) => n + area(w), 0);
  assert.ok(covered >= 0.85 * total, `the selection is highlighted (${Math.round((100 * covered) / total)} % of its area)`);
  for (const m of marks) {
    const inside = want.reduce((n, w) => n + overlap(m, w), 0);
    assert.ok(inside >= 0.6 * area(m), `highlight box ${JSON.stringify(m)} lies on the selection`);
  }
}

before(async () => {
  s = await Session.start(BASE, { 'tauri:options': { application: APP, args: ['--library', library, R1, RAFT] } }, SHOTS);
  await s.waitFor('[data-testid=counts]', { text: /^2 of \d+ papers imported/, timeout: 240000 });
});

after(async () => {
  await s?.quit();
  rmSync(library, { recursive: true, force: true });
});

describe('selections anchor where they are', () => {
  const made = [];

  test('two whole lines across the hyphenated "super-/vised" break of the R1 abstract', async () => {
    await openPaper(R1_TITLE);
    const lines = await s.exec('return window.__pt.lines()');
    const i = lines.findIndex((l) => /super-\s*$/.test(l.text));
    assert.ok(i >= 0 && i + 1 < lines.length, `a line ending "super-" on R1 page 1: ${lines.map((l) => l.text).join(' | ').slice(0, 400)}`);
    assert.match(lines[i + 1].text, /^\s*vised/);
    const endLen = await s.exec(`return window.__pt.spans()[${lines[i + 1].end}].textContent.length`);
    const sel = await s.exec(`return window.__pt.select(${lines[i].start}, 0, ${lines[i + 1].end}, ${endLen})`);
    assert.match(sel.text, /super-\s*\n?\s*vised/);
    const a = await save('Two lines across a hyphenated break.');
    assert.match(a.exact, /supervised/);
    await assertAnchoredAt(a, sel);
    made.push({ id: a.id, sel, paper: R1_TITLE, page: 1 });
  });

  test('the fifth occurrence of a word repeated on R1 page 1', async () => {
    const occ = await s.exec(`
      const out = [];
      window.__pt.spans().forEach((el, i) => { for (const m of el.textContent.matchAll(/\\breasoning\\b/g)) out.push([i, m.index]); });
      return out;
    `);
    assert.ok(occ.length >= 5, `"reasoning" occurs ${occ.length} times in the text layer`);
    const [span, at] = occ[4];
    const sel = await s.exec(`return window.__pt.select(${span}, ${at}, ${span}, ${at + 'reasoning'.length})`);
    const a = await save();
    assert.equal(a.exact, 'reasoning');
    await assertAnchoredAt(a, sel);
    // and it is the fifth in the stored text too
    const text = await invoke('page_text', { sha256: a.version_sha256, page: 1 });
    const starts = [...text.matchAll(/\breasoning\b/g)].map((m) => Array.from(text.slice(0, m.index)).length);
    assert.equal(starts.indexOf(a.start), 4, `anchored at the fifth "reasoning" (${a.start} in ${starts})`);
    made.push({ id: a.id, sel, paper: R1_TITLE, page: 1 });
  });

  test('an area drawn on the page with the area tool', async () => {
    await s.click(await s.find('[data-testid=area-tool]'));
    const canvas = await s.find('.reader .page canvas');
    const size = await s.exec('const r = document.querySelector(".reader .page canvas").getBoundingClientRect(); return { w: r.width, h: r.height }');
    // a drag of a quarter of the page's width and 120 px around its middle, with the real pointer
    const dx = Math.round(size.w / 8);
    const move = (x, y, duration = 0) => ({ type: 'pointerMove', origin: { 'element-6066-11e4-a52e-4f735466cecf': canvas }, x, y, duration });
    await s.cmd('POST', '/actions', {
      actions: [
        {
          type: 'pointer',
          id: 'mouse',
          parameters: { pointerType: 'mouse' },
          actions: [move(-dx, -60), { type: 'pointerDown', button: 0 }, move(0, 0, 100), move(dx, 60, 100), { type: 'pointerUp', button: 0 }],
        },
      ],
    });
    await s.cmd('DELETE', '/actions').catch(() => {});
    const label = await s.text(await s.waitFor('[data-testid=annotate-popover] .area-label'));
    assert.match(label, /Area of page 1/);
    const a = await save('An area of the abstract.');
    assert.equal(a.exact, '');
    assert.ok(a.area, 'stored with its rectangle');
    // in points of the page (the reader's scale is CSS pixels per point): the drag's size, and
    // drawn where it is
    const pts = 1 / Number(await s.exec('return getComputedStyle(document.querySelector(".reader .page")).getPropertyValue("--scale-factor")'));
    assert.ok(Math.abs(a.area.w - 2 * dx * pts) < 0.1 * 2 * dx * pts && Math.abs(a.area.h - 120 * pts) < 0.1 * 120 * pts, JSON.stringify(a.area));
    await s.waitFor(`.marks .mark-area[data-ann="${a.id}"]`);
    const drawn = await s.exec(`const p = document.querySelector('.reader .page canvas').getBoundingClientRect(); const r = document.querySelector('.marks .mark-area[data-ann="${a.id}"]').getBoundingClientRect(); return { x: r.left - p.left, y: r.top - p.top, w: r.width, h: r.height, page: p.width }`);
    for (const k of ['x', 'y', 'w', 'h']) {
      assert.ok(Math.abs(drawn[k] * pts - a.area[k]) < 1, `drawn at the stored ${k}: ${JSON.stringify(drawn)} vs ${JSON.stringify(a.area)} (page ${size.w} px wide when drawn)`);
    }
    await s.click(await s.find('[data-testid=area-tool]'));
  });

  test('a passage spanning the two columns of a Raft page', async () => {
    await openPaper(RAFT_TITLE);
    await goToPage(2);
    const lines = await s.exec(`
      const mid = document.querySelector('.reader .page').getBoundingClientRect();
      const half = mid.left + mid.width / 2;
      return window.__pt.lines().map((l) => ({ ...l, col: l.right < half ? 'L' : l.left > half ? 'R' : 'X' }));
    `);
    // the last line of the left column and the first of the right one, in reading order
    let k = -1;
    for (let i = 0; i + 1 < lines.length; i++) {
      if (lines[i].col === 'L' && lines[i + 1].col === 'R' && lines[i].text.trim().length > 20 && lines[i + 1].text.trim().length > 20 && lines[i + 1].top < lines[i].top - 100) k = i;
    }
    assert.ok(k >= 1, `a left-column line followed by the top of the right column: ${lines.map((l) => `${l.col}:${l.text.slice(0, 30)}`).join(' | ').slice(0, 1200)}`);
    const endLen = await s.exec(`return window.__pt.spans()[${lines[k + 2].end}].textContent.length`);
    const sel = await s.exec(`return window.__pt.select(${lines[k - 1].start}, 0, ${lines[k + 2].end}, ${endLen})`);
    const a = await save('Across the two columns.');
    await assertAnchoredAt(a, sel);
    made.push({ id: a.id, sel, paper: RAFT_TITLE, page: 2 });
    await sleep(300);
    await s.screenshot('anchoring-two-columns');
  });

  test('after reopening each paper, every highlight is drawn where it was selected', async () => {
    for (const m of made) {
      await openPaper(m.paper);
      if (m.page !== 1) await goToPage(m.page);
      await assertHighlightedAt(m.id, m.sel);
    }
    await openPaper(R1_TITLE);
    await s.waitFor('.marks .mark-area');
    await sleep(300);
    const file = await s.screenshot('anchoring-r1-highlights');
    console.log(`# screenshot: ${file}`);
  });
});
