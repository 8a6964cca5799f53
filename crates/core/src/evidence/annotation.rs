//! Annotations: anchored spans of a paper version's page text with a note, tags and a colour.

use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::evidence::anchor::{context, loose_occurrences, occurrences, reanchor, span_fits, trim_span, Anchor};
use crate::evidence::deleted::Deleted;
use crate::ingest::extract::{EXTRACTOR_NAME, EXTRACTOR_VERSION};
use crate::ingest::passage::char_slice;
use crate::library::Library;
use crate::model::Colour;

/// What an area annotation stores in `annotations.exact`, whose schema wants a non-empty
/// quote: U+FFFC OBJECT REPLACEMENT CHARACTER, Unicode's own stand-in for "an object, not
/// text". The rectangle itself lives in `annotation_areas` (migration 0005); [`Annotation`]
/// shows an area's `exact` as empty.
pub(crate) const AREA_EXACT: &str = "\u{FFFC}";

/// A rectangle on a page, in PDF points (1/72 inch) of the page as displayed (its crop box,
/// rotation applied), from the top-left corner, y downwards: the units of a pdf.js viewport
/// at scale 1. Exported as a W3C media-fragments `xywh=pixel:x,y,w,h` selector with one
/// pixel per point.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Area {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width (> 0).
    pub w: f64,
    /// Height (> 0).
    pub h: f64,
}

impl Area {
    /// Checks that the rectangle is finite, starts on the page and has a size, rounding to
    /// hundredths of a point.
    pub(crate) fn checked(self) -> Result<Area> {
        let r = |v: f64| (v * 100.0).round() / 100.0;
        let a = Area { x: r(self.x), y: r(self.y), w: r(self.w), h: r(self.h) };
        if [a.x, a.y, a.w, a.h].iter().all(|v| v.is_finite()) && a.x >= 0.0 && a.y >= 0.0 && a.w > 0.0 && a.h > 0.0 {
            Ok(a)
        } else {
            Err(Error::invalid(
                "area",
                format!(
                    "the rectangle {}, {}, {} × {} is not on the page; draw it again",
                    self.x, self.y, self.w, self.h
                ),
            ))
        }
    }
}

/// An annotation as stored, with where it anchors.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// Id.
    pub id: String,
    /// The paper of the version.
    pub paper_id: String,
    /// The version the quote anchors in.
    pub version_sha256: String,
    /// 1-based page.
    pub page: u32,
    /// The quote (empty for an area annotation).
    pub exact: String,
    /// Up to 32 characters before the quote.
    pub prefix: String,
    /// Up to 32 characters after the quote.
    pub suffix: String,
    /// Start offset in the page's normalized text (chars).
    pub start: usize,
    /// End offset (chars, exclusive).
    pub end: usize,
    /// Extractor name when anchored.
    pub extractor: String,
    /// Extractor version when anchored.
    pub extractor_version: String,
    /// The note.
    pub note: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Colour.
    pub color: Colour,
    /// True when the quote could not be found again after the text changed.
    pub orphaned: bool,
    /// `user`, `catalog`, `suggestion` or `bundle`.
    pub origin: String,
    /// Ids of claims this annotation is evidence for.
    pub claims: Vec<String>,
    /// The rectangle of an area annotation (`None` for a quote).
    pub area: Option<Area>,
    /// Created, RFC 3339.
    pub created_at: String,
    /// Last changed, RFC 3339.
    pub updated_at: String,
}

/// What to annotate: a selection (the quote and where it starts and ends in the page's stored
/// text), a quote to find on the page, explicit offsets, or an area of the page.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NewAnnotation {
    /// Paper id.
    pub paper: String,
    /// Version sha256 (default: the paper's current version).
    pub version: Option<String>,
    /// 1-based page.
    pub page: u32,
    /// The quote: as selected (with `start` and `end`), or to find on the page. Compared
    /// loosely: spacing, hyphenation, ligatures, case and punctuation never matter.
    pub quote: Option<String>,
    /// Which occurrence (1-based) when the quote is found more than once and no offsets say
    /// where it was selected.
    pub occurrence: Option<usize>,
    /// Start offset (chars) in the page's stored text. With a quote, where it was selected:
    /// the annotation anchors there when the span holds the quote, else at the occurrence of
    /// the quote nearest to it. Without a quote, with `end`, the span to annotate.
    pub start: Option<usize>,
    /// End offset (chars, exclusive).
    pub end: Option<usize>,
    /// A rectangle of the page instead of text (pages without text included).
    pub area: Option<Area>,
    /// Note.
    pub note: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Colour (default yellow).
    pub color: Option<Colour>,
}

