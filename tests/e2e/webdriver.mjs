// A small W3C WebDriver client over fetch, enough to drive the real app through tauri-driver.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
export const KEYS = { Enter: '\uE007', Escape: '\uE00C', Control: '\uE009', Alt: '\uE00A', ArrowDown: '\uE015', ArrowUp: '\uE013', ArrowLeft: '\uE012', ArrowRight: '\uE014', Backspace: '\uE003' };

export class WebDriverError extends Error {}

async function request(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WebDriverError(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  }
  if (!res.ok || (json.value && json.value.error)) {
    throw new WebDriverError(`${method} ${path}: ${json.value?.error ?? res.status}: ${json.value?.message ?? text.slice(0, 300)}`);
  }
  return json.value;
}

export class Session {
  constructor(base, id, shots) {
    this.base = base;
    this.id = id;
    this.shots = shots;
  }

  static async start(base, capabilities, shots) {
    const deadline = Date.now() + 30000;
    for (;;) {
      try {
        const v = await request(base, 'POST', '/session', { capabilities: { alwaysMatch: capabilities } });
        return new Session(base, v.sessionId, shots);
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await sleep(500);
      }
    }
  }

  cmd(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }
  async quit() {
    try {
      await request(this.base, 'DELETE', `/session/${this.id}`);
    } catch {
      /* the app may already be gone */
    }
  }

  async find(css) {
    const v = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return v[ELEMENT];
  }
  async findAll(css) {
    const v = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return v.map((e) => e[ELEMENT]);
  }
  /** Waits until `css` matches (and, if given, `pred(text)` holds); returns the element id. */
  async waitFor(css, { timeout = 20000, text } = {}) {
    const deadline = Date.now() + timeout;
    let last = '';
    for (;;) {
      try {
        const els = await this.findAll(css);
        for (const el of els) {
          if (!text) return el;
          last = await this.text(el);
          if (typeof text === 'string' ? last.includes(text) : text.test(last)) return el;
        }
      } catch {
        /* page still changing */
      }
      if (Date.now() > deadline) throw new WebDriverError(`timed out waiting for ${css}${text ? ` with text ${text}` : ''} (last text: ${last.slice(0, 200)})`);
      await sleep(250);
    }
  }
  async waitUntil(script, { timeout = 20000, args = [] } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const v = await this.exec(script, args).catch(() => null);
      if (v) return v;
      if (Date.now() > deadline) throw new WebDriverError(`timed out waiting for: ${script}`);
      await sleep(250);
    }
  }
  click(el) {
    return this.cmd('POST', `/element/${el}/click`, {});
  }
  type(el, text) {
    return this.cmd('POST', `/element/${el}/value`, { text });
  }
  clear(el) {
    return this.cmd('POST', `/element/${el}/clear`, {});
  }
  text(el) {
    return this.cmd('GET', `/element/${el}/text`);
  }
  exec(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }
  execAsync(script, args = []) {
    return this.cmd('POST', '/execute/async', { script, args });
  }
  /** Presses a key chord on the focused element through the Actions API. */
  async chord(...keys) {
    const down = keys.map((k) => ({ type: 'keyDown', value: k }));
    const up = [...keys].reverse().map((k) => ({ type: 'keyUp', value: k }));
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'kb', actions: [...down, ...up] }] });
    await this.cmd('DELETE', '/actions').catch(() => {});
  }
  async screenshot(name) {
    // let the page settle: two animation frames and a short pause, so the capture is not stale
    await this.execAsync('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 250)));').catch(() => {});
    // Without accelerated compositing (the app turns it off, src-tauri/src/memory.rs) WebKit
    // takes the screenshot at the next paint, and an idle page never paints again: one pixel
    // in the corner flickers by 1 % opacity until the capture is done.
    await this.exec(`
      const d = document.createElement('div');
      d.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;z-index:2147483647';
      document.documentElement.append(d);
      let on = false;
      const timer = setInterval(() => (d.style.background = (on = !on) ? 'rgb(0 0 0 / 0.01)' : 'transparent'), 16);
      window.__e2eStopFlicker = () => (clearInterval(timer), d.remove());
    `).catch(() => {});
    const b64 = await this.cmd('GET', '/screenshot').finally(() => this.exec('window.__e2eStopFlicker?.()').catch(() => {}));
    mkdirSync(this.shots, { recursive: true });
    const file = join(this.shots, `${name}.png`);
    writeFileSync(file, Buffer.from(b64, 'base64'));
    return file;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
