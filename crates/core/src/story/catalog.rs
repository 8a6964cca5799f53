//! The catalog: a lab's papers (with pinned download sources), milestones and claims with
//! evidence locators, in a human-editable TOML file. The DeepSeek catalog is bundled.
//!
//! Loading validates everything and names the line of the first problem: a bad date, a
//! duplicate id, a reference to a paper, claim or milestone that does not exist. The catalog
//! also gives the app its words: its name, what its timeline and claims are about, and a short
//! name per milestone, so nothing in the app names one lab's story unless its catalog does.
//!
//! [`Catalog::to_toml`] writes a catalog back out, and [`Library::export_catalog`]
//! (in `export`) makes one of a library's papers, milestones and claims.
//!
//! [`Library::export_catalog`]: crate::Library::export_catalog

mod export;
mod write;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::date::PartialDate;
use crate::error::{Error, Result};
use crate::model::{MilestoneKind, Stance};

/// The bundled DeepSeek catalog's TOML text.
pub const BUNDLED: &str = include_str!("../../../../assets/catalog/deepseek.toml");

/// A validated catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    /// Short id of the catalog.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The lab whose papers these are.
    pub lab: String,
    /// One or two sentences on what the catalog holds.
    pub description: String,
    /// What its timeline shows, as words that follow "the timeline of" (e.g. "the milestones
    /// that led to the R1 release").
    pub timeline_of: Option<String>,
    /// Where its claims come from, as words that follow "the claims from" (e.g. "the January
    /// 2025 debate").
    pub claims_from: Option<String>,
    /// The milestone the timeline's path leads to by default.
    pub focus: Option<String>,
    /// Papers.
    pub papers: Vec<CatalogPaper>,
    /// Milestones.
    pub milestones: Vec<Milestone>,
    /// Claims with evidence locators.
    pub claims: Vec<CatalogClaim>,
}

/// A paper of the catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogPaper {
    /// Slug id.
    pub id: String,
    /// Title.
    pub title: String,
    /// arXiv id.
    pub arxiv_id: Option<String>,
    /// First public date.
    pub date: Option<PartialDate>,
    /// Authors.
    pub authors: Vec<String>,
    /// Pinned download source, if any.
    pub source: Option<Source>,
}

impl CatalogPaper {
    /// Where to download the PDF: the pinned source, or the arXiv PDF.
    pub fn download_url(&self) -> Option<String> {
        match (&self.source, &self.arxiv_id) {
            (Some(s), _) => Some(s.url.clone()),
            (None, Some(a)) => Some(format!("https://arxiv.org/pdf/{a}")),
            _ => None,
        }
    }
}

/// A pinned, checksummed download source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The upstream address.
    pub url: String,
    /// Relative path of the file under a mirror base URL (e.g. `pdf/deepseek-v3.pdf`).
    pub path: Option<String>,
    /// Expected sha256 of the bytes.
    pub sha256: Option<String>,
    /// Expected page count.
    pub pages: Option<u32>,
}

/// A milestone of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    /// Id.
    pub id: String,
    /// Date with precision.
    pub date: PartialDate,
    /// Kind.
    pub kind: MilestoneKind,
    /// Title.
    pub title: String,
    /// A short name for legends and buttons (e.g. "R1"); derived from the title when absent.
    pub short: Option<String>,
    /// Linked paper ids.
    pub papers: Vec<String>,
    /// Linked claim ids.
    pub claims: Vec<String>,
    /// Ids of later milestones this one led to.
    pub leads_to: Vec<String>,
}

/// A claim of the catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogClaim {
    /// Id.
    pub id: String,
    /// The claim.
    pub text: String,
    /// Who made it.
    pub claimant: String,
    /// When.
    pub date: Option<PartialDate>,
    /// Where.
    pub source: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Evidence locators.
    pub evidence: Vec<Locator>,
}

/// Where in a paper a piece of evidence is: a page and the terms the passage must contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locator {
    /// Paper id.
    pub paper: String,
    /// 1-based page.
    pub page: u32,
    /// Terms the passage must contain (matched on normalized text, case-insensitively).
    pub terms: Vec<String>,
    /// Stance of the passage toward the claim.
    pub stance: Stance,
    /// A note for the evidence link.
    pub note: String,
}

