//! Property tests for the bundle's round trips: format then parse, write then read.

use proptest::prelude::*;

use super::archive::{self, BundleArchive};
use super::plan::{Link, PaperRef, Plan, PlannedAnnotation};
use super::references::bibtex;
use super::webannotation;
use crate::evidence::annotation::Annotation;
use crate::model::Stance;

fn annotation(id: &str, exact: &str, prefix: &str, suffix: &str, note: &str, tags: Vec<String>) -> Annotation {
    Annotation {
        id: id.into(),
        paper_id: "paper".into(),
        version_sha256: "ab".repeat(32),
        page: 3,
        exact: exact.into(),
        prefix: prefix.into(),
        suffix: suffix.into(),
        start: 10,
        end: 10 + exact.chars().count(),
        extractor: "pdf-extract".into(),
        extractor_version: "0.12.1+n1".into(),
        note: note.into(),
        tags,
        color: crate::model::Colour::Green,
        orphaned: false,
        origin: "user".into(),
        claims: Vec::new(),
        area: None,
        created_at: "2025-01-27T10:00:00Z".into(),
        updated_at: "2025-01-28T10:00:00Z".into(),
    }
}

fn stance(i: u8) -> Stance {
    [Stance::Supports, Stance::Contradicts, Stance::Context][i as usize % 3]
}

proptest! {
    #[test]
    fn web_annotations_parse_back_to_what_was_written(
        exact in "\\PC{1,80}", prefix in "\\PC{0,32}", suffix in "\\PC{0,32}", note in "\\PC{0,40}",
        tags in proptest::collection::vec("[a-z0-9-]{1,10}", 0..3),
        links in proptest::collection::btree_map("[a-z0-9.-]{1,12}", (any::<u8>(), "\\PC{0,20}"), 0..3),
    ) {
        prop_assume!(!exact.trim().is_empty());
        let a = annotation("a-1", &exact, &prefix, &suffix, &note, tags.clone());
        let links: Vec<Link> = links
            .iter()
            .map(|(c, (s, n))| Link { claim_id: c.clone(), claim_text: format!("claim {c}"), stance: stance(*s), note: n.clone() })
            .collect();
        let plan = Plan {
            claims: Vec::new(),
            annotations: vec![PlannedAnnotation { annotation: a.clone(), links: links.clone() }],
            papers: Vec::new(),
            created: "2025-01-28T10:00:00Z".into(),
        };
        let bytes = serde_json::to_vec_pretty(&webannotation::build(&plan, "urn:papertrail:bundle:x")).unwrap();
        let back = webannotation::parse(&bytes).unwrap();
        prop_assert_eq!(back.len(), 1);
        let p = &back[0];
        prop_assert_eq!((&p.exact, &p.prefix, &p.suffix, &p.note), (&exact, &prefix, &suffix, &note));
        prop_assert_eq!((p.page, p.start, p.end), (a.page, a.start, a.end));
        prop_assert_eq!(&p.tags, &tags);
        let got: Vec<(String, Stance, String)> = p.links.clone();
        let want: Vec<(String, Stance, String)> = links.iter().map(|l| (l.claim_id.clone(), l.stance, l.note.clone())).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn bibtex_parses_with_biblatex_whatever_the_title(title in "\\PC{1,60}", year in 1990i32..2030) {
        prop_assume!(!title.trim().is_empty());
        let paper = PaperRef {
            doi: None,
            id: "some-paper".into(),
            title: title.clone(),
            date: Some(format!("{year}-05")),
            date_precision: None,
            arxiv_id: Some("2401.00001".into()),
            authors: vec!["DeepSeek-AI".into(), "Shao, Zhihong".into()],
            source_url: None,
            versions: Vec::new(),
        };
        let text = bibtex(&[paper]);
        let bib = biblatex::Bibliography::parse(&text).map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        let entry = bib.get("some-paper").expect("the key");
        prop_assert_eq!(entry.author().unwrap().len(), 2);
        prop_assert!(entry.title().is_ok());
    }

    #[test]
    fn a_written_zip_reads_back_byte_for_byte(
        texts in proptest::collection::btree_map(proptest::sample::select(archive::TEXT_FILES.to_vec()), proptest::collection::vec(any::<u8>(), 0..2000), 1..5),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.zip");
        let entries: Vec<(String, Vec<u8>)> = texts.iter().map(|(n, b)| (n.to_string(), b.clone())).collect();
        prop_assume!(entries.iter().all(|(_, b)| !b.starts_with(b"PK\x03\x04")));
        archive::write(&path, &entries, archive::zip_time("2025-01-28T10:00:00Z")).unwrap();
        let read = BundleArchive::read(&path).unwrap();
        let want: std::collections::BTreeMap<String, Vec<u8>> = entries.into_iter().collect();
        prop_assert_eq!(read.files, want);
    }

    #[test]
    fn html_escaping_leaves_no_markup(s in "\\PC{0,80}") {
        let e = super::cite::html_escape(&s);
        prop_assert!(!e.contains('<') && !e.contains('>') && !e.contains('"') && !e.contains('\''));
    }
}
