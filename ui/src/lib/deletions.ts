/**
 * Deleting an annotation or an evidence link, with Undo: the core returns what went and the
 * toast's Undo puts it back exactly (same ids, stances and notes). Views that delete call
 * these, so every deletion can be undone the same way; `after` reloads what the view shows.
 */
import { app } from '../state/app.svelte';
import { deleteAnnotation } from '../api/annotations';
import { restoreDeleted, unlink } from '../api/claims';
import type { Deleted } from '../api/types';
import { deletedTitle, restoredTitle } from './undo';

type After = () => void | Promise<void>;

/** Seconds an Undo is offered. */
export const UNDO_MS = 12000;

function offerUndo(d: Deleted, after?: After) {
  app.toast('info', deletedTitle(d), undefined, UNDO_MS, {
    label: 'Undo',
    run: async () => {
      try {
        const r = await restoreDeleted(d);
        app.toast(r.skipped.length ? 'info' : 'success', restoredTitle(d, r), r.skipped.join('\n') || undefined, r.skipped.length ? 8000 : 2500);
      } catch (e) {
        app.error('Could not undo', e);
      }
      app.revision++;
      await after?.();
    },
  });
}

/** Deletes an annotation (and its evidence links) and offers Undo. */
export async function deleteAnnotationWithUndo(id: string, after?: After): Promise<Deleted | null> {
  try {
    const d = await deleteAnnotation(id);
    offerUndo(d, after);
    app.revision++;
    await after?.();
    return d;
  } catch (e) {
    app.error('Could not delete the annotation', e);
    return null;
  }
}

/** Removes an annotation from a claim's evidence and offers Undo. */
export async function unlinkWithUndo(claimId: string, annotationId: string, after?: After): Promise<Deleted | null> {
  try {
    const d = await unlink(claimId, annotationId);
    offerUndo(d, after);
    app.revision++;
    await after?.();
    return d;
  } catch (e) {
    app.error('Could not remove the evidence', e);
    return null;
  }
}