/// What the app shows of the loaded catalog: its name, its words and its size.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogInfo {
    /// Short id of the catalog.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The lab whose papers these are (may be empty).
    pub lab: String,
    /// What the catalog holds (may be empty).
    pub description: String,
    /// What its timeline shows ("the milestones that led to …"), if it says.
    pub timeline_of: Option<String>,
    /// Where its claims come from ("the January 2025 debate"), if it says.
    pub claims_from: Option<String>,
    /// The milestone the timeline leads to by default, if it names one.
    pub focus: Option<String>,
    /// Number of papers.
    pub papers: usize,
    /// Number of milestones.
    pub milestones: usize,
    /// Number of claims.
    pub claims: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    catalog: RawInfo,
    #[serde(default)]
    papers: Vec<RawPaper>,
    #[serde(default)]
    milestones: Vec<RawMilestone>,
    #[serde(default)]
    claims: Vec<RawClaim>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInfo {
    id: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    lab: String,
    description: Option<Spanned<String>>,
    timeline_of: Option<Spanned<String>>,
    claims_from: Option<Spanned<String>>,
    focus: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPaper {
    id: Spanned<String>,
    title: Spanned<String>,
    arxiv: Option<String>,
    date: Option<Spanned<String>>,
    #[serde(default)]
    authors: Vec<String>,
    source: Option<RawSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    url: String,
    path: Option<String>,
    sha256: Option<Spanned<String>>,
    pages: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMilestone {
    id: Spanned<String>,
    date: Spanned<String>,
    kind: Spanned<String>,
    title: String,
    short: Option<Spanned<String>>,
    #[serde(default)]
    papers: Vec<Spanned<String>>,
    #[serde(default)]
    claims: Vec<Spanned<String>>,
    #[serde(default)]
    leads_to: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaim {
    id: Spanned<String>,
    text: Spanned<String>,
    #[serde(default)]
    claimant: String,
    date: Option<Spanned<String>>,
    #[serde(default)]
    source: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    evidence: Vec<RawLocator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocator {
    paper: Spanned<String>,
    page: Spanned<u32>,
    terms: Vec<String>,
    stance: Spanned<String>,
    #[serde(default)]
    note: String,
}

struct Ctx<'a> {
    name: &'a str,
    text: &'a str,
}

impl Ctx<'_> {
    fn line(&self, span: std::ops::Range<usize>) -> usize {
        self.text[..span.start.min(self.text.len())].matches('\n').count() + 1
    }
    fn err<T>(&self, span: std::ops::Range<usize>, message: impl std::fmt::Display) -> Result<T> {
        Err(Error::Catalog {
            source_name: self.name.to_string(),
            message: format!("line {}: {message}", self.line(span)),
        })
    }
    fn date(&self, s: &Spanned<String>) -> Result<PartialDate> {
        PartialDate::parse(s.get_ref()).or_else(|e| self.err(s.span(), format!("bad date: {e}")))
    }
    fn id(&self, s: &Spanned<String>, kind: &str, seen: &mut HashSet<String>) -> Result<String> {
        let id = s.get_ref().trim();
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c)) {
            return self
                .err(s.span(), format!("bad {kind} id `{id}`: use lowercase letters, digits, `-`, `.` and `_`"));
        }
        if !seen.insert(id.to_string()) {
            return self.err(s.span(), format!("duplicate {kind} id `{id}`"));
        }
        Ok(id.to_string())
    }
    /// An optional phrase of the catalog's words: trimmed, not empty, on one line, at most
    /// `max` characters.
    fn words(&self, s: &Option<Spanned<String>>, field: &str, max: usize) -> Result<Option<String>> {
        let Some(s) = s else { return Ok(None) };
        let v = s.get_ref().trim();
        if v.is_empty() {
            return self.err(s.span(), format!("`{field}` is empty; give it words or leave it out"));
        }
        if v.contains('\n') {
            return self.err(s.span(), format!("`{field}` must fit on one line"));
        }
        if v.chars().count() > max {
            return self.err(s.span(), format!("`{field}` is longer than {max} characters"));
        }
        Ok(Some(v.to_string()))
    }
}

impl Catalog {
    /// The bundled DeepSeek catalog.
    pub fn bundled() -> Catalog {
        Catalog::parse("deepseek.toml", BUNDLED).expect("the bundled catalog is valid")
    }

