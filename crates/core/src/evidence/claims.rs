//! Claims and evidence. A claim has text, a claimant, a date and a source; evidence links an
//! annotation to it with a stance. The verdict is derived from the links, never typed:
//! supported (supports, no contradicts), contested (both), contradicted (only contradicts),
//! unresolved (only context, or nothing). Catalog claims carry locators that resolve into
//! annotations once their paper is imported.

use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::date::PartialDate;
use crate::error::{Error, Result};
use crate::evidence::annotation::{self, Annotation};
use crate::evidence::deleted::{links_of, Deleted};
use crate::library::Library;
use crate::model::{DatePrecision, Stance};

/// A claim's verdict, derived from its evidence.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Supporting evidence and no contradicting evidence.
    Supported,
    /// Both supporting and contradicting evidence.
    Contested,
    /// Only contradicting evidence.
    Contradicted,
    /// Only context, or no evidence.
    Unresolved,
}

impl Verdict {
    /// The verdict implied by evidence counts.
    pub fn from_counts(c: &EvidenceCounts) -> Verdict {
        match (c.supports > 0, c.contradicts > 0) {
            (true, false) => Verdict::Supported,
            (true, true) => Verdict::Contested,
            (false, true) => Verdict::Contradicted,
            (false, false) => Verdict::Unresolved,
        }
    }

    /// The verdict as its lowercase word.
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Contested => "contested",
            Verdict::Contradicted => "contradicted",
            Verdict::Unresolved => "unresolved",
        }
    }
}

/// Evidence counts by stance.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceCounts {
    /// Supporting passages.
    pub supports: u32,
    /// Contradicting passages.
    pub contradicts: u32,
    /// Context passages.
    pub context: u32,
}

/// A claim with its derived verdict.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// Id.
    pub id: String,
    /// The claim.
    pub text: String,
    /// Who made it.
    pub claimant: String,
    /// When, ISO in its precision.
    pub date: Option<String>,
    /// Precision of the date.
    pub date_precision: Option<DatePrecision>,
    /// Where it was made.
    pub source: String,
    /// Tags.
    pub tags: Vec<String>,
    /// `catalog`, `user` or `bundle`.
    pub origin: String,
    /// Derived verdict.
    pub verdict: Verdict,
    /// Evidence counts by stance.
    pub evidence: EvidenceCounts,
}

/// One piece of evidence: an annotation linked to a claim with a stance.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The stance.
    pub stance: Stance,
    /// A note on the link.
    pub note: String,
    /// `catalog`, `user`, `suggestion` or `bundle`.
    pub origin: String,
    /// Paper title.
    pub paper_title: String,
    /// The annotation (quote, page, anchor).
    pub annotation: Annotation,
}

/// A catalog locator that found no passage (reported, not hidden).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedLocator {
    /// Paper id.
    pub paper_id: String,
    /// Page.
    pub page: u32,
    /// Terms the passage must contain.
    pub terms: Vec<String>,
    /// Stance it would have.
    pub stance: Stance,
    /// `pending` (paper not imported), `not_found` or `deleted`.
    pub status: String,
}

/// A claim with its evidence grouped by stance.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimDetail {
    /// The claim.
    #[serde(flatten)]
    pub claim: Claim,
    /// Supporting evidence.
    pub supports: Vec<Evidence>,
    /// Contradicting evidence.
    pub contradicts: Vec<Evidence>,
    /// Context.
    pub context: Vec<Evidence>,
    /// Catalog locators without a passage.
    pub unresolved_locators: Vec<UnresolvedLocator>,
}

/// A new claim.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NewClaim {
    /// Id (default: a slug of the text).
    pub id: Option<String>,
    /// The claim (required).
    pub text: String,
    /// Who made it.
    pub claimant: String,
    /// When (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub date: Option<String>,
    /// Where.
    pub source: String,
    /// Tags.
    pub tags: Vec<String>,
}

/// Changes to a claim; `None` leaves a field as it is.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ClaimEdit {
    /// New text.
    pub text: Option<String>,
    /// New claimant.
    pub claimant: Option<String>,
    /// New date (empty string clears it).
    pub date: Option<String>,
    /// New source.
    pub source: Option<String>,
    /// New tags.
    pub tags: Option<Vec<String>>,
}

/// Changes to an evidence link; `None` leaves a field as it is.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LinkEdit {
    /// New stance.
    pub stance: Option<Stance>,
    /// New note (an empty string clears it).
    pub note: Option<String>,
}

