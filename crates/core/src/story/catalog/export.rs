//! A library's papers, milestones and claims as a catalog another lab member can load.

use std::collections::{HashMap, HashSet};

use super::{Catalog, CatalogClaim, CatalogPaper, Locator, Milestone};
use crate::date::PartialDate;
use crate::error::Result;
use crate::library::Library;
use crate::model::Stance;

impl Library {
    /// The library as a catalog: every paper (the catalog's with their pinned sources, and the
    /// library's own), the timeline's dated entries as milestones (the library's papers become
    /// `paper` milestones, with citations as lineage), and every claim with its evidence
    /// (catalog locators as they are; evidence linked by hand as its page and quote). The
    /// header (name, words, focus) is the loaded catalog's.
    ///
    /// Loading the result with [`Library::open_with_catalog`] into a library without PDFs gives
    /// a library whose export is the same catalog.
    pub fn export_catalog(&self) -> Result<Catalog> {
        let current = self.catalog();
        let mut ids = Ids::default();
        // Papers: the catalog's first, in its order, then the library's own.
        let mut papers_in = self.papers()?;
        let rank = |id: &str| current.papers.iter().position(|p| p.id == id).unwrap_or(usize::MAX);
        papers_in.sort_by_key(|p| rank(&p.id));
        let mut papers = Vec::new();
        for p in papers_in {
            let id = ids.paper(&p.id);
            papers.push(CatalogPaper {
                id,
                title: p.title.trim().to_string(),
                arxiv_id: p.arxiv_id,
                date: p.date.as_deref().and_then(|d| PartialDate::parse(d).ok()),
                authors: p.authors,
                source: current.paper(&p.id).and_then(|c| c.source.clone()),
            });
        }
        let claims = self.export_claims(&mut ids)?;
        let claim_ids: HashSet<&str> = claims.iter().map(|c| c.id.as_str()).collect();
        // Milestones: the timeline's dated entries, the catalog's in its order first.
        let timeline = self.timeline(None, None)?;
        let mut entries: Vec<_> = timeline.entries.into_iter().filter(|e| e.date.is_some()).collect();
        let rank = |id: &str| current.milestones.iter().position(|m| m.id == id).unwrap_or(usize::MAX);
        entries.sort_by_key(|e| if e.origin == "catalog" { rank(&e.id) } else { usize::MAX });
        for e in &entries {
            ids.milestone(&e.id);
        }
        let dates: HashMap<&str, PartialDate> = entries
            .iter()
            .filter_map(|e| Some((e.id.as_str(), PartialDate::parse(e.date.as_deref()?).ok()?)))
            .collect();
        let mut milestones = Vec::new();
        for e in &entries {
            let Some(date) = dates.get(e.id.as_str()).copied() else { continue };
            let short =
                current.milestones.iter().find(|m| m.id == e.id && e.origin == "catalog").and_then(|m| m.short.clone());
            milestones.push(Milestone {
                id: ids.milestones[&e.id].clone(),
                date,
                kind: e.kind,
                title: e.title.clone(),
                short,
                papers: e.papers.iter().filter_map(|p| ids.papers.get(p).cloned()).collect(),
                claims: e
                    .claims
                    .iter()
                    .filter_map(|c| ids.claims.get(c))
                    .filter(|c| claim_ids.contains(c.as_str()))
                    .cloned()
                    .collect(),
                // Lineage runs forward in time to milestones the catalog holds.
                leads_to: e
                    .leads_to
                    .iter()
                    .filter(|t| *t != &e.id && dates.get(t.as_str()).is_some_and(|d| d.sort_key() >= date.sort_key()))
                    .filter_map(|t| ids.milestones.get(t).cloned())
                    .collect(),
            });
        }
        let focus = current.focus.as_ref().and_then(|f| ids.milestones.get(f).cloned());
        Ok(Catalog {
            id: current.id.clone(),
            name: current.name.clone(),
            lab: current.lab.clone(),
            description: current.description.clone(),
            timeline_of: current.timeline_of.clone(),
            claims_from: current.claims_from.clone(),
            focus,
            papers,
            milestones,
            claims,
        })
    }

    /// Every claim, the catalog's first in its order, with its evidence as locators.
    fn export_claims(&self, ids: &mut Ids) -> Result<Vec<CatalogClaim>> {
        let current = self.catalog();
        let mut claims_in = self.claims()?;
        let rank = |id: &str| current.claims.iter().position(|c| c.id == id).unwrap_or(usize::MAX);
        claims_in.sort_by_key(|c| rank(&c.id));
        // Catalog locators, unless their evidence was removed, then evidence linked otherwise:
        // the quote itself is the term the passage must contain.
        let rows = self.evidence_rows()?;
        let mut evidence: HashMap<String, Vec<Locator>> = HashMap::new();
        for (claim, paper, page, terms, stance, note) in rows {
            let (Some(paper), Ok(stance)) = (ids.papers.get(&paper), stance.parse::<Stance>()) else { continue };
            if page == 0 || terms.iter().all(|t| t.trim().is_empty()) {
                continue;
            }
            evidence.entry(claim).or_default().push(Locator { paper: paper.clone(), page, terms, stance, note });
        }
        Ok(claims_in
            .into_iter()
            .map(|c| CatalogClaim {
                id: ids.claim(&c.id),
                text: c.text.trim().to_string(),
                claimant: c.claimant,
                date: c.date.as_deref().and_then(|d| PartialDate::parse(d).ok()),
                source: c.source,
                tags: c.tags,
                evidence: evidence.remove(&c.id).unwrap_or_default(),
            })
            .collect())
    }

