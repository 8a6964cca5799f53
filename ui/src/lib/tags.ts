/**
 * Tags as the annotation forms read them. The core's rule (`check_tag` in
 * crates/core/src/evidence/annotation.rs) is that a tag is one word without spaces; the
 * forms take tags separated by commas or spaces, so every tag they send is one the core
 * accepts, and the chips under the field show what will be saved.
 */
export function splitTags(text: string): string[] {
  const seen = new Set<string>();
  for (const t of text.split(/[\s,]+/)) if (t) seen.add(t);
  return [...seen];
}
