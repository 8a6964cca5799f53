// "Download the catalog papers" against a local mirror of the corpus (served here on
// 127.0.0.1): pinned sha256 checks pass, the papers are imported, and the papers the mirror
// lacks are reported, not hidden.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { Session, sleep } from './webdriver.mjs';

const { PAPERTRAIL_APP: APP, WEBDRIVER_URL: BASE, CORPUS, SHOTS } = process.env;
const library = mkdtempSync(join(tmpdir(), 'papertrail-e2e-download-'));
let s;
let server;
let mirror;

before(async () => {
  // a read-only static server for the corpus folder, loopback only
  server = createServer((req, res) => {
    const rel = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^([/\\])+/, '');
    const file = join(CORPUS, rel);
    if (rel.startsWith('..') || !existsSync(file) || !file.endsWith('.pdf')) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/pdf' }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  mirror = `http://127.0.0.1:${server.address().port}/`;
  s = await Session.start(BASE, { 'tauri:options': { application: APP, args: ['--library', library] } }, SHOTS);
});

after(async () => {
  await s?.quit();
  server?.close();
  rmSync(library, { recursive: true, force: true });
});

test('downloads the catalog papers from a mirror, verifying checksums', async () => {
  await s.waitFor('[data-testid=first-run]');
  await s.click(await s.waitFor('[data-testid=mirror-toggle]'));
  const input = await s.waitFor('input[aria-label="Mirror base URL"]');
  await s.clear(input);
  await s.type(input, mirror);
  await s.click(await s.find('form.mirror button[type=submit]'));
  await s.click(await s.find('[data-testid=download-catalog]'));
  const n = readdirSync(join(CORPUS, 'pdf')).filter((f) => f.endsWith('.pdf')).length;
  await s.waitFor('[data-testid=counts]', { text: new RegExp(`^${n} of \\d+ papers imported`), timeout: 240000 });
  await s.waitFor('tr[data-paper="deepseekmath"] .badge', { text: /download failed/ });
  await s.screenshot('14-download-from-mirror');
  const toasts = await s.exec('return [...document.querySelectorAll(".toast")].map(t => t.textContent).join("\\n")');
  assert.match(toasts, /Download: \d+ imported/);
  assert.match(toasts, /checksum-verified/);
  // a paper the mirror lacks says so in its row
  await s.waitFor('tr[data-paper="deepseekmath"] .badge', { text: /download failed/ });
});