    /// Evidence of every claim as (claim, paper, page, terms, stance, note).
    fn evidence_rows(&self) -> Result<Vec<EvidenceRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT claim_id, paper_id, page, terms, stance, note FROM locators WHERE status != 'deleted'
             ORDER BY claim_id, seq",
        )?;
        let mut rows: Vec<EvidenceRow> = stmt
            .query_map([], |r| {
                let terms: String = r.get(3)?;
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    serde_json::from_str(&terms).unwrap_or_default(),
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt = conn.prepare(
            "SELECT e.claim_id, v.paper_id, a.page, a.exact, e.stance, e.note FROM evidence e
             JOIN annotations a ON a.id = e.annotation_id JOIN versions v ON v.sha256 = a.version_sha256
             WHERE e.origin != 'catalog' ORDER BY e.claim_id, e.id",
        )?;
        let linked: Vec<EvidenceRow> = stmt
            .query_map([], |r| {
                let exact: String = r.get(3)?;
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, vec![exact.trim().to_string()], r.get(4)?, r.get(5)?))
            })?
            .collect::<Result<_, _>>()?;
        rows.extend(linked);
        Ok(rows)
    }
}

/// (claim, paper, page, terms, stance, note).
type EvidenceRow = (String, String, u32, Vec<String>, String, String);

/// Library ids mapped to catalog ids (lowercase ASCII letters, digits, `-`, `.`, `_`), unique
/// per kind: a valid id stays as it is.
#[derive(Default)]
struct Ids {
    papers: HashMap<String, String>,
    milestones: HashMap<String, String>,
    claims: HashMap<String, String>,
}

impl Ids {
    fn paper(&mut self, id: &str) -> String {
        map_id(&mut self.papers, id)
    }
    fn milestone(&mut self, id: &str) -> String {
        map_id(&mut self.milestones, id)
    }
    fn claim(&mut self, id: &str) -> String {
        map_id(&mut self.claims, id)
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c))
}

