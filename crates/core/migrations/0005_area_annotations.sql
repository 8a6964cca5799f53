-- Area annotations: a rectangle drawn on a page (a figure, a table, a scanned page with no
-- text) instead of a quote.
--
-- An area is an annotation like any other (note, tags, colour, evidence for claims, deleted
-- with its links), so it keeps its row in `annotations`; the rectangle lives here, one row per
-- area annotation. `annotations.exact` has CHECK (length(exact) > 0) since 0002 and migrations
-- only add, so an area's row holds U+FFFC OBJECT REPLACEMENT CHARACTER there (Unicode's
-- stand-in for "an object, not text"), empty prefix and suffix, offsets 0..0; the core reads
-- an annotation with a row here as an area and shows its quote as empty. Re-anchoring skips
-- areas: they stay on the version they were drawn on.
--
-- Units: PDF points (1/72 inch) of the page as displayed (crop box, rotation applied), from
-- its top-left corner, y downwards.
CREATE TABLE annotation_areas (
    annotation_id TEXT PRIMARY KEY REFERENCES annotations (id) ON DELETE CASCADE,
    x             REAL NOT NULL CHECK (x >= 0),
    y             REAL NOT NULL CHECK (y >= 0),
    w             REAL NOT NULL CHECK (w > 0),
    h             REAL NOT NULL CHECK (h > 0)
);