/// A claim an annotation is evidence for, seen from the annotation.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnotationLink {
    /// The claim, with its verdict.
    pub claim: Claim,
    /// The stance of the link.
    pub stance: Stance,
    /// The note on the link.
    pub note: String,
    /// `catalog`, `user`, `suggestion` or `bundle`.
    pub origin: String,
}

const CLAIM_SELECT: &str = "SELECT c.id, c.text, c.claimant, c.date, c.date_precision, c.source, c.tags, c.origin,
    (SELECT count(*) FROM evidence e WHERE e.claim_id = c.id AND e.stance = 'supports'),
    (SELECT count(*) FROM evidence e WHERE e.claim_id = c.id AND e.stance = 'contradicts'),
    (SELECT count(*) FROM evidence e WHERE e.claim_id = c.id AND e.stance = 'context')
    FROM claims c";

fn claim_from_row(r: &Row<'_>) -> rusqlite::Result<Claim> {
    let tags: String = r.get(6)?;
    let evidence = EvidenceCounts { supports: r.get(8)?, contradicts: r.get(9)?, context: r.get(10)? };
    Ok(Claim {
        id: r.get(0)?,
        text: r.get(1)?,
        claimant: r.get(2)?,
        date: r.get(3)?,
        date_precision: r.get(4)?,
        source: r.get(5)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        origin: r.get(7)?,
        verdict: Verdict::from_counts(&evidence),
        evidence,
    })
}

pub(crate) fn get_claim(conn: &Connection, id: &str) -> Result<Claim> {
    conn.query_row(&format!("{CLAIM_SELECT} WHERE c.id = ?1"), [id], claim_from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { kind: "claim", id: id.to_string() })
}

fn parse_date_field(d: &str) -> Result<PartialDate> {
    PartialDate::parse(d).map_err(|e| Error::invalid("date", e))
}

