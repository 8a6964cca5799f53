//! Undo for deletions: deleting an annotation or an evidence link returns a [`Deleted`]
//! record of everything that went (the annotation with its anchor, area, note, tags and
//! dates; each link with its id, stance, note, origin and date; the catalog locators the
//! annotation resolved), and [`Library::restore`] puts it back exactly, with the same ids.
//!
//! A record is plain data (the app keeps it for the few seconds its Undo is offered), so
//! restore checks it as it would any input: an id already taken, a version or claim that
//! no longer exists, a tag the core does not accept (a colour it does not have does not
//! deserialize).

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::evidence::annotation::{self, clean_tags, Annotation, AREA_EXACT};
use crate::library::Library;
use crate::model::Stance;

/// One stored evidence link, as it was.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceLink {
    /// The link's row id (kept when restored, unless taken meanwhile).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// The claim.
    pub claim_id: String,
    /// The annotation.
    pub annotation_id: String,
    /// The stance.
    pub stance: Stance,
    /// The note on the link.
    pub note: String,
    /// `catalog`, `user`, `suggestion` or `bundle`.
    pub origin: String,
    /// When the link was made, RFC 3339.
    pub created_at: String,
}

/// A catalog locator that had resolved into the deleted annotation.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocatorLink {
    /// The claim of the locator.
    pub claim_id: String,
    /// Its position among the claim's locators.
    pub seq: u32,
}

/// What a deletion removed, whole, so that [`Library::restore`] can put it back.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deleted {
    /// The annotation deleted (`None` when only a link was removed).
    pub annotation: Option<Annotation>,
    /// The evidence links removed.
    pub links: Vec<EvidenceLink>,
    /// Catalog locators that pointed at the annotation.
    pub locators: Vec<LocatorLink>,
}

