//! `report.md` and `report.html`: per claim its verdict and each quoted passage with its page
//! and a citation in the chosen CSL style, then the reference list. The HTML escapes all
//! text and links nothing but http(s) addresses.

use super::cite::{self, Cite, Formatted};
use super::claimreview::verdict_label;
use super::plan::Plan;
use super::CitationStyle;
use crate::error::Result;
use crate::evidence::claims::Evidence;

/// The two reports.
pub struct Reports {
    /// Markdown.
    pub markdown: String,
    /// A standalone HTML page.
    pub html: String,
}

/// Escapes Markdown's inline syntax characters.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_[]<>|~".contains(c) {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

fn groups(d: &crate::evidence::claims::ClaimDetail) -> [(&'static str, &Vec<Evidence>); 3] {
    [("Supporting", &d.supports), ("Contradicting", &d.contradicts), ("Context", &d.context)]
}

/// Writes both reports.
pub fn build(plan: &Plan, style: CitationStyle) -> Result<Reports> {
    // Citations in report order: claims, then groups, then passages; then the other annotations.
    let mut cites = Vec::new();
    for d in &plan.claims {
        for (_, evs) in groups(d) {
            for e in evs {
                cites.push(Cite { key: e.annotation.paper_id.clone(), page: e.annotation.page });
            }
        }
    }
    let unlinked: Vec<_> = plan.annotations.iter().filter(|a| a.links.is_empty()).collect();
    for a in &unlinked {
        cites.push(Cite { key: a.annotation.paper_id.clone(), page: a.annotation.page });
    }
    let f: Formatted = cite::format(style, &plan.papers, &cites)?;
    let mut md = String::new();
    let mut html = String::new();
    let title =
        format!("Papertrail evidence report: {} claims, {} passages", plan.claims.len(), plan.annotations.len());
    md.push_str(&format!(
        "# {}\n\nCitation style: {}. Exported data as of {}.\n\n",
        md_escape(&title),
        f.style_name,
        plan.created
    ));
    html.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>\n\
         body {{ font-family: Georgia, serif; max-width: 46em; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #222; }}\n\
         blockquote {{ border-left: 3px solid #999; margin: 0.5em 0; padding: 0.2em 1em; background: #f7f7f7; }}\n\
         .verdict {{ font-weight: bold; }} .cite {{ color: #555; }} .note {{ color: #444; font-style: italic; }}\n\
         .references li {{ margin-bottom: 0.5em; padding-left: 2em; text-indent: -2em; list-style: none; }}\n\
         </style>\n</head>\n<body>\n<h1>{t}</h1>\n<p>Citation style: {s}. Exported data as of {c}.</p>\n",
        t = cite::html_escape(&title),
        s = cite::html_escape(f.style_name),
        c = cite::html_escape(&plan.created)
    ));
    let mut n = 0;
    let mut passage = |md: &mut String,
                       html: &mut String,
                       e: &crate::evidence::annotation::Annotation,
                       link_note: &str,
                       paper: &str| {
        let citation = &f.citations[n];
        n += 1;
        let paragraphs: Vec<&str> = e.exact.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
        let md_quote: Vec<String> = paragraphs.iter().map(|p| md_escape(p)).collect();
        let html_quote: Vec<String> = paragraphs.iter().map(|p| format!("<p>{}</p>", cite::html_escape(p))).collect();
        md.push_str(&format!(
            "> {}\n>\n> — {}, p. {} {}\n\n",
            md_quote.join("\n>\n> "),
            md_escape(paper),
            e.page,
            md_escape(&cite::plain(citation))
        ));
        html.push_str(&format!(
            "<blockquote id=\"{id}\">{q}<p class=\"cite\">— {p}, p. {page} {c}</p></blockquote>\n",
            id = cite::html_escape(&e.id),
            q = html_quote.join(""),
            p = cite::html_escape(paper),
            page = e.page,
            c = cite::html(citation)
        ));
        if !e.note.is_empty() {
            md.push_str(&format!("*Note:* {}\n\n", md_escape(&e.note)));
            html.push_str(&format!("<p class=\"note\">Note: {}</p>\n", cite::html_escape(&e.note)));
        }
        if !link_note.is_empty() && link_note != e.note {
            md.push_str(&format!("*Bearing on the claim:* {}\n\n", md_escape(link_note)));
            html.push_str(&format!("<p class=\"note\">Bearing on the claim: {}</p>\n", cite::html_escape(link_note)));
        }
    };
    let title_of = |id: &str| plan.paper(id).map(|p| p.title.clone()).unwrap_or_else(|| id.to_string());
    for d in &plan.claims {
        let c = &d.claim;
        let who = if c.claimant.is_empty() { "unknown claimant".to_string() } else { c.claimant.clone() };
        let when = c.date.clone().unwrap_or_else(|| "undated".into());
        md.push_str(&format!("## {}\n\n", md_escape(&c.text)));
        md.push_str(&format!(
            "Claim `{}` · {} · {}{}\n\n**Verdict: {}** ({} supporting, {} contradicting, {} context)\n\n",
            c.id.replace('`', ""),
            md_escape(&who),
            md_escape(&when),
            if c.source.is_empty() { String::new() } else { format!(" · {}", md_escape(&c.source)) },
            verdict_label(c.verdict),
            c.evidence.supports,
            c.evidence.contradicts,
            c.evidence.context
        ));
        html.push_str(&format!(
            "<section id=\"claim-{id}\">\n<h2>{t}</h2>\n<p>Claim <code>{id}</code> · {w} · {d}{s}</p>\n\
             <p class=\"verdict\">Verdict: {v} ({a} supporting, {b} contradicting, {x} context)</p>\n",
            id = cite::html_escape(&c.id),
            t = cite::html_escape(&c.text),
            w = cite::html_escape(&who),
            d = cite::html_escape(&when),
            s = if c.source.is_empty() { String::new() } else { format!(" · {}", cite::html_escape(&c.source)) },
            v = verdict_label(c.verdict),
            a = c.evidence.supports,
            b = c.evidence.contradicts,
            x = c.evidence.context
        ));
        if groups(d).iter().all(|(_, evs)| evs.is_empty()) {
            md.push_str("No passage is linked to this claim yet.\n\n");
            html.push_str("<p>No passage is linked to this claim yet.</p>\n");
        }
        for (label, evs) in groups(d) {
            if evs.is_empty() {
                continue;
            }
            md.push_str(&format!("### {label}\n\n"));
            html.push_str(&format!("<h3>{label}</h3>\n"));
            for e in evs {
                passage(&mut md, &mut html, &e.annotation, &e.note, &title_of(&e.annotation.paper_id));
            }
        }
        html.push_str("</section>\n");
    }
    if !unlinked.is_empty() {
        md.push_str("## Other annotations\n\n");
        html.push_str("<section>\n<h2>Other annotations</h2>\n");
        for a in &unlinked {
            let a = &a.annotation;
            passage(&mut md, &mut html, a, "", &title_of(&a.paper_id));
        }
        html.push_str("</section>\n");
    }
    md.push_str("## References\n\n");
    html.push_str("<section class=\"references\">\n<h2>References</h2>\n<ul>\n");
    if f.bibliography.is_empty() {
        md.push_str("No papers are cited.\n");
        html.push_str("<li>No papers are cited.</li>\n");
    }
    for r in &f.bibliography {
        md.push_str(&format!("- {}\n", md_escape(&cite::plain(r))));
        html.push_str(&format!("<li>{}</li>\n", cite::html(r)));
    }
    html.push_str("</ul>\n</section>\n</body>\n</html>\n");
    Ok(Reports { markdown: md, html })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_syntax_in_text_is_escaped() {
        assert_eq!(md_escape("*bold* [link](x) <b>"), "\\*bold\\* \\[link\\](x) \\<b\\>");
    }
}