/// Changes to an annotation; `None` leaves a field as it is.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AnnotationEdit {
    /// New note.
    pub note: Option<String>,
    /// New tags (replacing the old).
    pub tags: Option<Vec<String>>,
    /// New colour.
    pub color: Option<Colour>,
}

/// Which annotations to list.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AnnotationFilter {
    /// Only this paper.
    pub paper: Option<String>,
    /// Only this version.
    pub version: Option<String>,
    /// Only this page.
    pub page: Option<u32>,
    /// Only annotations with this tag.
    pub tag: Option<String>,
}

impl Annotation {
    /// Where this annotation anchors, for re-anchoring.
    pub fn anchor(&self) -> Anchor {
        Anchor::new(self.page, &self.exact, &self.prefix, &self.suffix, self.start, self.end)
    }
}

const SELECT: &str = "SELECT a.id, v.paper_id, a.version_sha256, a.page, a.exact, a.prefix, a.suffix, a.start, a.end,
    a.extractor, a.extractor_version, a.note, a.tags, a.color, a.orphaned, a.origin, a.created_at, a.updated_at,
    (SELECT json_group_array(claim_id) FROM (SELECT claim_id FROM evidence e WHERE e.annotation_id = a.id ORDER BY claim_id)),
    ar.x, ar.y, ar.w, ar.h
    FROM annotations a JOIN versions v ON v.sha256 = a.version_sha256
    LEFT JOIN annotation_areas ar ON ar.annotation_id = a.id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Annotation> {
    let tags: String = r.get(12)?;
    let claims: String = r.get(18)?;
    let area = match r.get::<_, Option<f64>>(19)? {
        Some(x) => Some(Area { x, y: r.get(20)?, w: r.get(21)?, h: r.get(22)? }),
        None => None,
    };
    Ok(Annotation {
        id: r.get(0)?,
        paper_id: r.get(1)?,
        version_sha256: r.get(2)?,
        page: r.get(3)?,
        exact: if area.is_some() { String::new() } else { r.get(4)? },
        prefix: r.get(5)?,
        suffix: r.get(6)?,
        start: r.get::<_, i64>(7)? as usize,
        end: r.get::<_, i64>(8)? as usize,
        extractor: r.get(9)?,
        extractor_version: r.get(10)?,
        note: r.get(11)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        color: r.get(13)?,
        orphaned: r.get::<_, i64>(14)? != 0,
        origin: r.get(15)?,
        created_at: r.get(16)?,
        updated_at: r.get(17)?,
        claims: serde_json::from_str(&claims).unwrap_or_default(),
        area,
    })
}

