//! `claims.jsonld`: one schema.org `ClaimReview` per claim. The reviewed `Claim` carries the
//! text, who made it (`author`), when (`datePublished`) and where (`appearance`); the derived
//! verdict is the `reviewRating`; each evidence passage is a `Quotation` in `citation`,
//! naming the annotation of `annotations.jsonld` and, in `additionalType`, the CiTO stance.

use serde::{Deserialize, Serialize};

use super::plan::Plan;
use super::{bad, cito_term, ANNOTATION_IRI, CITO, CLAIM_IRI, SHA256_IRI};
use crate::error::Result;
use crate::evidence::claims::Verdict;

/// The file name inside the bundle.
pub const FILE: &str = "claims.jsonld";

/// The document: a schema.org graph of claim reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimsDocument {
    /// `https://schema.org`.
    #[serde(rename = "@context")]
    pub context: serde_json::Value,
    /// The reviews, by claim id.
    #[serde(rename = "@graph")]
    pub graph: Vec<ClaimReview>,
}

/// A review of one claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimReview {
    /// `urn:papertrail:claim:<id>#review`.
    #[serde(rename = "@id")]
    pub id: String,
    /// `ClaimReview`.
    #[serde(rename = "@type")]
    pub kind: String,
    /// The claim's text.
    #[serde(rename = "claimReviewed")]
    pub claim_reviewed: String,
    /// The claim.
    #[serde(rename = "itemReviewed")]
    pub item_reviewed: ClaimItem,
    /// The derived verdict.
    #[serde(rename = "reviewRating")]
    pub review_rating: Rating,
    /// When the evidence last changed (RFC 3339).
    #[serde(rename = "dateModified")]
    pub date_modified: String,
    /// The evidence passages.
    #[serde(default)]
    pub citation: Vec<Quotation>,
}

/// The claim reviewed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimItem {
    /// `urn:papertrail:claim:<id>`.
    #[serde(rename = "@id")]
    pub id: String,
    /// `Claim`.
    #[serde(rename = "@type")]
    pub kind: String,
    /// The claim's text.
    pub text: String,
    /// Who made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<Named>,
    /// When (ISO 8601 in its precision: `2025-01-27`, `2025-01`, `2025`).
    #[serde(rename = "datePublished", default, skip_serializing_if = "Option::is_none")]
    pub date_published: Option<String>,
    /// Where it was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appearance: Option<Appearance>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
}

/// A name (of a person or an organisation; the claimant's kind is not known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    /// The name.
    pub name: String,
}

/// Where a claim appeared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appearance {
    /// `CreativeWork`.
    #[serde(rename = "@type")]
    pub kind: String,
    /// A description of the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A link, when the source is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The verdict as a rating: contradicted 1, contested 2, supported 3 (worst 1, best 3);
/// unresolved has no value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    /// `Rating`.
    #[serde(rename = "@type")]
    pub kind: String,
    /// 1 to 3, none for unresolved.
    #[serde(rename = "ratingValue", default, skip_serializing_if = "Option::is_none")]
    pub rating_value: Option<u8>,
    /// 3.
    #[serde(rename = "bestRating")]
    pub best_rating: u8,
    /// 1.
    #[serde(rename = "worstRating")]
    pub worst_rating: u8,
    /// The verdict word: `Supported`, `Contested`, `Contradicted` or `Unresolved`.
    #[serde(rename = "alternateName")]
    pub alternate_name: String,
    /// How the verdict follows from the evidence.
    #[serde(rename = "ratingExplanation")]
    pub rating_explanation: String,
}

/// An evidence passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quotation {
    /// `urn:papertrail:annotation:<id>`, the annotation in `annotations.jsonld`.
    #[serde(rename = "@id")]
    pub id: String,
    /// `Quotation`.
    #[serde(rename = "@type")]
    pub kind: String,
    /// The CiTO stance's IRI.
    #[serde(rename = "additionalType")]
    pub additional_type: String,
    /// The quote.
    pub text: String,
    /// The page.
    #[serde(rename = "pageStart")]
    pub page: u32,
    /// The paper version (`urn:sha256:`).
    #[serde(rename = "isPartOf")]
    pub is_part_of: String,
}

/// The verdict's word with a capital.
pub fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Supported => "Supported",
        Verdict::Contested => "Contested",
        Verdict::Contradicted => "Contradicted",
        Verdict::Unresolved => "Unresolved",
    }
}

/// The verdict for a label, any case.
pub fn verdict_from_label(s: &str) -> Option<Verdict> {
    match s.to_ascii_lowercase().as_str() {
        "supported" => Some(Verdict::Supported),
        "contested" => Some(Verdict::Contested),
        "contradicted" => Some(Verdict::Contradicted),
        "unresolved" => Some(Verdict::Unresolved),
        _ => None,
    }
}

