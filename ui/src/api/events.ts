/** The core's events, forwarded by src-tauri/src/events.rs as the `core` window event. */
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import type { CoreEvent } from '../lib/jobs';

export function onCoreEvent(cb: (ev: CoreEvent) => void): Promise<UnlistenFn> {
  return listen<CoreEvent>('core', (e) => cb(e.payload));
}

/** Files dropped anywhere on the window; `over` tells whether a drag hovers. */
export function onFileDrop(cb: (paths: string[]) => void, over: (hovering: boolean) => void): Promise<UnlistenFn> {
  return getCurrentWebview().onDragDropEvent((e) => {
    const p = e.payload;
    if (p.type === 'over' || p.type === 'enter') over(true);
    else if (p.type === 'leave') over(false);
    else if (p.type === 'drop') {
      over(false);
      if (p.paths.length) cb(p.paths);
    }
  });
}
