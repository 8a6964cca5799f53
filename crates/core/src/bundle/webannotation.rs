//! `annotations.jsonld`: a W3C Web Annotation `AnnotationCollection` with one `Annotation` per
//! passage. The target is the paper version (`urn:sha256:<hex>`), selected by a PDF page
//! fragment (`page=N`, RFC 3778) refined by a `TextQuoteSelector` (exact, prefix, suffix)
//! and a `TextPositionSelector` (character offsets into that page's normalized text). The
//! body holds the note, tags, and for each claim a CiTO citation whose characterization is
//! the stance: `cito:supports`, `cito:disputes` or `cito:discusses`.
//!
//! An area annotation (a rectangle drawn on the page) refines the page by a
//! `FragmentSelector` conforming to W3C Media Fragments (`xywh=pixel:x,y,w,h`), one pixel per
//! PDF point of the page as displayed, from its top-left corner (see
//! [`Area`]). Reading a bundle brings in text passages;
//! area annotations are checked and counted but not imported.
//!
//! The same types serialize the file and read it back, so export and import agree.

use serde::{Deserialize, Serialize};

use super::plan::Plan;
use super::{bad, cito_term, stance_from_cito, ANNOTATION_IRI, CITO, CLAIM_IRI, PT_VOCAB, SHA256_IRI};
use crate::error::Result;
use crate::evidence::annotation::Area;
use crate::model::Stance;

/// The file name inside the bundle.
pub const FILE: &str = "annotations.jsonld";

/// The collection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnotationCollection {
    /// The W3C context plus the CiTO, schema.org and Papertrail prefixes.
    #[serde(rename = "@context")]
    pub context: serde_json::Value,
    /// Collection IRI.
    pub id: String,
    /// `AnnotationCollection`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Human-readable label.
    pub label: String,
    /// Number of annotations.
    pub total: usize,
    /// The one page holding every annotation.
    pub first: AnnotationPage,
}

/// A page of the collection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnotationPage {
    /// `AnnotationPage`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Index of the first item (0).
    #[serde(rename = "startIndex")]
    pub start_index: usize,
    /// The annotations.
    pub items: Vec<WebAnnotation>,
}

/// One passage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebAnnotation {
    /// `urn:papertrail:annotation:<id>`.
    pub id: String,
    /// `Annotation`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `linking` (evidence for claims), `commenting` (a note) or `highlighting`.
    pub motivation: String,
    /// Created, RFC 3339.
    pub created: String,
    /// Last modified, RFC 3339.
    pub modified: String,
    /// Note, tags and claim links.
    #[serde(default)]
    pub body: Vec<Body>,
    /// The passage.
    pub target: Target,
    /// Highlight colour in Papertrail.
    #[serde(rename = "pt:color", default)]
    pub color: String,
}

/// A body of an annotation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Body {
    /// The note (`purpose: commenting`) or a tag (`purpose: tagging`).
    TextualBody {
        /// `commenting` or `tagging`.
        purpose: String,
        /// The text.
        value: String,
        /// `text/plain`.
        format: String,
    },
    /// A CiTO citation: the paper version bears on a claim with a stance.
    #[serde(rename = "cito:Citation")]
    Citation {
        /// The paper version (`urn:sha256:`).
        #[serde(rename = "cito:hasCitingEntity")]
        citing: NodeRef,
        /// The claim.
        #[serde(rename = "cito:hasCitedEntity")]
        cited: ClaimNode,
        /// `cito:supports`, `cito:disputes` or `cito:discusses`.
        #[serde(rename = "cito:hasCitationCharacterization")]
        characterization: NodeRef,
        /// The note on the evidence link.
        #[serde(rename = "schema:description", default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
}

/// A reference to a node by IRI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeRef {
    /// The IRI.
    pub id: String,
}

/// The claim a citation bears on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimNode {
    /// `urn:papertrail:claim:<id>`.
    pub id: String,
    /// `schema:Claim`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The claim's text.
    #[serde(rename = "schema:text")]
    pub text: String,
}

