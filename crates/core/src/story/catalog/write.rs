//! A catalog written back out as TOML, in the form [`Catalog::parse`] reads.

use serde::Serialize;

use super::{Catalog, CatalogClaim, CatalogPaper, Locator, Milestone};

#[derive(Serialize)]
struct Out<'a> {
    catalog: Info<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    papers: Vec<Paper<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    milestones: Vec<Mile<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    claims: Vec<Claim<'a>>,
}

#[derive(Serialize)]
struct Info<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    lab: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    timeline_of: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    claims_from: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    focus: Option<&'a str>,
}

#[derive(Serialize)]
struct Paper<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    arxiv: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    authors: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<Source<'a>>,
}

#[derive(Serialize)]
struct Source<'a> {
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sha256: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pages: Option<u32>,
}

#[derive(Serialize)]
struct Mile<'a> {
    id: &'a str,
    date: String,
    kind: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    short: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    papers: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    claims: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    leads_to: &'a [String],
}

#[derive(Serialize)]
struct Claim<'a> {
    id: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    claimant: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "str::is_empty")]
    source: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    evidence: Vec<Evidence<'a>>,
}

#[derive(Serialize)]
struct Evidence<'a> {
    paper: &'a str,
    page: u32,
    terms: &'a [String],
    stance: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'a str,
}

const HEADER: &str = "# A Papertrail catalog: papers, milestones and claims with the places in the papers that
# bear on them. Load it with `papertrail --catalog FILE`.
#
# Dates are ISO (YYYY-MM-DD, YYYY-MM or YYYY); the precision follows from the form.
# Milestone kinds: paper | release | event | claim; leads_to names later milestones.
# Evidence names a paper, a 1-based PDF page, terms the passage must contain and a stance
# (supports | contradicts | context).

";

impl Catalog {
    /// The catalog as TOML text that [`Catalog::parse`] reads back to an equal catalog.
    pub fn to_toml(&self) -> String {
        let out = Out {
            catalog: Info {
                id: &self.id,
                name: &self.name,
                lab: &self.lab,
                description: &self.description,
                timeline_of: self.timeline_of.as_deref(),
                claims_from: self.claims_from.as_deref(),
                focus: self.focus.as_deref(),
            },
            papers: self.papers.iter().map(paper).collect(),
            milestones: self.milestones.iter().map(milestone).collect(),
            claims: self.claims.iter().map(claim).collect(),
        };
        let body = toml::to_string(&out).expect("a catalog is plain strings, numbers and lists");
        format!("{HEADER}{body}")
    }
}

fn paper(p: &CatalogPaper) -> Paper<'_> {
    Paper {
        id: &p.id,
        title: &p.title,
        arxiv: p.arxiv_id.as_deref(),
        date: p.date.map(|d| d.to_iso()),
        authors: &p.authors,
        source: p.source.as_ref().map(|s| Source {
            url: &s.url,
            path: s.path.as_deref(),
            sha256: s.sha256.as_deref(),
            pages: s.pages,
        }),
    }
}

fn milestone(m: &Milestone) -> Mile<'_> {
    Mile {
        id: &m.id,
        date: m.date.to_iso(),
        kind: m.kind.as_str(),
        title: &m.title,
        short: m.short.as_deref(),
        papers: &m.papers,
        claims: &m.claims,
        leads_to: &m.leads_to,
    }
}

fn claim(c: &CatalogClaim) -> Claim<'_> {
    Claim {
        id: &c.id,
        text: &c.text,
        claimant: &c.claimant,
        date: c.date.map(|d| d.to_iso()),
        source: &c.source,
        tags: &c.tags,
        evidence: c.evidence.iter().map(evidence).collect(),
    }
}

fn evidence(l: &Locator) -> Evidence<'_> {
    Evidence { paper: &l.paper, page: l.page, terms: &l.terms, stance: l.stance.as_str(), note: &l.note }
}
