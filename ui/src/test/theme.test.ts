import { describe, expect, it } from 'vitest';
import { applyTheme, effectiveTheme } from '../lib/theme';

/** Just what applyTheme touches: the root element's dataset. */
const root = () => ({ dataset: {} as Record<string, string | undefined> }) as unknown as HTMLElement;

describe('applyTheme', () => {
  it('sets data-theme for an explicit choice and removes it for the system theme', () => {
    const r = root();
    applyTheme('dark', r);
    expect(r.dataset.theme).toBe('dark');
    applyTheme('light', r);
    expect(r.dataset.theme).toBe('light');
    applyTheme('system', r);
    expect('theme' in r.dataset).toBe(false);
  });
});

describe('effectiveTheme', () => {
  it('follows the system only when the choice is system', () => {
    expect(effectiveTheme('system', true)).toBe('dark');
    expect(effectiveTheme('system', false)).toBe('light');
    expect(effectiveTheme('light', true)).toBe('light');
    expect(effectiveTheme('dark', false)).toBe('dark');
  });
});
