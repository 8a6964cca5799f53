/** A tiny reducer for moving a selection through a list with the keyboard. */
export type NavAction = 'next' | 'prev' | 'first' | 'last' | 'pageDown' | 'pageUp' | { set: number };

export function navigate(index: number, count: number, action: NavAction, pageSize = 10): number {
  if (count <= 0) return -1;
  const clamp = (i: number) => Math.max(0, Math.min(count - 1, i));
  if (typeof action === 'object') return clamp(action.set);
  switch (action) {
    case 'next':
      return index < 0 ? 0 : clamp(index + 1);
    case 'prev':
      return index < 0 ? 0 : clamp(index - 1);
    case 'first':
      return 0;
    case 'last':
      return count - 1;
    case 'pageDown':
      return clamp((index < 0 ? 0 : index) + pageSize);
    case 'pageUp':
      return clamp((index < 0 ? 0 : index) - pageSize);
  }
}

/** Maps a keyboard event key to a navigation action, or null. */
export function keyToAction(key: string): NavAction | null {
  switch (key) {
    case 'ArrowDown':
      return 'next';
    case 'ArrowUp':
      return 'prev';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'PageDown':
      return 'pageDown';
    case 'PageUp':
      return 'pageUp';
    default:
      return null;
  }
}

/**
 * In a filter box above a list: the item ↑ or ↓ moves the list's choice to (the key's own
 * effect, moving the caret, is prevented), or null for every other key, which stays with the
 * box (Home and End move the caret there).
 */
export function arrowChoice<T>(
  e: Pick<KeyboardEvent, 'key' | 'preventDefault'>,
  items: readonly T[],
  isCurrent: (item: T) => boolean,
): T | null {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return null;
  e.preventDefault();
  const i = navigate(items.findIndex(isCurrent), items.length, e.key === 'ArrowDown' ? 'next' : 'prev');
  return i < 0 ? null : items[i];
}