/// The target: a paper version and the selectors of the passage in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// `SpecificResource`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `urn:sha256:<hex>` of the PDF bytes.
    pub source: String,
    /// The page, refined by the quote and the offsets.
    pub selector: PageSelector,
    /// Papertrail's id of the paper.
    #[serde(rename = "pt:paper")]
    pub paper: String,
    /// The text extractor that produced the page text the offsets count in.
    #[serde(rename = "pt:extractor")]
    pub extractor: String,
    /// Its version.
    #[serde(rename = "pt:extractorVersion")]
    pub extractor_version: String,
}

/// `FragmentSelector` for the PDF page (`page=N`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageSelector {
    /// `FragmentSelector`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `http://tools.ietf.org/rfc/rfc3778` (PDF fragment identifiers).
    #[serde(rename = "conformsTo")]
    pub conforms_to: String,
    /// `page=N`, 1-based.
    pub value: String,
    /// The quote and its position within the page's text.
    #[serde(rename = "refinedBy")]
    pub refined_by: Vec<TextSelector>,
}

/// The W3C Media Fragments specification, which an area's `FragmentSelector` conforms to.
pub const MEDIA_FRAGMENTS: &str = "http://www.w3.org/TR/media-frags/";

/// Selectors within a page: its text (quote and position) or an area of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum TextSelector {
    /// An area of the page: `xywh=pixel:x,y,w,h` in PDF points (one pixel per point).
    FragmentSelector {
        /// [`MEDIA_FRAGMENTS`].
        #[serde(rename = "conformsTo")]
        conforms_to: String,
        /// `xywh=pixel:x,y,w,h`.
        value: String,
    },
    /// The exact quote with about 32 characters before and after.
    TextQuoteSelector {
        /// The quote.
        exact: String,
        /// Text just before it.
        prefix: String,
        /// Text just after it.
        suffix: String,
    },
    /// Character (Unicode scalar) offsets into the page's normalized text, end exclusive.
    TextPositionSelector {
        /// Start.
        start: usize,
        /// End.
        end: usize,
    },
}

/// A passage as read back from a bundle, with its links.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// Annotation id (without the IRI prefix).
    pub id: String,
    /// Paper id.
    pub paper: String,
    /// Version sha256.
    pub sha256: String,
    /// 1-based page.
    pub page: u32,
    /// Quote.
    pub exact: String,
    /// Prefix.
    pub prefix: String,
    /// Suffix.
    pub suffix: String,
    /// Start offset (chars).
    pub start: usize,
    /// End offset (chars).
    pub end: usize,
    /// Extractor name.
    pub extractor: String,
    /// Extractor version.
    pub extractor_version: String,
    /// The note.
    pub note: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Colour.
    pub color: String,
    /// Created.
    pub created: String,
    /// Modified.
    pub modified: String,
    /// `(claim id, stance, link note)`.
    pub links: Vec<(String, Stance, String)>,
}

/// The media-fragments value of an area: `xywh=pixel:x,y,w,h`, numbers as short as they go.
pub fn xywh(a: &Area) -> String {
    format!("xywh=pixel:{},{},{},{}", a.x, a.y, a.w, a.h)
}

/// Reads `xywh=[pixel:]x,y,w,h` back (percent is refused: a page's size is not known here).
pub fn parse_xywh(value: &str) -> Option<Area> {
    let v = value.strip_prefix("xywh=")?;
    let v = v.strip_prefix("pixel:").unwrap_or(v);
    let n: Vec<f64> = v.split(',').map(|p| p.trim().parse::<f64>()).collect::<Result<_, _>>().ok()?;
    match n[..] {
        [x, y, w, h] if n.iter().all(|v| v.is_finite()) && x >= 0.0 && y >= 0.0 && w > 0.0 && h > 0.0 => {
            Some(Area { x, y, w, h })
        }
        _ => None,
    }
}

fn context() -> serde_json::Value {
    serde_json::json!([
        "http://www.w3.org/ns/anno.jsonld",
        {"cito": CITO, "schema": "https://schema.org/", "pt": PT_VOCAB}
    ])
}