impl Deleted {
    /// The claims that lost evidence (their verdicts may have changed), without repeats.
    pub fn claims(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.links.iter().map(|l| l.claim_id.clone()).collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

/// What a restore put back.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Restored {
    /// The annotation, as stored again.
    pub annotation: Option<Annotation>,
    /// Claims whose evidence links were restored.
    pub claims: Vec<String>,
    /// What could not be put back, in sentences (a claim deleted meanwhile, a link made again).
    pub skipped: Vec<String>,
}

/// The evidence links of an annotation and/or a claim, in id order.
pub(crate) fn links_of(conn: &Connection, annotation: Option<&str>, claim: Option<&str>) -> Result<Vec<EvidenceLink>> {
    let mut stmt = conn.prepare(
        "SELECT id, claim_id, annotation_id, stance, note, origin, created_at FROM evidence
         WHERE (?1 IS NULL OR annotation_id = ?1) AND (?2 IS NULL OR claim_id = ?2) ORDER BY id",
    )?;
    let rows: Vec<(i64, String, String, String, String, String, String)> = stmt
        .query_map(rusqlite::params![annotation, claim], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(id, claim_id, annotation_id, stance, note, origin, created_at)| {
            Ok(EvidenceLink {
                id,
                claim_id,
                annotation_id,
                stance: stance.parse().map_err(|e| Error::invalid("stance", e))?,
                note,
                origin,
                created_at,
            })
        })
        .collect()
}

/// The catalog locators resolved into an annotation.
pub(crate) fn locators_of(conn: &Connection, annotation: &str) -> Result<Vec<LocatorLink>> {
    let mut stmt =
        conn.prepare("SELECT claim_id, seq FROM locators WHERE annotation_id = ?1 ORDER BY claim_id, seq")?;
    let rows = stmt
        .query_map([annotation], |r| Ok(LocatorLink { claim_id: r.get(0)?, seq: r.get(1)? }))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

fn exists(conn: &Connection, sql: &str, id: &str) -> Result<bool> {
    Ok(conn.query_row(sql, [id], |_| Ok(())).optional()?.is_some())
}

/// Stores a deleted annotation again, exactly as it was.
fn put_back(conn: &Connection, a: &Annotation) -> Result<()> {
    if exists(conn, "SELECT 1 FROM annotations WHERE id = ?1", &a.id)? {
        return Err(Error::invalid(
            "annotation",
            format!("`{}` is in the library already; it was restored before", a.id),
        ));
    }
    let pages: Option<u32> =
        conn.query_row("SELECT pages FROM versions WHERE sha256 = ?1", [&a.version_sha256], |r| r.get(0)).optional()?;
    let Some(pages) = pages else {
        return Err(Error::invalid(
            "annotation",
            format!("the PDF annotation `{}` was made on is no longer in the library, so it cannot come back", a.id),
        ));
    };
    if a.page == 0 || a.page > pages {
        return Err(Error::invalid("page", format!("page {} is out of range; the PDF has pages 1 to {pages}", a.page)));
    }
    let tags = clean_tags(&a.tags)?;
    let area = a.area.map(|r| r.checked()).transpose()?;
    let exact = match area {
        Some(_) => AREA_EXACT,
        None if a.exact.trim().is_empty() || a.start >= a.end => {
            return Err(Error::invalid("annotation", format!("`{}` has no quote to restore", a.id)))
        }
        None => a.exact.as_str(),
    };
    conn.execute(
        "INSERT INTO annotations (id, version_sha256, page, exact, prefix, suffix, start, end, extractor, extractor_version, note, tags, color, orphaned, origin, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        rusqlite::params![
            a.id,
            a.version_sha256,
            a.page,
            exact,
            a.prefix,
            a.suffix,
            a.start as i64,
            a.end as i64,
            a.extractor,
            a.extractor_version,
            a.note,
            serde_json::to_string(&tags)?,
            a.color,
            a.orphaned,
            a.origin,
            a.created_at,
            a.updated_at
        ],
    )?;
    if let Some(r) = area {
        conn.execute(
            "INSERT INTO annotation_areas (annotation_id, x, y, w, h) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![a.id, r.x, r.y, r.w, r.h],
        )?;
    }
    Ok(())
}

impl Library {
    /// Puts back what a deletion removed (see the module docs): the annotation with the same
    /// id and anchor, then each link with its stance, note, origin, date and id, then the
    /// catalog locators it had resolved. One transaction: an annotation that cannot come back
    /// changes nothing; a link whose claim was deleted meanwhile, or that was made again, is
    /// skipped and said so.
    pub fn restore(&self, deleted: &Deleted) -> Result<Restored> {
        let _guard = self.try_write()?;
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        if let Some(a) = &deleted.annotation {
            put_back(&tx, a)?;
        }
        let mut restored = Restored { annotation: None, claims: Vec::new(), skipped: Vec::new() };
        for l in &deleted.links {
            if deleted.annotation.as_ref().is_some_and(|a| a.id != l.annotation_id) {
                return Err(Error::invalid(
                    "links",
                    format!("the link to `{}` belongs to another annotation than the one restored", l.claim_id),
                ));
            }
            if !exists(&tx, "SELECT 1 FROM claims WHERE id = ?1", &l.claim_id)? {
                restored
                    .skipped
                    .push(format!("the claim `{}` was deleted meanwhile, so its link is not restored", l.claim_id));
                continue;
            }
            if !exists(&tx, "SELECT 1 FROM annotations WHERE id = ?1", &l.annotation_id)? {
                restored.skipped.push(format!(
                    "the annotation `{}` was deleted meanwhile, so its link to `{}` is not restored",
                    l.annotation_id, l.claim_id
                ));
                continue;
            }
            let linked: Option<String> = tx
                .query_row(
                    "SELECT stance FROM evidence WHERE claim_id = ?1 AND annotation_id = ?2",
                    (&l.claim_id, &l.annotation_id),
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(stance) = linked {
                restored.skipped.push(format!(
                    "the passage was linked to `{}` again meanwhile (as {stance}); that link is kept",
                    l.claim_id
                ));
                continue;
            }
            let id_free =
                !tx.query_row("SELECT EXISTS (SELECT 1 FROM evidence WHERE id = ?1)", [l.id], |r| r.get::<_, bool>(0))?;
            tx.execute(
                "INSERT INTO evidence (id, claim_id, annotation_id, stance, note, origin, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![
                    id_free.then_some(l.id),
                    l.claim_id,
                    l.annotation_id,
                    l.stance.as_str(),
                    l.note,
                    l.origin,
                    l.created_at
                ],
            )?;
            if !restored.claims.contains(&l.claim_id) {
                restored.claims.push(l.claim_id.clone());
            }
        }
        if let Some(a) = &deleted.annotation {
            for loc in &deleted.locators {
                tx.execute(
                    "UPDATE locators SET annotation_id = ?3, status = 'resolved'
                     WHERE claim_id = ?1 AND seq = ?2 AND annotation_id IS NULL AND status = 'deleted'",
                    rusqlite::params![loc.claim_id, loc.seq, a.id],
                )?;
            }
            restored.annotation = Some(annotation::get(&tx, &a.id)?);
        }
        tx.commit()?;
        Ok(restored)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::evidence::annotation::{Area, NewAnnotation};
    use crate::evidence::claims::{NewClaim, Verdict};
    use crate::ingest::extract::{EXTRACTOR_NAME, EXTRACTOR_VERSION};

    const PAGE: &str = "Our total training costs amount to only $5.576M, assuming the rental price of the H800 GPU \
is $2 per GPU hour. The efficient model needs 2.788M GPU hours for its full training.";

    /// A library holding one paper version with one page, and two claims (`cost`, `hours`).
    pub(crate) fn library() -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        {
            let conn = lib.conn();
            conn.execute("INSERT INTO papers (id, title, created_at) VALUES ('p', 'A paper', '2025-01-01')", [])
                .unwrap();
            conn.execute(
                "INSERT INTO versions (sha256, paper_id, pages, imported_at, file_name, size, extractor, extractor_version)
                 VALUES (?1, 'p', 1, '2025-01-01', 'p.pdf', 1, ?2, ?3)",
                ["ab".repeat(32), EXTRACTOR_NAME.into(), EXTRACTOR_VERSION.into()],
            )
            .unwrap();
            conn.execute("INSERT INTO pages (version_sha256, page, text) VALUES (?1, 1, ?2)", ("ab".repeat(32), PAGE))
                .unwrap();
        }
        for (id, text) in [("cost", "Training cost $5.576M"), ("hours", "It took 2.788M GPU hours")] {
            lib.add_claim(&NewClaim { id: Some(id.into()), text: text.into(), ..Default::default() }).unwrap();
        }
        (dir, lib)
    }