fn map_id(map: &mut HashMap<String, String>, id: &str) -> String {
    if let Some(m) = map.get(id) {
        return m.clone();
    }
    let taken: HashSet<&String> = map.values().collect();
    let base = if valid_id(id) {
        id.to_string()
    } else {
        let mut s = String::new();
        for c in id.to_lowercase().chars() {
            let c = if c.is_ascii_lowercase() || c.is_ascii_digit() || "._".contains(c) { c } else { '-' };
            if !(c == '-' && (s.is_empty() || s.ends_with('-'))) {
                s.push(c);
            }
        }
        let s = s.trim_end_matches('-').to_string();
        if s.is_empty() {
            "item".to_string()
        } else {
            s
        }
    };
    let mut out = base.clone();
    let mut n = 2;
    while taken.contains(&out) {
        out = format!("{base}-{n}");
        n += 1;
    }
    map.insert(id.to_string(), out.clone());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MilestoneKind;
    use proptest::prelude::*;

    #[test]
    fn ids_become_catalog_ids_and_stay_unique() {
        let mut m = HashMap::new();
        assert_eq!(map_id(&mut m, "good-id.2"), "good-id.2");
        assert_eq!(map_id(&mut m, "Élan vital"), "lan-vital");
        assert_eq!(map_id(&mut m, "ÉLAN VITAL"), "lan-vital-2");
        assert_eq!(map_id(&mut m, "Élan vital"), "lan-vital", "the same id maps the same way");
        assert_eq!(map_id(&mut m, "ü"), "item");
    }

    fn id() -> impl Strategy<Value = String> {
        "[a-z][a-z0-9._-]{0,8}"
    }

    fn date() -> impl Strategy<Value = PartialDate> {
        (1950i32..2030, prop::option::of((1u8..=12, prop::option::of(1u8..=28)))).prop_map(|(year, md)| PartialDate {
            year,
            month: md.map(|m| m.0),
            day: md.and_then(|m| m.1),
        })
    }

    fn text() -> impl Strategy<Value = String> {
        "[A-Za-z0-9][A-Za-z0-9 ,.:'\"$%éü-]{0,30}[A-Za-z0-9.]".prop_map(|s| s.to_string())
    }

    /// A valid catalog: unique ids, references that exist, lineage forward in time.
    fn catalog() -> impl Strategy<Value = Catalog> {
        let papers = prop::collection::btree_map(
            id(),
            (
                text(),
                prop::option::of("[0-9]{4}\\.[0-9]{5}"),
                prop::option::of(date()),
                prop::collection::vec(text(), 0..3),
                any::<bool>(),
            ),
            0..5,
        );
        let claims = prop::collection::btree_map(
            id(),
            (
                text(),
                text(),
                prop::option::of(date()),
                prop::collection::vec("[a-z]{1,6}", 0..3),
                prop::collection::vec(
                    (any::<prop::sample::Index>(), 1u32..40, prop::collection::vec(text(), 1..3), 0..3usize, text()),
                    0..3,
                ),
            ),
            0..4,
        );
        let milestones = prop::collection::btree_map(
            id(),
            (
                date(),
                0..4usize,
                text(),
                prop::option::of("[A-Z][a-z0-9]{0,6}"),
                prop::collection::vec(any::<prop::sample::Index>(), 0..3),
                prop::collection::vec(any::<prop::sample::Index>(), 0..3),
                prop::collection::vec(any::<prop::sample::Index>(), 0..3),
            ),
            0..6,
        );
        (papers, claims, milestones, any::<prop::sample::Index>(), any::<bool>()).prop_map(
            |(papers, claims, milestones, focus, words)| {
                let papers: Vec<CatalogPaper> = papers
                    .into_iter()
                    .map(|(id, (title, arxiv, date, authors, pinned))| CatalogPaper {
                        source: pinned.then(|| super::super::Source {
                            url: format!("https://example.org/{id}.pdf"),
                            path: Some(format!("pdf/{id}.pdf")),
                            sha256: Some("ab".repeat(32)),
                            pages: Some(3),
                        }),
                        id,
                        title,
                        arxiv_id: arxiv,
                        date,
                        authors,
                    })
                    .collect();
                let stances = [Stance::Supports, Stance::Contradicts, Stance::Context];
                let claims: Vec<CatalogClaim> = claims
                    .into_iter()
                    .map(|(id, (text, claimant, date, tags, ev))| CatalogClaim {
                        evidence: if papers.is_empty() {
                            Vec::new()
                        } else {
                            ev.into_iter()
                                .map(|(p, page, terms, s, note)| Locator {
                                    paper: p.get(&papers).id.clone(),
                                    page,
                                    terms,
                                    stance: stances[s],
                                    note,
                                })
                                .collect()
                        },
                        id,
                        text,
                        claimant,
                        date,
                        source: String::new(),
                        tags,
                    })
                    .collect();
                let kinds = [MilestoneKind::Paper, MilestoneKind::Release, MilestoneKind::Event, MilestoneKind::Claim];
                let mut ms: Vec<_> = milestones.into_iter().collect();
                ms.sort_by_key(|(_, m)| m.0.sort_key());
                let all: Vec<(String, PartialDate)> = ms.iter().map(|(id, m)| (id.clone(), m.0)).collect();
                let milestones: Vec<Milestone> = ms
                    .into_iter()
                    .map(|(id, (date, kind, title, short, ps, cs, ls))| {
                        let pick = |ix: Vec<prop::sample::Index>, from: Vec<String>| -> Vec<String> {
                            let mut out: Vec<String> = Vec::new();
                            if !from.is_empty() {
                                for i in ix {
                                    let v = i.get(&from).clone();
                                    if !out.contains(&v) {
                                        out.push(v);
                                    }
                                }
                            }
                            out
                        };
                        let later: Vec<String> = all
                            .iter()
                            .filter(|(o, d)| o != &id && d.sort_key() >= date.sort_key())
                            .map(|(o, _)| o.clone())
                            .collect();
                        Milestone {
                            papers: pick(ps, papers.iter().map(|p| p.id.clone()).collect()),
                            claims: pick(cs, claims.iter().map(|c| c.id.clone()).collect()),
                            leads_to: pick(ls, later),
                            id,
                            date,
                            kind: kinds[kind],
                            title,
                            short,
                        }
                    })
                    .collect();
                Catalog {
                    id: "lab".into(),
                    name: "A lab's catalog".into(),
                    lab: if words { "The Lab".into() } else { String::new() },
                    description: if words { "What the lab did.".into() } else { String::new() },
                    timeline_of: words.then(|| "the work that led to the launch".into()),
                    claims_from: words.then(|| "the launch week".into()),
                    focus: (!milestones.is_empty()).then(|| focus.get(&milestones).id.clone()),
                    papers,
                    milestones,
                    claims,
                }
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Format then parse gives the same catalog.
        #[test]
        fn a_catalog_written_out_reads_back_the_same(c in catalog()) {
            let back = Catalog::parse("out.toml", &c.to_toml()).unwrap();
            prop_assert_eq!(back, c);
        }

        /// Load a catalog into a library, export it: the same papers, milestones and claims.
        #[test]
        fn a_loaded_catalog_exports_as_itself(c in catalog()) {
            let dir = tempfile::tempdir().unwrap();
            let lib = Library::open_with_catalog(dir.path(), Some(c.clone())).unwrap();
            let out = lib.export_catalog().unwrap();
            prop_assert_eq!(&out.papers, &c.papers);
            prop_assert_eq!(&out.milestones, &c.milestones);
            prop_assert_eq!(&out.claims, &c.claims);
            prop_assert_eq!(out, c);
        }
    }
}
