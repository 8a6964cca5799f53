/** Applies a theme at once: `data-theme` on the root overrides the system's light or dark setting. */
import type { Theme } from '../bindings/Theme';

export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement) {
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}

/** The theme actually shown: an explicit choice, else what the system prefers. */
export function effectiveTheme(theme: Theme, systemDark: boolean): 'light' | 'dark' {
  return theme === 'system' ? (systemDark ? 'dark' : 'light') : theme;
}
