//! `ro-crate-metadata.json`: RO-Crate 1.2 metadata describing the package, every file in it
//! and every cited paper (with the versions, by sha256, that the passages quote).

use serde_json::{json, Value};

use super::plan::Plan;
use super::SHA256_IRI;

/// The file name inside the bundle.
pub const FILE: &str = "ro-crate-metadata.json";

/// What a file is, for its data entity.
fn describe(name: &str) -> (&'static str, &'static str, &'static str) {
    match name {
        "manifest.json" => ("Bundle manifest", "application/json", "Format, version and selection of this Papertrail bundle."),
        "references.json" => ("References (CSL-JSON)", "application/vnd.citationstyles.csl+json", "The cited papers as CSL-JSON items."),
        "references.bib" => ("References (BibTeX)", "application/x-bibtex", "The cited papers as BibTeX entries."),
        "references.ris" => ("References (RIS)", "application/x-research-info-systems", "The cited papers as RIS records."),
        "annotations.jsonld" => (
            "Evidence passages (W3C Web Annotation)",
            "application/ld+json; profile=\"http://www.w3.org/ns/anno.jsonld\"",
            "Every quoted passage as a Web Annotation anchored in its paper version by sha256, page, quote and offsets.",
        ),
        "claims.jsonld" => ("Claim reviews (schema.org)", "application/ld+json", "One ClaimReview per claim with its derived verdict."),
        "report.md" => ("Report (Markdown)", "text/markdown", "Claims, verdicts and quoted passages with formatted citations."),
        "report.html" => ("Report (HTML)", "text/html", "Claims, verdicts and quoted passages with formatted citations."),
        _ => ("PDF of a cited paper", "application/pdf", "The exact PDF the passages quote, named by its sha256."),
    }
}

/// Builds the metadata for files of the given sizes (every file of the zip but this one).
pub fn build(plan: &Plan, files: &[(String, u64)], bundle_id: &str) -> Value {
    let mut graph = vec![
        json!({
            "@id": FILE,
            "@type": "CreativeWork",
            "conformsTo": {"@id": "https://w3id.org/ro/crate/1.2"},
            "about": {"@id": "./"}
        }),
        json!({
            "@id": "./",
            "@type": "Dataset",
            "identifier": bundle_id,
            "name": format!("Papertrail citation bundle: {} claims, {} passages", plan.claims.len(), plan.annotations.len()),
            "description": "Claims, the evidence passages that bear on them and the papers they cite, exported by Papertrail. \
                            Every passage can be checked against the PDFs with `papertrail verify`.",
            "datePublished": plan.created,
            "license": {"@id": "#license"},
            "hasPart": files.iter().map(|(n, _)| json!({"@id": n})).collect::<Vec<_>>(),
            "mentions": plan.papers.iter().map(|p| json!({"@id": paper_iri(p)})).collect::<Vec<_>>()
        }),
        json!({
            "@id": "#license",
            "@type": "CreativeWork",
            "name": "Mixed: quoted passages under their papers' licenses",
            "description": "Quoted passages remain under the licenses of the papers they come from; the claims, notes and \
                            metadata are the exporter's."
        }),
    ];
    for (name, size) in files {
        let (title, format, description) = describe(name);
        let mut e = json!({
            "@id": name,
            "@type": "File",
            "name": title,
            "description": description,
            "encodingFormat": format,
            "contentSize": size.to_string()
        });
        if let Some(sha) = name.strip_prefix("pdfs/").and_then(|n| n.strip_suffix(".pdf")) {
            e["about"] = json!({"@id": format!("{SHA256_IRI}{sha}")});
        }
        graph.push(e);
    }
    for p in &plan.papers {
        let mut e = json!({
            "@id": paper_iri(p),
            "@type": "ScholarlyArticle",
            "name": p.title,
            "identifier": p.id,
            "author": p.authors.iter().map(|a| json!({"@id": format!("#author-{}", slug(a))})).collect::<Vec<_>>(),
            "hasPart": p.versions.iter().map(|v| json!({"@id": format!("{SHA256_IRI}{}", v.sha256)})).collect::<Vec<_>>()
        });
        if let Some(d) = &p.date {
            e["datePublished"] = json!(d);
        }
        if let Some(a) = &p.arxiv_id {
            e["sameAs"] = json!(format!("https://doi.org/10.48550/arXiv.{a}"));
        }
        graph.push(e);
        for v in &p.versions {
            graph.push(json!({
                "@id": format!("{SHA256_IRI}{}", v.sha256),
                "@type": "CreativeWork",
                "name": format!("{} (PDF, sha256 {}…)", p.title, &v.sha256[..12.min(v.sha256.len())]),
                "encodingFormat": "application/pdf",
                "contentSize": v.size.to_string(),
                "numberOfPages": v.pages,
                "isPartOf": {"@id": paper_iri(p)}
            }));
        }
    }
    let mut authors: Vec<&String> = plan.papers.iter().flat_map(|p| &p.authors).collect();
    authors.sort();
    authors.dedup();
    for a in authors {
        let kind = match super::references::csl_name(a) {
            super::references::CslName::Person { .. } => "Person",
            super::references::CslName::Literal { .. } => "Organization",
        };
        graph.push(json!({"@id": format!("#author-{}", slug(a)), "@type": kind, "name": a}));
    }
    json!({"@context": "https://w3id.org/ro/crate/1.2/context", "@graph": graph})
}

fn paper_iri(p: &super::plan::PaperRef) -> String {
    match &p.arxiv_id {
        Some(a) => format!("https://arxiv.org/abs/{a}"),
        None => format!("#paper-{}", p.id),
    }
}

fn slug(s: &str) -> String {
    s.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}