    /// An annotation of `q` on page 1.
    pub(crate) fn quote(lib: &Library, q: &str) -> Annotation {
        let new = NewAnnotation {
            paper: "p".into(),
            page: 1,
            quote: Some(q.into()),
            note: "a note".into(),
            tags: vec!["cost".into()],
            color: Some(crate::model::Colour::Green),
            ..Default::default()
        };
        lib.annotate(&new).unwrap()
    }

    fn evidence_rows(lib: &Library) -> Vec<(i64, String, String, String, String, String, String)> {
        let conn = lib.conn();
        let mut stmt = conn
            .prepare("SELECT id, claim_id, annotation_id, stance, note, origin, created_at FROM evidence ORDER BY id")
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        rows
    }

    #[test]
    fn a_deleted_annotation_comes_back_with_the_same_ids_stances_and_notes() {
        let (_dir, lib) = library();
        let a = quote(&lib, "$5.576M");
        let other = quote(&lib, "2.788M GPU hours");
        lib.link("cost", &a.id, Stance::Supports, "the paper's own figure").unwrap();
        lib.link("hours", &a.id, Stance::Context, "").unwrap();
        lib.link("hours", &other.id, Stance::Supports, "").unwrap();
        let before_rows = evidence_rows(&lib);
        let before = lib.annotation(&a.id).unwrap();

        let deleted = lib.delete_annotation(&a.id).unwrap();
        assert_eq!(deleted.claims(), vec!["cost".to_string(), "hours".to_string()]);
        assert_eq!(deleted.links.len(), 2);
        assert_eq!(lib.claims().unwrap().iter().find(|c| c.id == "cost").unwrap().verdict, Verdict::Unresolved);
        assert!(lib.annotation(&a.id).is_err());

        // the record survives a trip through JSON, as the app keeps it
        let record: Deleted = serde_json::from_str(&serde_json::to_string(&deleted).unwrap()).unwrap();
        let restored = lib.restore(&record).unwrap();
        assert_eq!(restored.claims, vec!["cost".to_string(), "hours".to_string()]);
        assert!(restored.skipped.is_empty(), "{:?}", restored.skipped);
        assert_eq!(lib.annotation(&a.id).unwrap(), before);
        assert_eq!(restored.annotation.as_ref(), Some(&before));
        assert_eq!(evidence_rows(&lib), before_rows);
        assert_eq!(lib.claims().unwrap().iter().find(|c| c.id == "cost").unwrap().verdict, Verdict::Supported);

        // a second restore of the same record changes nothing and says why
        let e = lib.restore(&record).unwrap_err().to_string();
        assert!(e.contains("restored before"), "{e}");
        assert_eq!(evidence_rows(&lib), before_rows);
    }