impl Library {
    /// Every claim with its verdict and evidence counts, by date then id.
    pub fn claims(&self) -> Result<Vec<Claim>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("{CLAIM_SELECT} ORDER BY c.date IS NULL, c.date, c.id"))?;
        let rows = stmt.query_map([], claim_from_row)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// A claim with its evidence grouped by stance.
    pub fn claim(&self, id: &str) -> Result<ClaimDetail> {
        let conn = self.conn();
        let claim = get_claim(&conn, id)?;
        let mut stmt = conn.prepare(
            "SELECT e.annotation_id, e.stance, e.note, e.origin, p.title FROM evidence e
             JOIN annotations a ON a.id = e.annotation_id JOIN versions v ON v.sha256 = a.version_sha256
             JOIN papers p ON p.id = v.paper_id
             WHERE e.claim_id = ?1 ORDER BY v.paper_id, a.page, a.start",
        )?;
        let rows: Vec<(String, String, String, String, String)> = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
            .collect::<Result<_, _>>()?;
        let mut detail = ClaimDetail {
            claim,
            supports: Vec::new(),
            contradicts: Vec::new(),
            context: Vec::new(),
            unresolved_locators: Vec::new(),
        };
        for (aid, stance, note, origin, paper_title) in rows {
            let stance: Stance = stance.parse().map_err(|e| Error::invalid("stance", e))?;
            let ev = Evidence { stance, note, origin, paper_title, annotation: annotation::get(&conn, &aid)? };
            match stance {
                Stance::Supports => detail.supports.push(ev),
                Stance::Contradicts => detail.contradicts.push(ev),
                Stance::Context => detail.context.push(ev),
            }
        }
        let mut stmt = conn.prepare(
            "SELECT paper_id, page, terms, stance, status FROM locators WHERE claim_id = ?1 AND status != 'resolved' ORDER BY seq",
        )?;
        detail.unresolved_locators = stmt
            .query_map([id], |r| {
                let terms: String = r.get(2)?;
                let stance: String = r.get(3)?;
                Ok(UnresolvedLocator {
                    paper_id: r.get(0)?,
                    page: r.get(1)?,
                    terms: serde_json::from_str(&terms).unwrap_or_default(),
                    stance: stance.parse().unwrap_or(Stance::Context),
                    status: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(detail)
    }

    /// Adds a claim. Empty text, a bad date or a taken id is an error naming the field.
    pub fn add_claim(&self, new: &NewClaim) -> Result<Claim> {
        let _guard = self.try_write()?;
        let text = new.text.trim();
        if text.is_empty() {
            return Err(Error::invalid("text", "a claim needs text"));
        }
        let date = new.date.as_deref().filter(|d| !d.trim().is_empty()).map(parse_date_field).transpose()?;
        let conn = self.conn();
        let id = match &new.id {
            Some(id) => {
                let id = id.trim().to_string();
                if id.is_empty()
                    || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c))
                {
                    return Err(Error::invalid(
                        "id",
                        format!("`{id}`: use lowercase letters, digits, `-`, `.` and `_`"),
                    ));
                }
                if conn.query_row("SELECT 1 FROM claims WHERE id = ?1", [&id], |_| Ok(())).optional()?.is_some() {
                    return Err(Error::invalid("id", format!("a claim `{id}` already exists")));
                }
                id
            }
            None => {
                let base = crate::ingest::metadata::slug(text);
                let mut id = base.clone();
                let mut n = 2;
                while conn.query_row("SELECT 1 FROM claims WHERE id = ?1", [&id], |_| Ok(())).optional()?.is_some() {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                id
            }
        };
        conn.execute(
            "INSERT INTO claims (id, text, claimant, date, date_precision, source, tags, origin, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'user', ?8)",
            rusqlite::params![
                id,
                text,
                new.claimant.trim(),
                date,
                date.map(|d| d.precision()),
                new.source.trim(),
                serde_json::to_string(&new.tags)?,
                crate::date::now_rfc3339()
            ],
        )?;
        get_claim(&conn, &id)
    }

    /// Edits a claim.
    pub fn edit_claim(&self, id: &str, edit: &ClaimEdit) -> Result<Claim> {
        let _guard = self.try_write()?;
        let conn = self.conn();
        let mut c = get_claim(&conn, id)?;
        if let Some(t) = &edit.text {
            if t.trim().is_empty() {
                return Err(Error::invalid("text", "a claim needs text"));
            }
            c.text = t.trim().to_string();
        }
        if let Some(d) = &edit.date {
            if d.trim().is_empty() {
                c.date = None;
                c.date_precision = None;
            } else {
                let d = parse_date_field(d)?;
                c.date = Some(d.to_iso());
                c.date_precision = Some(d.precision());
            }
        }
        if let Some(v) = &edit.claimant {
            c.claimant = v.trim().to_string();
        }
        if let Some(v) = &edit.source {
            c.source = v.trim().to_string();
        }
        if let Some(v) = &edit.tags {
            c.tags = v.clone();
        }
        conn.execute(
            "UPDATE claims SET text = ?2, claimant = ?3, date = ?4, date_precision = ?5, source = ?6, tags = ?7 WHERE id = ?1",
            rusqlite::params![
                id,
                c.text,
                c.claimant,
                c.date,
                c.date_precision,
                c.source,
                serde_json::to_string(&c.tags)?
            ],
        )?;
        get_claim(&conn, id)
    }

    /// Deletes a claim and its evidence links (the annotations stay).
    pub fn delete_claim(&self, id: &str) -> Result<()> {
        let _guard = self.try_write()?;
        let conn = self.conn();
        get_claim(&conn, id)?;
        conn.execute("DELETE FROM claims WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Links an annotation to a claim with a stance (or changes the stance of an existing link).
    pub fn link(&self, claim: &str, annotation_id: &str, stance: Stance, note: &str) -> Result<Claim> {
        self.link_with_origin(claim, annotation_id, stance, note, "user")
    }

    pub(crate) fn link_with_origin(
        &self,
        claim: &str,
        annotation_id: &str,
        stance: Stance,
        note: &str,
        origin: &str,
    ) -> Result<Claim> {
        let _guard = self.try_write()?;
        let conn = self.conn();
        get_claim(&conn, claim)?;
        annotation::get(&conn, annotation_id)?;
        conn.execute(
            "INSERT INTO evidence (claim_id, annotation_id, stance, note, origin, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (claim_id, annotation_id) DO UPDATE SET stance = excluded.stance, note = excluded.note",
            rusqlite::params![claim, annotation_id, stance.as_str(), note, origin, crate::date::now_rfc3339()],
        )?;
        get_claim(&conn, claim)
    }

    /// Changes a link's stance or note (`None` leaves it as it is); the link keeps its id,
    /// origin and date. Returns the claim with its new verdict.
    pub fn edit_link(&self, claim: &str, annotation_id: &str, edit: &LinkEdit) -> Result<Claim> {
        let _guard = self.try_write()?;
        let conn = self.conn();
        get_claim(&conn, claim)?;
        let n = conn.execute(
            "UPDATE evidence SET stance = COALESCE(?3, stance), note = COALESCE(?4, note)
             WHERE claim_id = ?1 AND annotation_id = ?2",
            rusqlite::params![
                claim,
                annotation_id,
                edit.stance.map(|s| s.as_str()),
                edit.note.as_deref().map(str::trim)
            ],
        )?;
        if n == 0 {
            return Err(not_linked(claim, annotation_id));
        }
        get_claim(&conn, claim)
    }

    /// Removes the link between a claim and an annotation. Returns the link as it was, for
    /// [`Library::restore`](crate::Library::restore) to put back.
    pub fn unlink(&self, claim: &str, annotation_id: &str) -> Result<Deleted> {
        let _guard = self.try_write()?;
        let conn = self.conn();
        get_claim(&conn, claim)?;
        let links = links_of(&conn, Some(annotation_id), Some(claim))?;
        if links.is_empty() {
            return Err(not_linked(claim, annotation_id));
        }
        conn.execute("DELETE FROM evidence WHERE claim_id = ?1 AND annotation_id = ?2", (claim, annotation_id))?;
        Ok(Deleted { annotation: None, links, locators: Vec::new() })
    }

    /// The claims an annotation is evidence for, with the link's stance and note, by claim id.
    pub fn annotation_links(&self, annotation_id: &str) -> Result<Vec<AnnotationLink>> {
        let conn = self.conn();
        annotation::get(&conn, annotation_id)?;
        let links = links_of(&conn, Some(annotation_id), None)?;
        let mut out = Vec::with_capacity(links.len());
        for l in links {
            out.push(AnnotationLink {
                claim: get_claim(&conn, &l.claim_id)?,
                stance: l.stance,
                note: l.note,
                origin: l.origin,
            });
        }
        out.sort_by(|a, b| a.claim.id.cmp(&b.claim.id));
        Ok(out)
    }
}

fn not_linked(claim: &str, annotation_id: &str) -> Error {
    Error::NotFound { kind: "evidence link", id: format!("{claim} ← {annotation_id}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::deleted::tests::{library, quote};

    #[test]
    fn a_link_changes_stance_and_note_in_place_and_the_verdict_follows() {
        let (_dir, lib) = library();
        let a = quote(&lib, "$5.576M");
        lib.link("cost", &a.id, Stance::Supports, "the paper's figure").unwrap();
        let created: (i64, String) =
            lib.conn().query_row("SELECT id, created_at FROM evidence", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        let c = lib.edit_link("cost", &a.id, &LinkEdit { stance: Some(Stance::Contradicts), note: None }).unwrap();
        assert_eq!(c.verdict, Verdict::Contradicted);
        let c =
            lib.edit_link("cost", &a.id, &LinkEdit { stance: None, note: Some(" rental price only ".into()) }).unwrap();
        assert_eq!(c.verdict, Verdict::Contradicted, "a note alone leaves the stance");
        let links = lib.annotation_links(&a.id).unwrap();
        assert_eq!(links.len(), 1);
        assert_eq!((links[0].stance, links[0].note.as_str()), (Stance::Contradicts, "rental price only"));
        assert_eq!(links[0].claim.verdict, Verdict::Contradicted);
        let now: (i64, String) =
            lib.conn().query_row("SELECT id, created_at FROM evidence", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!(now, created, "the link keeps its id and date");
        let e = lib.edit_link("hours", &a.id, &LinkEdit::default()).unwrap_err().to_string();
        assert!(e.contains("unknown evidence link `hours ← "), "{e}");
    }

    #[test]
    fn deleting_a_claim_removes_its_links_and_keeps_the_annotations() {
        let (_dir, lib) = library();
        let a = quote(&lib, "$5.576M");
        lib.link("cost", &a.id, Stance::Supports, "").unwrap();
        lib.link("hours", &a.id, Stance::Context, "").unwrap();
        lib.delete_claim("cost").unwrap();
        assert!(lib.claim("cost").is_err());
        assert_eq!(lib.annotation(&a.id).unwrap().claims, vec!["hours".to_string()]);
        assert_eq!(lib.annotation_links(&a.id).unwrap().len(), 1);
    }
}
