// Hostile text: a PDF (made here) whose text holds HTML and script. Search results, the reader
// and the passage panel must show it as plain text and never run it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, Session, sleep } from './webdriver.mjs';

/** A one-page PDF with Helvetica text lines; returns its bytes. */
function makePdf(title, lines) {
  const esc = (t) => t.replace(/[\\()]/g, (c) => '\\' + c);
  const content = lines.map((l, i) => `BT /F1 12 Tf 72 ${700 - 18 * i} Td (${esc(l)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Title (${esc(title)}) >>`,
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const dir = mkdtempSync(join(tmpdir(), 'papertrail-e2e-hostile-'));
const library = join(dir, 'library');
const pdf = join(dir, 'hostile.pdf');
writeFileSync(
  pdf,
  makePdf('A Hostile Paper With Markup In Its Text', [
    'This paper tests markup: <img src=x onerror="window.__pwned=1"> inside its text.',
    'And a script tag: <script>window.__pwned=2</script> followed by <b>bold</b> words.',
    'Entities stay literal too: &lt;i&gt; and &amp; remain as written.',
  ]),
);
let s;

before(async () => {
  s = await Session.start(
    process.env.WEBDRIVER_URL,
    { 'tauri:options': { application: process.env.PAPERTRAIL_APP, args: ['--library', library, pdf] } },
    process.env.SHOTS,
  );
});
after(async () => {
  await s?.quit();
  rmSync(dir, { recursive: true, force: true });
});

test('HTML and script in a PDF show as plain text in search and the reader', async () => {
  await s.waitFor('[data-testid=counts]', { text: /^1 of \d+ papers imported/, timeout: 120000 });
  await s.exec('document.activeElement?.blur()');
  await s.chord(KEYS.Control, '2');
  const input = await s.waitFor('#search-input');
  await s.type(input, 'onerror');
  const hit = await s.waitFor('.results .hit', { text: /onerror/ });
  const text = await s.text(hit);
  assert.match(text, /<img src=x onerror="window.__pwned=1">/, `the markup is shown as written: ${text}`);
  assert.equal(await s.exec('return document.querySelectorAll(".results img, .results script, .results b").length'), 0, 'no element was made from PDF text');
  await s.clear(input);
  await s.type(input, 'script');
  await s.waitFor('.results .hit', { text: /<script>window.__pwned=2<\/script>/ });
  await sleep(300);
  await s.screenshot('12-hostile-search');
  await s.type(await s.find('#search-input'), KEYS.Enter);
  await s.waitFor('.reader .textLayer span');
  await sleep(800);
  assert.equal(await s.exec('return document.querySelectorAll(".reader .textLayer img, .reader .textLayer script, .reader aside img, .reader aside script").length'), 0);
  const layer = await s.exec('return document.querySelector(".reader .textLayer").textContent');
  assert.match(layer, /<script>/, 'the text layer holds the markup as text');
  await s.screenshot('13-hostile-reader');
  assert.equal(await s.exec('return window.__pwned ?? null'), null, 'nothing from the PDF ran');
});
