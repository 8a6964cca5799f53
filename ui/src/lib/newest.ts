/**
 * Search as you type without a debounce: every keystroke starts a request at once, and only the
 * newest request's answer (or error) is shown. An answer that arrives after a newer request
 * started is stale and comes back as `STALE`, so a slow early query can never overwrite the
 * results of a later one, whatever order the answers arrive in.
 */
export const STALE = Symbol('stale');

export interface Newest<A extends unknown[], T> {
  /** Starts a request; resolves to its answer, or `STALE` if a newer request started meanwhile. */
  (...args: A): Promise<T | typeof STALE>;
  /** Makes every request in flight stale (e.g. the query was cleared). */
  drop(): void;
  /** Whether the request numbered `n` (see `started`) is still the newest. */
  isNewest(n: number): boolean;
  /** How many requests have started; the last one's number. */
  started(): number;
}

export function newest<A extends unknown[], T>(work: (...args: A) => Promise<T>): Newest<A, T> {
  let seq = 0;
  const run = async (...args: A): Promise<T | typeof STALE> => {
    const mine = ++seq;
    try {
      const value = await work(...args);
      return mine === seq ? value : STALE;
    } catch (e) {
      if (mine !== seq) return STALE;
      throw e;
    }
  };
  run.drop = () => {
    seq++;
  };
  run.isNewest = (n: number) => n === seq;
  run.started = () => seq;
  return run;
}