/// Builds the collection of a plan.
pub fn build(plan: &Plan, bundle_id: &str) -> AnnotationCollection {
    let items: Vec<WebAnnotation> = plan
        .annotations
        .iter()
        .map(|pa| {
            let a = &pa.annotation;
            let source = format!("{SHA256_IRI}{}", a.version_sha256);
            let mut body = Vec::new();
            if !a.note.is_empty() {
                body.push(Body::TextualBody {
                    purpose: "commenting".into(),
                    value: a.note.clone(),
                    format: "text/plain".into(),
                });
            }
            for t in &a.tags {
                body.push(Body::TextualBody {
                    purpose: "tagging".into(),
                    value: t.clone(),
                    format: "text/plain".into(),
                });
            }
            for l in &pa.links {
                body.push(Body::Citation {
                    citing: NodeRef { id: source.clone() },
                    cited: ClaimNode {
                        id: format!("{CLAIM_IRI}{}", l.claim_id),
                        kind: "schema:Claim".into(),
                        text: l.claim_text.clone(),
                    },
                    characterization: NodeRef { id: cito_term(l.stance).into() },
                    note: l.note.clone(),
                });
            }
            let motivation = if !pa.links.is_empty() {
                "linking"
            } else if !a.note.is_empty() {
                "commenting"
            } else {
                "highlighting"
            };
            WebAnnotation {
                id: format!("{ANNOTATION_IRI}{}", a.id),
                kind: "Annotation".into(),
                motivation: motivation.into(),
                created: a.created_at.clone(),
                modified: a.updated_at.clone(),
                body,
                target: Target {
                    kind: "SpecificResource".into(),
                    source,
                    selector: PageSelector {
                        kind: "FragmentSelector".into(),
                        conforms_to: "http://tools.ietf.org/rfc/rfc3778".into(),
                        value: format!("page={}", a.page),
                        refined_by: match &a.area {
                            Some(area) => vec![TextSelector::FragmentSelector {
                                conforms_to: MEDIA_FRAGMENTS.into(),
                                value: xywh(area),
                            }],
                            None => vec![
                                TextSelector::TextQuoteSelector {
                                    exact: a.exact.clone(),
                                    prefix: a.prefix.clone(),
                                    suffix: a.suffix.clone(),
                                },
                                TextSelector::TextPositionSelector { start: a.start, end: a.end },
                            ],
                        },
                    },
                    paper: a.paper_id.clone(),
                    extractor: a.extractor.clone(),
                    extractor_version: a.extractor_version.clone(),
                },
                color: a.color.to_string(),
            }
        })
        .collect();
    AnnotationCollection {
        context: context(),
        id: format!("{bundle_id}:annotations"),
        kind: "AnnotationCollection".into(),
        label: format!("Papertrail evidence passages ({} annotations)", items.len()),
        total: items.len(),
        first: AnnotationPage { kind: "AnnotationPage".into(), start_index: 0, items },
    }
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Parses `annotations.jsonld` into passages, checking every field it needs and naming the
/// annotation at fault.
pub fn parse(bytes: &[u8]) -> Result<Vec<Passage>> {
    let c: AnnotationCollection = serde_json::from_slice(bytes).map_err(|e| bad(FILE, format!("{e}")))?;
    if c.kind != "AnnotationCollection" {
        return Err(bad(FILE, format!("type is `{}`, expected AnnotationCollection", c.kind)));
    }
    let mut out = Vec::new();
    let mut areas = 0;
    for (i, w) in c.first.items.into_iter().enumerate() {
        let at = |m: String| bad(FILE, format!("annotation {} (`{}`): {m}", i + 1, w.id));
        let id = w.id.strip_prefix(ANNOTATION_IRI).ok_or_else(|| at(format!("id must start with {ANNOTATION_IRI}")))?;
        if id.is_empty() || id.len() > 200 || id.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(at("the annotation id is empty or holds spaces or control characters".into()));
        }
        let sha = w
            .target
            .source
            .strip_prefix(SHA256_IRI)
            .ok_or_else(|| at(format!("target source must be {SHA256_IRI}<hex>")))?;
        if !is_sha256(sha) {
            return Err(at(format!("`{sha}` is not a lowercase hex sha256")));
        }
        let page: u32 = w
            .target
            .selector
            .value
            .strip_prefix("page=")
            .and_then(|p| p.parse().ok())
            .filter(|p| *p >= 1)
            .ok_or_else(|| at(format!("page selector `{}` is not page=N", w.target.selector.value)))?;
        let mut quote = None;
        let mut position = None;
        let mut area = None;
        for s in &w.target.selector.refined_by {
            match s {
                TextSelector::TextQuoteSelector { exact, prefix, suffix } => quote = Some((exact, prefix, suffix)),
                TextSelector::TextPositionSelector { start, end } => position = Some((*start, *end)),
                TextSelector::FragmentSelector { conforms_to, value } if conforms_to == MEDIA_FRAGMENTS => {
                    area = Some(parse_xywh(value).ok_or_else(|| {
                        at(format!("area selector `{value}` is not xywh=pixel:x,y,w,h with a width and a height"))
                    })?);
                }
                TextSelector::FragmentSelector { conforms_to, .. } => {
                    return Err(at(format!("a fragment selector conforming to `{conforms_to}` is not an area")));
                }
            }
        }
        if area.is_some() && quote.is_none() {
            // an area annotation: checked above, counted in `total`, not a text passage
            areas += 1;
            continue;
        }
        let (exact, prefix, suffix) = quote.ok_or_else(|| at("no TextQuoteSelector".into()))?;
        let (start, end) = position.ok_or_else(|| at("no TextPositionSelector".into()))?;
        if exact.trim().is_empty() || start >= end {
            return Err(at(format!("empty quote or bad offsets {start}..{end}")));
        }
        let mut p = Passage {
            id: id.to_string(),
            paper: w.target.paper.clone(),
            sha256: sha.to_string(),
            page,
            exact: exact.clone(),
            prefix: prefix.clone(),
            suffix: suffix.clone(),
            start,
            end,
            extractor: w.target.extractor.clone(),
            extractor_version: w.target.extractor_version.clone(),
            note: String::new(),
            tags: Vec::new(),
            color: w.color.clone(),
            created: w.created.clone(),
            modified: w.modified.clone(),
            links: Vec::new(),
        };
        for b in &w.body {
            match b {
                Body::TextualBody { purpose, value, .. } if purpose == "tagging" => p.tags.push(value.clone()),
                Body::TextualBody { value, .. } => p.note = value.clone(),
                Body::Citation { cited, characterization, note, .. } => {
                    let claim = cited
                        .id
                        .strip_prefix(CLAIM_IRI)
                        .ok_or_else(|| at(format!("cited entity `{}` is not a {CLAIM_IRI}<id>", cited.id)))?;
                    let stance = stance_from_cito(&characterization.id).ok_or_else(|| {
                        at(format!(
                            "`{}` is not a stance (cito:supports, cito:disputes, cito:discusses)",
                            characterization.id
                        ))
                    })?;
                    p.links.push((claim.to_string(), stance, note.clone()));
                }
            }
        }
        out.push(p);
    }
    if out.len() + areas != c.total {
        return Err(bad(
            FILE,
            format!("`total` says {} annotations but the collection holds {}", c.total, out.len() + areas),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_media_fragments_and_read_back() {
        let a = Area { x: 72.5, y: 100.0, w: 200.25, h: 50.0 };
        assert_eq!(xywh(&a), "xywh=pixel:72.5,100,200.25,50");
        assert_eq!(parse_xywh(&xywh(&a)), Some(a));
        assert_eq!(parse_xywh("xywh=1,2,3,4"), Some(Area { x: 1.0, y: 2.0, w: 3.0, h: 4.0 }));
        for bad in ["xywh=percent:1,2,3,4", "xywh=pixel:1,2,0,4", "xywh=pixel:1,2,3", "page=1", "xywh=pixel:-1,2,3,4"] {
            assert_eq!(parse_xywh(bad), None, "{bad}");
        }
    }
}