/// Reads one annotation.
pub(crate) fn get(conn: &Connection, id: &str) -> Result<Annotation> {
    conn.query_row(&format!("{SELECT} WHERE a.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { kind: "annotation", id: id.to_string() })
}

/// The current (newest) version of a paper.
pub(crate) fn current_version(conn: &Connection, paper: &str) -> Result<String> {
    let exists: Option<String> =
        conn.query_row("SELECT id FROM papers WHERE id = ?1", [paper], |r| r.get(0)).optional()?;
    if exists.is_none() {
        return Err(Error::NotFound { kind: "paper", id: paper.to_string() });
    }
    conn.query_row(
        "SELECT sha256 FROM versions WHERE paper_id = ?1 ORDER BY COALESCE(created, imported_at) DESC, rowid DESC LIMIT 1",
        [paper],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::invalid("paper", format!("`{paper}` has no imported PDF yet; import it first")))
}

/// The one rule for tags, shared by every shell: a tag is one word (no spaces), such as
/// `cost` or `chain-of-thought`.
pub fn check_tag(tag: &str) -> Result<()> {
    if tag.is_empty() || tag.contains(char::is_whitespace) {
        return Err(Error::invalid(
            "tag",
            format!("“{tag}” is not a tag: a tag is one word without spaces, such as cost or chain-of-thought"),
        ));
    }
    Ok(())
}

fn normalize_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(crate) fn clean_tags(tags: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = t.trim().to_string();
        check_tag(&t)?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

fn new_id(prefix: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.update(format!("{:?}", std::time::SystemTime::now()).as_bytes());
    format!("{prefix}{}", &hex::encode(h.finalize())[..10])
}

impl Library {
    /// Creates an annotation from a quote found on a page (or from explicit offsets).
    pub fn annotate(&self, new: &NewAnnotation) -> Result<Annotation> {
        let _guard = self.try_write()?;
        let conn = self.conn();
        let version = match &new.version {
            Some(v) => {
                let paper: Option<String> =
                    conn.query_row("SELECT paper_id FROM versions WHERE sha256 = ?1", [v], |r| r.get(0)).optional()?;
                match paper {
                    Some(p) if p == new.paper || new.paper.is_empty() => v.clone(),
                    Some(p) => {
                        return Err(Error::invalid(
                            "version",
                            format!("version {v} belongs to `{p}`, not `{}`", new.paper),
                        ))
                    }
                    None => return Err(Error::NotFound { kind: "version", id: v.clone() }),
                }
            }
            None => current_version(&conn, &new.paper)?,
        };
        let pages: u32 = conn.query_row("SELECT pages FROM versions WHERE sha256 = ?1", [&version], |r| r.get(0))?;
        if new.page == 0 || new.page > pages {
            return Err(Error::invalid(
                "page",
                format!("page {} is out of range; `{}` has pages 1 to {pages}", new.page, new.paper),
            ));
        }
        let color = new.color.unwrap_or_default();
        let tags = clean_tags(&new.tags)?;
        if let Some(area) = new.area {
            let area = area.checked()?;
            let id = new_id("a-", &[&version, &new.page.to_string(), &format!("{area:?}")]);
            let now = crate::date::now_rfc3339();
            let tx = conn.unchecked_transaction()?;
            tx.execute(
                "INSERT INTO annotations (id, version_sha256, page, exact, prefix, suffix, start, end, extractor, extractor_version, note, tags, color, orphaned, origin, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, '', '', 0, 0, ?5, ?6, ?7, ?8, ?9, 0, 'user', ?10, ?10)",
                rusqlite::params![
                    id,
                    version,
                    new.page,
                    AREA_EXACT,
                    EXTRACTOR_NAME,
                    EXTRACTOR_VERSION,
                    new.note,
                    serde_json::to_string(&tags)?,
                    color,
                    now
                ],
            )?;
            tx.execute(
                "INSERT INTO annotation_areas (annotation_id, x, y, w, h) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![id, area.x, area.y, area.w, area.h],
            )?;
            tx.commit()?;
            return get(&conn, &id);
        }
        let text: String = conn.query_row(
            "SELECT text FROM pages WHERE version_sha256 = ?1 AND page = ?2",
            (&version, new.page),
            |r| r.get(0),
        )?;
        let total = text.chars().count();
        let (start, end) = match (&new.quote, new.start, new.end) {
            (Some(q), Some(s), Some(e)) => anchor_selection(&text, q, s, e, new.occurrence, new.page)?,
            (Some(q), _, _) => locate_quote(&text, q, new.occurrence, None, new.page)?,
            (None, Some(s), Some(e)) if s < e && e <= total => (s, e),
            (None, Some(s), Some(e)) => {
                return Err(Error::invalid(
                    "offsets",
                    format!("{s}..{e} is not a span of page {} (0..{total})", new.page),
                ))
            }
            _ => return Err(Error::invalid("quote", "give the quote to annotate (or start and end offsets)")),
        };
        let exact = char_slice(&text, start, end).to_string();
        if exact.trim().is_empty() {
            return Err(Error::invalid("quote", "the selection holds no text"));
        }
        let (prefix, suffix) = context(&text, start, end);
        let id = new_id("a-", &[&version, &new.page.to_string(), &start.to_string(), &end.to_string()]);
        let now = crate::date::now_rfc3339();
        conn.execute(
            "INSERT INTO annotations (id, version_sha256, page, exact, prefix, suffix, start, end, extractor, extractor_version, note, tags, color, orphaned, origin, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0, 'user', ?14, ?14)",
            rusqlite::params![
                id,
                version,
                new.page,
                exact,
                prefix,
                suffix,
                start as i64,
                end as i64,
                EXTRACTOR_NAME,
                EXTRACTOR_VERSION,
                new.note,
                serde_json::to_string(&tags)?,
                color,
                now
            ],
        )?;
        get(&conn, &id)
    }

    /// Lists annotations, by paper, page and position.
    pub fn annotations(&self, filter: &AnnotationFilter) -> Result<Vec<Annotation>> {
        let conn = self.conn();
        if let Some(p) = &filter.paper {
            let exists: Option<String> =
                conn.query_row("SELECT id FROM papers WHERE id = ?1", [p], |r| r.get(0)).optional()?;
            if exists.is_none() {
                return Err(Error::NotFound { kind: "paper", id: p.clone() });
            }
        }
        let mut stmt = conn.prepare(&format!(
            "{SELECT} WHERE (?1 IS NULL OR v.paper_id = ?1) AND (?2 IS NULL OR a.version_sha256 = ?2)
               AND (?3 IS NULL OR a.page = ?3)
               AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(a.tags) WHERE value = ?4))
             ORDER BY v.paper_id, a.page, a.start, a.id"
        ))?;
        let rows = stmt
            .query_map(rusqlite::params![filter.paper, filter.version, filter.page, filter.tag], from_row)?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// One annotation.
    pub fn annotation(&self, id: &str) -> Result<Annotation> {
        get(&self.conn(), id)
    }

    /// Changes an annotation's note, tags or colour.
    pub fn edit_annotation(&self, id: &str, edit: &AnnotationEdit) -> Result<Annotation> {
        let _guard = self.try_write()?;
        let conn = self.conn();
        let mut a = get(&conn, id)?;
        if let Some(c) = edit.color {
            a.color = c;
        }
        if let Some(t) = &edit.tags {
            a.tags = clean_tags(t)?;
        }
        if let Some(n) = &edit.note {
            a.note = n.clone();
        }
        conn.execute(
            "UPDATE annotations SET note = ?2, tags = ?3, color = ?4, updated_at = ?5 WHERE id = ?1",
            rusqlite::params![id, a.note, serde_json::to_string(&a.tags)?, a.color, crate::date::now_rfc3339()],
        )?;
        get(&conn, id)
    }

    /// Deletes an annotation and the evidence links that use it. Returns what went, whole
    /// (the annotation, its links with their stances and notes, the catalog locators it
    /// resolved), for [`Library::restore`] to put back; [`Deleted::claims`] are the claims
    /// whose verdicts may change.
    pub fn delete_annotation(&self, id: &str) -> Result<Deleted> {
        let _guard = self.try_write()?;
        let conn = self.conn();
        let a = get(&conn, id)?;
        let links = crate::evidence::deleted::links_of(&conn, Some(id), None)?;
        let locators = crate::evidence::deleted::locators_of(&conn, id)?;
        let tx = conn.unchecked_transaction()?;
        tx.execute("DELETE FROM evidence WHERE annotation_id = ?1", [id])?;
        tx.execute("UPDATE locators SET annotation_id = NULL, status = 'deleted' WHERE annotation_id = ?1", [id])?;
        tx.execute("DELETE FROM annotations WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(Deleted { annotation: Some(a), links, locators })
    }

    /// Re-anchors the annotations of a paper's other versions in its current version: found
    /// quotes move there, quotes not found are flagged orphaned and kept where they were.
    /// Returns (moved, orphaned).
    pub fn reanchor_paper(&self, paper: &str) -> Result<(usize, usize)> {
        let conn = self.conn();
        reanchor_paper(&conn, paper)
    }
}

/// Re-anchoring inside an open transaction or connection.
pub(crate) fn reanchor_paper(conn: &Connection, paper: &str) -> Result<(usize, usize)> {
    let current = current_version(conn, paper)?;
    // An area stays on the version it was drawn on: a rectangle has no text to find again.
    let mut stmt =
        conn.prepare(&format!("{SELECT} WHERE v.paper_id = ?1 AND a.version_sha256 != ?2 AND ar.x IS NULL"))?;
    let stale: Vec<Annotation> = stmt.query_map((paper, &current), from_row)?.collect::<Result<_, _>>()?;
    if stale.is_empty() {
        return Ok((0, 0));
    }
    let mut pstmt = conn.prepare("SELECT text FROM pages WHERE version_sha256 = ?1 ORDER BY page")?;
    let pages: Vec<String> = pstmt.query_map([&current], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let (mut moved, mut orphaned) = (0, 0);
    let now = crate::date::now_rfc3339();
    for a in stale {
        let anchor = a.anchor();
        match reanchor(&anchor, &pages) {
            Some(f) => {
                let text = &pages[f.page as usize - 1];
                let exact = char_slice(text, f.start, f.end).to_string();
                let (prefix, suffix) = context(text, f.start, f.end);
                conn.execute(
                    "UPDATE annotations SET version_sha256 = ?2, page = ?3, start = ?4, end = ?5, exact = ?6, prefix = ?7,
                       suffix = ?8, extractor = ?9, extractor_version = ?10, orphaned = 0, updated_at = ?11 WHERE id = ?1",
                    rusqlite::params![
                        a.id,
                        current,
                        f.page,
                        f.start as i64,
                        f.end as i64,
                        exact,
                        prefix,
                        suffix,
                        EXTRACTOR_NAME,
                        EXTRACTOR_VERSION,
                        now
                    ],
                )?;
                moved += 1;
            }
            None => {
                conn.execute("UPDATE annotations SET orphaned = 1, updated_at = ?2 WHERE id = ?1", (&a.id, &now))?;
                orphaned += 1;
            }
        }
    }
    Ok((moved, orphaned))
}

/// Anchors a selection: at `start..end` when that span of the page holds the quote (compared
/// loosely, see [`span_fits`]), else at the occurrence of the quote nearest to `start`.
fn anchor_selection(
    text: &str,
    quote: &str,
    start: usize,
    end: usize,
    occurrence: Option<usize>,
    page: u32,
) -> Result<(usize, usize)> {
    let (s, e) = trim_span(text, start, end);
    if span_fits(text, s, e, quote) {
        return Ok((s, e));
    }
    locate_quote(text, quote, occurrence, Some(start), page)
}

/// Finds a quote on a page: as written (whitespace-insensitively), else loosely (letters and
/// digits only). Several occurrences need `occurrence`, or a `near` offset to choose the
/// nearest.
fn locate_quote(
    text: &str,
    quote: &str,
    occurrence: Option<usize>,
    near: Option<usize>,
    page: u32,
) -> Result<(usize, usize)> {
    let q = normalize_ws(quote);
    if q.is_empty() {
        return Err(Error::invalid("quote", "the quote is empty"));
    }
    // Match against the page with whitespace collapsed, mapping offsets back.
    let hits: Vec<(usize, usize)> = {
        let chars: Vec<char> = text.chars().collect();
        let mut collapsed = String::new();
        let mut map = Vec::new();
        let mut last_space = false;
        for (i, c) in chars.iter().enumerate() {
            if c.is_whitespace() {
                if !last_space {
                    collapsed.push(' ');
                    map.push(i);
                }
                last_space = true;
            } else {
                collapsed.push(*c);
                map.push(i);
                last_space = false;
            }
        }
        let n = q.chars().count();
        occurrences(&collapsed, &q).into_iter().map(|s| (map[s], map[s + n - 1] + 1)).collect()
    };
    let hits = if hits.is_empty() { loose_occurrences(text, &q) } else { hits };
    // where it was selected decides between occurrences, unless one is named
    if let Some(nearest) =
        near.filter(|_| occurrence.is_none()).and_then(|at| hits.iter().copied().min_by_key(|&(s, _)| s.abs_diff(at)))
    {
        return Ok(nearest);
    }
    match (hits.len(), occurrence) {
        (0, _) => Err(Error::invalid("quote", format!("`{}` is not on page {page}", shorten(&q)))),
        (1, None) | (1, Some(1)) => Ok(hits[0]),
        (n, Some(k)) if k >= 1 && k <= n => Ok(hits[k - 1]),
        (n, Some(k)) => {
            Err(Error::invalid("occurrence", format!("{k} is out of range: the quote occurs {n} times on page {page}")))
        }
        (n, None) => Err(Error::invalid(
            "quote",
            format!("`{}` occurs {n} times on page {page}; give --occurrence 1 to {n}, or a longer quote", shorten(&q)),
        )),
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_found_whitespace_insensitively_and_ambiguity_is_reported() {
        let page = "the aha moment came.  The aha\nmoment again.";
        assert_eq!(locate_quote(page, "aha moment came", None, None, 1).unwrap(), (4, 19));
        let e = locate_quote(page, "aha moment", None, None, 1).unwrap_err().to_string();
        assert!(e.contains("occurs 2 times"), "{e}");
        let (s, e2) = locate_quote(page, "aha   moment", Some(2), None, 1).unwrap();
        assert_eq!(char_slice(page, s, e2), "aha\nmoment");
        assert!(locate_quote(page, "not here", None, None, 3).unwrap_err().to_string().contains("not on page 3"));
        assert!(locate_quote(page, "aha moment", Some(5), None, 1).unwrap_err().to_string().contains("out of range"));
    }

    /// A library in a temporary folder holding one paper version with these page texts.
    fn library_with(pages: &[&str]) -> (tempfile::TempDir, Library, String) {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        let sha = "ab".repeat(32);
        {
            let conn = lib.conn();
            conn.execute("INSERT INTO papers (id, title, created_at) VALUES ('p', 'A paper', '2025-01-01')", [])
                .unwrap();
            conn.execute(
                "INSERT INTO versions (sha256, paper_id, pages, imported_at, file_name, size, extractor, extractor_version)
                 VALUES (?1, 'p', ?2, '2025-01-01', 'p.pdf', 1, 'x', '1')",
                (&sha, pages.len() as u32),
            )
            .unwrap();
            for (i, t) in pages.iter().enumerate() {
                conn.execute(
                    "INSERT INTO pages (version_sha256, page, text) VALUES (?1, ?2, ?3)",
                    (&sha, i as u32 + 1, t),
                )
                .unwrap();
            }
        }
        (dir, lib, sha)
    }

    fn selection(page: u32, quote: &str, start: usize, end: usize) -> NewAnnotation {
        NewAnnotation {
            paper: "p".into(),
            page,
            quote: Some(quote.into()),
            start: Some(start),
            end: Some(end),
            ..Default::default()
        }
    }

    const PAGE: &str = "DeepSeek-R1-Zero is trained via large-scale reinforcement learning without supervised \
fine-tuning as a preliminary step. It shows reasoning. Its reasoning is strong, and reasoning \
emerges; reasoning again, and the fifth reasoning here. The efficient model.";

    fn at(text: &str, needle: &str, nth: usize) -> usize {
        let byte = text.match_indices(needle).nth(nth).unwrap().0;
        text[..byte].chars().count()
    }

    #[test]
    fn a_selection_across_a_hyphenated_line_break_anchors_at_its_offsets() {
        let (_dir, lib, _) = library_with(&[PAGE]);
        // the text layer shows `super-⏎vised` and a ligature; the stored text has neither
        let s = at(PAGE, "learning without", 0);
        let e = at(PAGE, "as a preliminary", 0) - 1;
        let a = lib.annotate(&selection(1, "learning without super-\nvised ﬁne-tuning", s, e)).unwrap();
        assert_eq!((a.start, a.end), (s, e));
        assert_eq!(a.exact, "learning without supervised fine-tuning");
        assert!(a.prefix.ends_with("reinforcement ") && a.suffix.starts_with(" as a"), "{a:?}");
    }

    #[test]
    fn the_fifth_occurrence_of_a_repeated_word_is_anchored_where_selected() {
        let (_dir, lib, _) = library_with(&[PAGE]);
        let s = at(PAGE, "reasoning", 4);
        let a = lib.annotate(&selection(1, "reasoning", s, s + 9)).unwrap();
        assert_eq!((a.start, a.end), (s, s + 9));
        assert!(a.prefix.ends_with("the fifth "), "{}", a.prefix);
    }

    #[test]
    fn offsets_that_do_not_hold_the_quote_fall_back_to_the_nearest_occurrence() {
        let (_dir, lib, _) = library_with(&[PAGE]);
        // offsets a few characters off (an older text of the page): the nearest `reasoning`
        let third = at(PAGE, "reasoning", 2);
        let a = lib.annotate(&selection(1, "reasoning", third + 3, third + 12)).unwrap();
        assert_eq!((a.start, a.end), (third, third + 9));
        // a quote nowhere on the page is refused with a sentence, whatever the offsets say
        let e = lib.annotate(&selection(1, "not on this page", 0, 16)).unwrap_err().to_string();
        assert!(e.contains("is not on page 1") && !e.contains("--"), "{e}");
        // loosely: hyphenation and spacing of a quote without offsets do not matter
        let q = NewAnnotation { quote: Some("super-  vised  fine tuning".into()), ..selection(1, "", 0, 0) };
        let a = lib.annotate(&NewAnnotation { start: None, end: None, ..q }).unwrap();
        assert_eq!(a.exact, "supervised fine-tuning");
    }

    #[test]
    fn an_area_is_stored_with_its_page_and_rectangle_and_deleted_with_it() {
        let (_dir, lib, sha) = library_with(&[PAGE, ""]);
        let area = Area { x: 72.0, y: 90.123, w: 300.0, h: 120.5 };
        let new = NewAnnotation {
            paper: "p".into(),
            page: 2,
            area: Some(area),
            note: "the figure".into(),
            tags: vec!["figure".into()],
            ..Default::default()
        };
        let a = lib.annotate(&new).unwrap();
        assert_eq!(a.area, Some(Area { y: 90.12, ..area }));
        assert_eq!((a.page, a.exact.as_str(), a.version_sha256.as_str()), (2, "", sha.as_str()));
        let listed = lib.annotations(&AnnotationFilter { page: Some(2), ..Default::default() }).unwrap();
        assert_eq!(listed, vec![a.clone()]);
        let bad = NewAnnotation { area: Some(Area { w: 0.0, ..area }), ..new };
        assert!(lib.annotate(&bad).unwrap_err().to_string().contains("is not on the page"));
        lib.delete_annotation(&a.id).unwrap();
        let left: i64 = lib.conn().query_row("SELECT count(*) FROM annotation_areas", [], |r| r.get(0)).unwrap();
        assert_eq!(left, 0);
    }

    proptest::proptest! {
        /// A selection shown the way a text layer shows it (line breaks, hyphenated words,
        /// ligatures, runs of spaces) anchors at exactly its offsets, and the anchor is found
        /// again there.
        #[test]
        fn anchor_at_random_offsets_then_find_again(
            words in proptest::collection::vec("[a-z]{1,10}|fi[a-z]{1,4}|[A-Z][a-z]{2,6}|[0-9]{1,3}\\.", 20..120),
            a in 0usize..200, len in 1usize..25,
            breaks in proptest::collection::vec(0u8..4, 200),
        ) {
            let page = words.join(" ");
            let a = a % words.len();
            let b = (a + len).min(words.len());
            let start: usize = words[..a].iter().map(|w| w.chars().count() + 1).sum();
            let end = start + words[a..b].join(" ").chars().count();
            // the text layer's version of the selection
            let mut shown = String::new();
            for (i, w) in words[a..b].iter().enumerate() {
                if i > 0 {
                    shown.push_str(match breaks[i] { 0 => " ", 1 => "\n", 2 => "  ", _ => " \n" });
                }
                let w = w.replace("fi", "ﬁ");
                let n = w.chars().count();
                if breaks[i] == 3 && n > 3 && w.chars().all(char::is_lowercase) {
                    let cut: String = w.chars().take(n / 2).collect();
                    let rest: String = w.chars().skip(n / 2).collect();
                    shown.push_str(&format!("{cut}-\n{rest}"));
                } else {
                    shown.push_str(&w);
                }
            }
            let got = anchor_selection(&page, &shown, start, end, None, 1).unwrap();
            proptest::prop_assert_eq!(got, (start, end));
            let (prefix, suffix) = context(&page, start, end);
            let anchor = Anchor::new(1, char_slice(&page, start, end), &prefix, &suffix, start, end);
            let found = reanchor(&anchor, std::slice::from_ref(&page)).unwrap();
            proptest::prop_assert_eq!((found.start, found.end), (start, end));
        }
    }

    #[test]
    fn tags_and_colours_are_checked() {
        assert_eq!(
            "mauve".parse::<Colour>().unwrap_err().to_string(),
            "`mauve` is not a colour; use one of yellow, green, blue, pink, orange, purple"
        );
        assert_eq!(Colour::ALL.map(|c| c.as_str().parse::<Colour>().unwrap()), Colour::ALL);
        assert_eq!(serde_json::to_string(&Colour::Purple).unwrap(), "\"purple\"");
        let e = clean_tags(&["two words".into()]).unwrap_err().to_string();
        assert!(e.contains("“two words” is not a tag") && e.contains("one word"), "{e}");
        assert_eq!(clean_tags(&["cost".into(), "cost".into()]).unwrap(), vec!["cost".to_string()]);
    }
}
