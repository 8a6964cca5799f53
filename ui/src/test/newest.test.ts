import { describe, expect, it } from 'vitest';
import { newest, STALE } from '../lib/newest';

/** A request whose answer the test releases when it chooses. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A search backend whose answers arrive in whatever order the test releases them. */
function backend() {
  const pending = new Map<string, ReturnType<typeof deferred<string[]>>>();
  const search = (q: string) => {
    const d = deferred<string[]>();
    pending.set(q, d);
    return d.promise;
  };
  return { search, pending };
}

describe('newest', () => {
  it('shows the last query typed when earlier answers arrive after it', async () => {
    const { search, pending } = backend();
    const run = newest(search);
    let shown: string[] | null = null;
    const typed = ['a', 'ah', 'aha'].map((q) => run(q).then((r) => r !== STALE && (shown = r)));
    pending.get('aha')!.resolve(['hit for aha']);
    pending.get('a')!.resolve(['hit for a']);
    pending.get('ah')!.resolve(['hit for ah']);
    await Promise.all(typed);
    expect(shown).toEqual(['hit for aha']);
  });

  it('gives the answer of each query when they arrive in order', async () => {
    const { search, pending } = backend();
    const run = newest(search);
    const first = run('g');
    pending.get('g')!.resolve(['g1']);
    expect(await first).toEqual(['g1']);
    const second = run('gr');
    pending.get('gr')!.resolve(['gr1']);
    expect(await second).toEqual(['gr1']);
  });

  it('marks every answer but the newest as stale', async () => {
    const { search, pending } = backend();
    const run = newest(search);
    const answers = ['x', 'xy', 'xyz'].map((q) => run(q));
    for (const q of ['xy', 'xyz', 'x']) pending.get(q)!.resolve([q]);
    expect(await Promise.all(answers)).toEqual([STALE, STALE, ['xyz']]);
  });

  it('drops the error of a stale request and reports the newest one', async () => {
    const { search, pending } = backend();
    const run = newest(search);
    const old = run('"unclosed');
    const latest = run('"unclosed phrase"');
    pending.get('"unclosed')!.reject(new Error('unbalanced quote'));
    pending.get('"unclosed phrase"')!.resolve(['phrase hit']);
    expect(await old).toBe(STALE);
    expect(await latest).toEqual(['phrase hit']);
    const bad = run('"again');
    pending.get('"again')!.reject(new Error('unbalanced quote'));
    await expect(bad).rejects.toThrow('unbalanced quote');
  });

  it('drop() makes the answers in flight stale (a cleared query shows nothing)', async () => {
    const { search, pending } = backend();
    const run = newest(search);
    const inflight = run('moe');
    run.drop();
    pending.get('moe')!.resolve(['moe hit']);
    expect(await inflight).toBe(STALE);
  });

  it('numbers requests so a later step (the next frame) can check it is still current', async () => {
    const { search, pending } = backend();
    const run = newest(search);
    const a = run('a');
    const n = run.started();
    expect(run.isNewest(n)).toBe(true);
    const b = run('b');
    expect(run.isNewest(n)).toBe(false);
    expect(run.isNewest(run.started())).toBe(true);
    pending.get('a')!.resolve([]);
    pending.get('b')!.resolve([]);
    await Promise.all([a, b]);
  });
});