    #[test]
    fn an_area_annotation_comes_back_as_an_area() {
        let (_dir, lib) = library();
        let area = Area { x: 10.0, y: 20.0, w: 30.0, h: 40.0 };
        let a = lib
            .annotate(&NewAnnotation { paper: "p".into(), page: 1, area: Some(area), ..Default::default() })
            .unwrap();
        lib.link("cost", &a.id, Stance::Contradicts, "figure 2").unwrap();
        let deleted = lib.delete_annotation(&a.id).unwrap();
        lib.restore(&deleted).unwrap();
        let back = lib.annotation(&a.id).unwrap();
        assert_eq!((back.area, back.exact.as_str()), (Some(area), ""));
        assert_eq!(lib.claim("cost").unwrap().contradicts[0].note, "figure 2");
    }

    #[test]
    fn links_to_claims_deleted_meanwhile_are_skipped_and_said() {
        let (_dir, lib) = library();
        let a = quote(&lib, "$5.576M");
        lib.link("cost", &a.id, Stance::Supports, "").unwrap();
        lib.link("hours", &a.id, Stance::Context, "").unwrap();
        let deleted = lib.delete_annotation(&a.id).unwrap();
        lib.delete_claim("hours").unwrap();
        let r = lib.restore(&deleted).unwrap();
        assert_eq!(r.claims, vec!["cost".to_string()]);
        assert_eq!(r.skipped.len(), 1);
        assert!(r.skipped[0].contains("`hours` was deleted meanwhile"), "{:?}", r.skipped);
    }

    #[test]
    fn an_unlinked_link_comes_back_with_its_stance_note_and_id() {
        let (_dir, lib) = library();
        let a = quote(&lib, "$5.576M");
        lib.link("cost", &a.id, Stance::Contradicts, "disputed by SemiAnalysis").unwrap();
        let before = evidence_rows(&lib);
        let removed = lib.unlink("cost", &a.id).unwrap();
        assert!(removed.annotation.is_none());
        assert_eq!(lib.claim("cost").unwrap().claim.verdict, Verdict::Unresolved);
        lib.restore(&removed).unwrap();
        assert_eq!(evidence_rows(&lib), before);
        assert_eq!(lib.claim("cost").unwrap().claim.verdict, Verdict::Contradicted);
    }

    #[test]
    fn a_record_that_does_not_fit_the_library_changes_nothing() {
        let (_dir, lib) = library();
        let a = quote(&lib, "$5.576M");
        lib.link("cost", &a.id, Stance::Supports, "").unwrap();
        let mut deleted = lib.delete_annotation(&a.id).unwrap();
        let mut bad = deleted.clone();
        let mut json = serde_json::to_value(&bad).unwrap();
        json["annotation"]["color"] = "mauve".into();
        assert!(serde_json::from_value::<Deleted>(json).is_err(), "a colour the core does not have is not a record");
        bad.annotation.as_mut().unwrap().version_sha256 = "cd".repeat(32);
        assert!(lib.restore(&bad).unwrap_err().to_string().contains("no longer in the library"));
        assert!(lib.annotation(&a.id).is_err());
        assert!(evidence_rows(&lib).is_empty());
        deleted.links[0].annotation_id = "a-other".into();
        assert!(lib.restore(&deleted).unwrap_err().to_string().contains("another annotation"));
        assert!(lib.annotation(&a.id).is_err());
    }
}
