/** Where the main pane is, with a back stack (Alt+Left). */
export type Route =
  | { view: 'library' }
  | { view: 'search'; query?: string }
  | { view: 'claims' }
  | { view: 'claim'; id: string }
  | { view: 'timeline' }
  | { view: 'settings' }
  | { view: 'reader'; sha256: string; paperId: string; title: string; page: number; quote?: string; terms?: string[]; flash?: number; annotate?: boolean };

export interface NavState {
  current: Route;
  back: Route[];
}

export const RAIL: { view: 'library' | 'search' | 'claims' | 'timeline'; label: string; key: string }[] = [
  { view: 'library', label: 'Library', key: '1' },
  { view: 'search', label: 'Search', key: '2' },
  { view: 'claims', label: 'Claims', key: '3' },
  { view: 'timeline', label: 'Timeline', key: '4' },
];

function same(a: Route, b: Route): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Goes to `route`, remembering where we were (at most 50 steps). */
export function push(state: NavState, route: Route): NavState {
  if (same(state.current, route)) return state;
  return { current: route, back: [...state.back, state.current].slice(-50) };
}

/** Replaces the current route without a back step (e.g. page turns in the reader). */
export function replace(state: NavState, route: Route): NavState {
  return { current: route, back: state.back };
}

export function goBack(state: NavState): NavState {
  if (state.back.length === 0) return state;
  return { current: state.back[state.back.length - 1], back: state.back.slice(0, -1) };
}

/** The rail entry a route belongs to (the claim page belongs to Claims). */
export function railOf(route: Route): string | null {
  if (route.view === 'claim') return 'claims';
  if (route.view === 'reader') return null;
  return route.view;
}