fn rating(v: Verdict, s: u32, c: u32, x: u32) -> Rating {
    let value = match v {
        Verdict::Contradicted => Some(1),
        Verdict::Contested => Some(2),
        Verdict::Supported => Some(3),
        Verdict::Unresolved => None,
    };
    let n = |k: u32, one: &str, many: &str| if k == 1 { format!("1 {one}") } else { format!("{k} {many}") };
    Rating {
        kind: "Rating".into(),
        rating_value: value,
        best_rating: 3,
        worst_rating: 1,
        alternate_name: verdict_label(v).into(),
        rating_explanation: format!(
            "Derived from the evidence: {}, {}, {}.",
            n(s, "supporting passage", "supporting passages"),
            n(c, "contradicting passage", "contradicting passages"),
            n(x, "context passage", "context passages")
        ),
    }
}

/// Builds the document of a plan.
pub fn build(plan: &Plan) -> ClaimsDocument {
    let graph = plan
        .claims
        .iter()
        .map(|d| {
            let c = &d.claim;
            let citation: Vec<Quotation> = d
                .supports
                .iter()
                .chain(&d.contradicts)
                .chain(&d.context)
                .map(|e| Quotation {
                    id: format!("{ANNOTATION_IRI}{}", e.annotation.id),
                    kind: "Quotation".into(),
                    additional_type: format!("{CITO}{}", &cito_term(e.stance)["cito:".len()..]),
                    text: e.annotation.exact.clone(),
                    page: e.annotation.page,
                    is_part_of: format!("{SHA256_IRI}{}", e.annotation.version_sha256),
                })
                .collect();
            let modified = d
                .supports
                .iter()
                .chain(&d.contradicts)
                .chain(&d.context)
                .map(|e| e.annotation.updated_at.clone())
                .max()
                .unwrap_or_else(|| plan.created.clone());
            let source = c.source.trim();
            let is_url = source.starts_with("https://") || source.starts_with("http://");
            ClaimReview {
                id: format!("{CLAIM_IRI}{}#review", c.id),
                kind: "ClaimReview".into(),
                claim_reviewed: c.text.clone(),
                item_reviewed: ClaimItem {
                    id: format!("{CLAIM_IRI}{}", c.id),
                    kind: "Claim".into(),
                    text: c.text.clone(),
                    author: (!c.claimant.is_empty()).then(|| Named { name: c.claimant.clone() }),
                    date_published: c.date.clone(),
                    appearance: (!source.is_empty()).then(|| Appearance {
                        kind: "CreativeWork".into(),
                        name: (!is_url).then(|| source.to_string()),
                        url: is_url.then(|| source.to_string()),
                    }),
                    keywords: c.tags.clone(),
                },
                review_rating: rating(c.verdict, c.evidence.supports, c.evidence.contradicts, c.evidence.context),
                date_modified: modified,
                citation,
            }
        })
        .collect();
    ClaimsDocument { context: serde_json::json!("https://schema.org"), graph }
}

/// A claim as read back from a bundle.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleClaim {
    /// Id.
    pub id: String,
    /// Text.
    pub text: String,
    /// Claimant.
    pub claimant: String,
    /// Date, ISO in its precision.
    pub date: Option<String>,
    /// Source.
    pub source: String,
    /// Tags.
    pub tags: Vec<String>,
    /// The verdict the bundle states.
    pub verdict: Verdict,
}

/// Parses `claims.jsonld`, naming the review at fault.
pub fn parse(bytes: &[u8]) -> Result<Vec<BundleClaim>> {
    let doc: ClaimsDocument = serde_json::from_slice(bytes).map_err(|e| bad(FILE, e.to_string()))?;
    let mut out = Vec::new();
    for (i, r) in doc.graph.into_iter().enumerate() {
        let at = |m: String| bad(FILE, format!("review {} (`{}`): {m}", i + 1, r.id));
        if r.kind != "ClaimReview" {
            return Err(at(format!("@type is `{}`, expected ClaimReview", r.kind)));
        }
        let item = &r.item_reviewed;
        let id = item.id.strip_prefix(CLAIM_IRI).ok_or_else(|| at(format!("claim @id must start with {CLAIM_IRI}")))?;
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c)) {
            return Err(at(format!("claim id `{id}` must be lowercase letters, digits, `-`, `.` and `_`")));
        }
        let text = if item.text.trim().is_empty() { r.claim_reviewed.trim() } else { item.text.trim() };
        if text.is_empty() {
            return Err(at("the claim has no text".into()));
        }
        if let Some(d) = &item.date_published {
            crate::date::PartialDate::parse(d).map_err(|e| at(format!("datePublished: {e}")))?;
        }
        let verdict = verdict_from_label(&r.review_rating.alternate_name)
            .ok_or_else(|| at(format!("rating `{}` is not a verdict", r.review_rating.alternate_name)))?;
        out.push(BundleClaim {
            id: id.to_string(),
            text: text.to_string(),
            claimant: item.author.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
            date: item.date_published.clone(),
            source: item.appearance.as_ref().and_then(|a| a.url.clone().or_else(|| a.name.clone())).unwrap_or_default(),
            tags: item.keywords.clone(),
            verdict,
        });
    }
    Ok(out)
}