    /// Parses and validates a catalog; `name` is used in error messages.
    pub fn parse(name: &str, text: &str) -> Result<Catalog> {
        let ctx = Ctx { name, text };
        let raw: RawCatalog = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| ctx.line(s)).unwrap_or(0);
            Error::Catalog { source_name: name.to_string(), message: format!("line {line}: {}", e.message()) }
        })?;
        let info = &raw.catalog;
        let id = ctx.id(&info.id, "catalog", &mut HashSet::new())?;
        if info.name.get_ref().trim().is_empty() {
            return ctx.err(info.name.span(), "the catalog's `name` is empty");
        }
        let description = ctx.words(&info.description, "description", 600)?.unwrap_or_default();
        let timeline_of = ctx.words(&info.timeline_of, "timeline_of", 120)?;
        let claims_from = ctx.words(&info.claims_from, "claims_from", 120)?;
        let mut paper_ids = HashSet::new();
        let mut papers = Vec::new();
        for p in &raw.papers {
            let id = ctx.id(&p.id, "paper", &mut paper_ids)?;
            if p.title.get_ref().trim().is_empty() {
                return ctx.err(p.title.span(), format!("paper `{id}` has an empty title"));
            }
            let date = p.date.as_ref().map(|d| ctx.date(d)).transpose()?;
            let source = match &p.source {
                Some(s) => {
                    if let Some(sha) = &s.sha256 {
                        let v = sha.get_ref();
                        if v.len() != 64 || !v.bytes().all(|b| b.is_ascii_hexdigit()) {
                            return ctx.err(sha.span(), format!("paper `{id}`: sha256 must be 64 hex digits"));
                        }
                    }
                    Some(Source {
                        url: s.url.clone(),
                        path: s.path.clone(),
                        sha256: s.sha256.as_ref().map(|x| x.get_ref().to_lowercase()),
                        pages: s.pages,
                    })
                }
                None => None,
            };
            papers.push(CatalogPaper {
                id,
                title: p.title.get_ref().trim().to_string(),
                arxiv_id: p.arxiv.clone(),
                date,
                authors: p.authors.clone(),
                source,
            });
        }
        let mut claim_ids = HashSet::new();
        let mut claims = Vec::new();
        for c in &raw.claims {
            let id = ctx.id(&c.id, "claim", &mut claim_ids)?;
            if c.text.get_ref().trim().is_empty() {
                return ctx.err(c.text.span(), format!("claim `{id}` has no text"));
            }
            let date = c.date.as_ref().map(|d| ctx.date(d)).transpose()?;
            let mut evidence = Vec::new();
            for l in &c.evidence {
                if !paper_ids.contains(l.paper.get_ref()) {
                    return ctx
                        .err(l.paper.span(), format!("claim `{id}` cites unknown paper `{}`", l.paper.get_ref()));
                }
                if *l.page.get_ref() == 0 {
                    return ctx.err(l.page.span(), "pages are numbered from 1");
                }
                let stance = l.stance.get_ref().parse::<Stance>().or_else(|e| ctx.err(l.stance.span(), e))?;
                if l.terms.iter().all(|t| t.trim().is_empty()) {
                    return ctx
                        .err(l.paper.span(), format!("claim `{id}`: an evidence locator needs at least one term"));
                }
                evidence.push(Locator {
                    paper: l.paper.get_ref().clone(),
                    page: *l.page.get_ref(),
                    terms: l.terms.clone(),
                    stance,
                    note: l.note.clone(),
                });
            }
            claims.push(CatalogClaim {
                id,
                text: c.text.get_ref().trim().to_string(),
                claimant: c.claimant.clone(),
                date,
                source: c.source.clone(),
                tags: c.tags.clone(),
                evidence,
            });
        }
        let mut milestone_ids = HashSet::new();
        for m in &raw.milestones {
            ctx.id(&m.id, "milestone", &mut milestone_ids)?;
        }
        let mut milestones = Vec::new();
        for m in &raw.milestones {
            let date = ctx.date(&m.date)?;
            let kind = m.kind.get_ref().parse::<MilestoneKind>().or_else(|e| ctx.err(m.kind.span(), e))?;
            let check = |list: &[Spanned<String>], known: &HashSet<String>, what: &str| -> Result<Vec<String>> {
                list.iter()
                    .map(|r| {
                        if known.contains(r.get_ref()) {
                            Ok(r.get_ref().clone())
                        } else {
                            ctx.err(
                                r.span(),
                                format!("milestone `{}` refers to unknown {what} `{}`", m.id.get_ref(), r.get_ref()),
                            )
                        }
                    })
                    .collect()
            };
            milestones.push(Milestone {
                id: m.id.get_ref().clone(),
                date,
                kind,
                title: m.title.clone(),
                short: ctx.words(&m.short, "short", 40)?,
                papers: check(&m.papers, &paper_ids, "paper")?,
                claims: check(&m.claims, &claim_ids, "claim")?,
                leads_to: check(&m.leads_to, &milestone_ids, "milestone")?,
            });
        }
        // Lineage runs forward in time, so it has no cycles.
        for (m, raw_m) in milestones.iter().zip(&raw.milestones) {
            for (target, span) in m.leads_to.iter().zip(&raw_m.leads_to) {
                let t = milestones.iter().find(|x| &x.id == target).expect("checked above");
                if t.date.sort_key() < m.date.sort_key() || target == &m.id {
                    return ctx.err(
                        span.span(),
                        format!("milestone `{}` cannot lead to `{target}`, which is not later", m.id),
                    );
                }
            }
        }
        let focus = match &raw.catalog.focus {
            Some(f) if !milestone_ids.contains(f.get_ref()) => {
                return ctx.err(f.span(), format!("focus names unknown milestone `{}`", f.get_ref()))
            }
            f => f.as_ref().map(|f| f.get_ref().clone()),
        };
        Ok(Catalog {
            id,
            name: raw.catalog.name.get_ref().trim().to_string(),
            lab: raw.catalog.lab.trim().to_string(),
            description,
            timeline_of,
            claims_from,
            focus,
            papers,
            milestones,
            claims,
        })
    }

    /// The paper with this id.
    pub fn paper(&self, id: &str) -> Option<&CatalogPaper> {
        self.papers.iter().find(|p| p.id == id)
    }

    /// The catalog's name, words and size, for the app.
    pub fn info(&self) -> CatalogInfo {
        CatalogInfo {
            id: self.id.clone(),
            name: self.name.clone(),
            lab: self.lab.clone(),
            description: self.description.clone(),
            timeline_of: self.timeline_of.clone(),
            claims_from: self.claims_from.clone(),
            focus: self.focus.clone(),
            papers: self.papers.len(),
            milestones: self.milestones.len(),
            claims: self.claims.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_catalog_is_complete() {
        let c = Catalog::bundled();
        assert_eq!(c.papers.len(), 15);
        assert_eq!(c.claims.len(), 13);
        assert!(c.milestones.iter().any(|m| m.id == "r1-release"));
        assert_eq!(c.focus.as_deref(), Some("r1-release"));
    }

    fn err(text: &str) -> String {
        Catalog::parse("test.toml", text).unwrap_err().to_string()
    }

    const HEAD: &str = "[catalog]\nid = \"t\"\nname = \"T\"\n";

    #[test]
    fn rejects_bad_date_with_line() {
        let e = err(&format!("{HEAD}[[papers]]\nid = \"a\"\ntitle = \"A\"\ndate = \"2025-13-40\"\n"));
        assert!(e.contains("test.toml") && e.contains("line 7") && e.contains("month 13"), "{e}");
    }

    #[test]
    fn rejects_duplicate_ids() {
        let e = err(&format!("{HEAD}[[papers]]\nid = \"a\"\ntitle = \"A\"\n[[papers]]\nid = \"a\"\ntitle = \"B\"\n"));
        assert!(e.contains("line 8") && e.contains("duplicate paper id `a`"), "{e}");
    }

    #[test]
    fn rejects_dangling_references() {
        let e = err(&format!(
            "{HEAD}[[milestones]]\nid = \"m\"\ndate = \"2024\"\nkind = \"event\"\ntitle = \"M\"\npapers = [\"nope\"]\n"
        ));
        assert!(e.contains("line 9") && e.contains("unknown paper `nope`"), "{e}");
        let e = err(&format!(
            "{HEAD}[[claims]]\nid = \"c\"\ntext = \"x\"\n[[claims.evidence]]\npaper = \"zz\"\npage = 1\nterms = [\"a\"]\nstance = \"supports\"\n"
        ));
        assert!(e.contains("unknown paper `zz`"), "{e}");
    }

    #[test]
    fn rejects_bad_stance_and_empty_claim() {
        let e = err(&format!("{HEAD}[[claims]]\nid = \"c\"\ntext = \"  \"\n"));
        assert!(e.contains("no text"), "{e}");
        let e = err(&format!(
            "{HEAD}[[papers]]\nid = \"p\"\ntitle = \"P\"\n[[claims]]\nid = \"c\"\ntext = \"x\"\n[[claims.evidence]]\npaper = \"p\"\npage = 1\nterms = [\"a\"]\nstance = \"maybe\"\n"
        ));
        assert!(e.contains("not a stance"), "{e}");
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let e = err(&format!("{HEAD}[[papers]\n"));
        assert!(e.contains("line 4"), "{e}");
    }
}
