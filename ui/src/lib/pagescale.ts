/** How finely the reader draws a PDF page. */

/** Most pixels a page canvas may have: 16 M, 64 MB of bitmap. */
export const MAX_CANVAS_PIXELS = 1 << 24;

/**
 * Device pixels per CSS pixel for a page drawn `width` × `height` CSS pixels: the screen's
 * ratio, lowered only where the canvas would pass MAX_CANVAS_PIXELS (high zoom on a dense
 * screen), so that the page stays sharp without one canvas taking hundreds of MB.
 */
export function outputScale(width: number, height: number, devicePixelRatio: number): number {
  const dpr = devicePixelRatio > 0 ? devicePixelRatio : 1;
  const fit = Math.sqrt(MAX_CANVAS_PIXELS / Math.max(1, width * height));
  return Math.min(dpr, fit);
}
