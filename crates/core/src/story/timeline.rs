//! The timeline of a library: the catalog's milestones and the library's own papers (those the
//! catalog does not know) at their dates, with lineage from the catalog's `leads_to` and from
//! citations between library papers, a window that fits the data, and the lineage path that
//! leads to a focus entry marked.

use std::collections::{BTreeSet, HashMap, HashSet};

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::date::PartialDate;
use crate::error::{Error, Result};
use crate::library::Library;
use crate::model::{DatePrecision, MilestoneKind};
use crate::story::catalog::CatalogInfo;

/// One entry of the timeline: a catalog milestone, or a paper of the library the catalog does
/// not know.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// Id: the milestone's, or the paper's for a library paper.
    pub id: String,
    /// ISO date in its precision (`2024-05-07`, `2023-07`); `None` for a paper without a date,
    /// which is listed as undated rather than placed at a false date.
    pub date: Option<String>,
    /// Precision of the date; `None` when undated.
    pub precision: Option<DatePrecision>,
    /// Title.
    pub title: String,
    /// A short name for legends and buttons (the catalog's `short`, else from the title).
    pub short: String,
    /// Kind (`paper` for a library paper).
    pub kind: MilestoneKind,
    /// Where the entry comes from: `catalog` (a milestone) or `library` (a paper of the library).
    pub origin: String,
    /// Linked papers.
    pub papers: Vec<String>,
    /// Linked claims.
    pub claims: Vec<String>,
    /// Entries this one led to: the catalog's lineage and the entries whose papers cite this
    /// entry's papers.
    pub leads_to: Vec<String>,
    /// The part of `leads_to` that comes from citations between library papers.
    pub cited_by: Vec<String>,
    /// Whether this entry is on the path that leads to the focus entry.
    pub on_path: bool,
    /// Which of `papers` have an imported PDF.
    pub imported: Vec<String>,
}

/// The timeline as the app shows it: the catalog's words, the entries, the window and the focus.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// The loaded catalog: its name and the words it gives the app.
    pub catalog: CatalogInfo,
    /// Dated entries in date order, then the undated ones.
    pub entries: Vec<TimelineEntry>,
    /// First day of the window holding every dated entry with a margin (ISO); `None` when
    /// nothing is dated.
    pub start: Option<String>,
    /// First day after the window (ISO); `None` when nothing is dated.
    pub end: Option<String>,
    /// The entry the highlighted lineage path leads to: the one asked for, else the catalog's
    /// focus, else the latest entry that builds on another, else the latest entry.
    pub focus: Option<String>,
}

/// An entry with its parsed date, while the timeline is built.
struct Draft {
    date: Option<PartialDate>,
    entry: TimelineEntry,
}

impl Library {
    /// The timeline up to `until` (inclusive; undated papers are left out when it is given),
    /// with the path to `focus` (an entry id; by default see [`Timeline::focus`]) marked.
    pub fn timeline(&self, until: Option<&str>, focus: Option<&str>) -> Result<Timeline> {
        let until = until.map(|u| PartialDate::parse(u).map_err(|e| Error::invalid("until", e))).transpose()?;
        let mut drafts = self.catalog_milestones()?;
        let milestone_ids: HashSet<String> = drafts.iter().map(|d| d.entry.id.clone()).collect();
        // The library's own papers: imported, and not in the catalog.
        let mut entry_of_paper: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, d) in drafts.iter().enumerate() {
            for p in &d.entry.papers {
                entry_of_paper.entry(p.clone()).or_default().push(i);
            }
        }
        for p in self.papers()? {
            if p.in_catalog || p.versions.is_empty() {
                continue;
            }
            let date = p.date.as_deref().and_then(|d| PartialDate::parse(d).ok());
            let id = if milestone_ids.contains(&p.id) { format!("{}.paper", p.id) } else { p.id.clone() };
            entry_of_paper.entry(p.id.clone()).or_default().push(drafts.len());
            drafts.push(Draft {
                date,
                entry: TimelineEntry {
                    id,
                    date: date.map(|d| d.to_iso()),
                    precision: date.map(|d| d.precision()),
                    short: short_name(&p.title),
                    title: p.title,
                    kind: MilestoneKind::Paper,
                    origin: "library".into(),
                    papers: vec![p.id.clone()],
                    claims: Vec::new(),
                    leads_to: Vec::new(),
                    cited_by: Vec::new(),
                    on_path: false,
                    imported: vec![p.id],
                },
            });
        }
        // Lineage from citations: the cited paper's entry leads to the citing paper's entry,
        // forward in time as the catalog's lineage is. Between two of the catalog's milestones
        // the catalog's own lineage stands: its authors chose it.
        for (citing, cited) in self.citations()? {
            let (Some(from), Some(to)) = (entry_of_paper.get(&cited), entry_of_paper.get(&citing)) else { continue };
            for &a in from {
                for &b in to {
                    let (Some(da), Some(db)) = (drafts[a].date, drafts[b].date) else { continue };
                    let both_catalog = drafts[a].entry.origin == "catalog" && drafts[b].entry.origin == "catalog";
                    if a == b || both_catalog || db.sort_key() < da.sort_key() {
                        continue;
                    }
                    let target = drafts[b].entry.id.clone();
                    let e = &mut drafts[a].entry;
                    if !e.cited_by.contains(&target) {
                        e.cited_by.push(target.clone());
                    }
                    if !e.leads_to.contains(&target) {
                        e.leads_to.push(target);
                    }
                }
            }
        }
        let imported = self.imported_paper_ids()?;
        for d in &mut drafts {
            d.entry.imported = d.entry.papers.iter().filter(|p| imported.contains(*p)).cloned().collect();
        }
        let focus = match focus {
            Some(f) if !drafts.iter().any(|d| d.entry.id == f) => {
                return Err(Error::NotFound { kind: "milestone", id: f.to_string() })
            }
            Some(f) => Some(f.to_string()),
            None => {
                self.catalog().focus.clone().filter(|f| milestone_ids.contains(f)).or_else(|| default_focus(&drafts))
            }
        };
        if let Some(f) = &focus {
            let on = ancestors(&drafts, f);
            for d in &mut drafts {
                d.entry.on_path = on.contains(&d.entry.id);
            }
        }
        drafts.sort_by(|a, b| {
            let key = |d: &Draft| d.date.map(|d| d.sort_key());
            (a.date.is_none(), key(a)).cmp(&(b.date.is_none(), key(b))).then_with(|| a.entry.id.cmp(&b.entry.id))
        });
        if let Some(u) = until {
            drafts.retain(|d| d.date.is_some_and(|d| d.sort_key() <= u.sort_key()));
        }
        let (start, end) = window(drafts.iter().filter_map(|d| d.date)).unzip();
        Ok(Timeline {
            catalog: self.catalog().info(),
            entries: drafts.into_iter().map(|d| d.entry).collect(),
            start,
            end,
            focus,
        })
    }

    /// The current catalog's milestones as stored (a library may have used another catalog before).
    fn catalog_milestones(&self) -> Result<Vec<Draft>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT id, date, date_precision, kind, title, papers, claims, leads_to FROM milestones")?;
        let rows = stmt.query_map([], |r| {
            let date: String = r.get(1)?;
            let kind: String = r.get(3)?;
            let list = |i: usize| -> rusqlite::Result<Vec<String>> {
                let s: String = r.get(i)?;
                Ok(serde_json::from_str(&s).unwrap_or_default())
            };
            let title: String = r.get(4)?;
            Ok(Draft {
                date: PartialDate::parse(&date).ok(),
                entry: TimelineEntry {
                    id: r.get(0)?,
                    date: Some(date),
                    precision: Some(r.get(2)?),
                    short: String::new(),
                    title,
                    kind: kind.parse().unwrap_or(MilestoneKind::Event),
                    origin: "catalog".into(),
                    papers: list(5)?,
                    claims: list(6)?,
                    leads_to: list(7)?,
                    cited_by: Vec::new(),
                    on_path: false,
                    imported: Vec::new(),
                },
            })
        })?;
        let mut drafts = Vec::new();
        for d in rows {
            let mut d = d?;
            let Some(m) = self.catalog().milestones.iter().find(|m| m.id == d.entry.id) else { continue };
            d.entry.short = m.short.clone().unwrap_or_else(|| short_name(&d.entry.title));
            drafts.push(d);
        }
        Ok(drafts)
    }

    /// Citations between library papers as (citing, cited) paper ids; none until the library
    /// has a citation table.
    fn citations(&self) -> Result<Vec<(String, String)>> {
        let conn = self.conn();
        let exists = conn
            .query_row("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'citations'", [], |_| Ok(()))
            .optional()?
            .is_some();
        if !exists {
            return Ok(Vec::new());
        }
        let mut stmt = conn.prepare(
            "SELECT DISTINCT paper_id, cited_id FROM citations WHERE cited_id IS NOT NULL ORDER BY paper_id, cited_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    fn imported_paper_ids(&self) -> Result<BTreeSet<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT DISTINCT paper_id FROM versions")?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(ids)
    }
}

/// Everything from which `focus` can be reached along `leads_to`, `focus` included.
fn ancestors(drafts: &[Draft], focus: &str) -> BTreeSet<String> {
    let mut parents: HashMap<&str, Vec<&str>> = HashMap::new();
    for d in drafts {
        for t in &d.entry.leads_to {
            parents.entry(t.as_str()).or_default().push(d.entry.id.as_str());
        }
    }
    let mut on = BTreeSet::new();
    let mut stack = vec![focus];
    while let Some(id) = stack.pop() {
        if on.insert(id.to_string()) {
            stack.extend(parents.get(id).into_iter().flatten());
        }
    }
    on
}

/// The focus when none is named: the latest dated entry that something leads to, else the
/// latest dated entry.
fn default_focus(drafts: &[Draft]) -> Option<String> {
    let led_to: HashSet<&str> = drafts.iter().flat_map(|d| d.entry.leads_to.iter().map(String::as_str)).collect();
    let latest = |only_led_to: bool| {
        drafts
            .iter()
            .filter(|d| d.date.is_some() && (!only_led_to || led_to.contains(d.entry.id.as_str())))
            .max_by(|a, b| {
                let key = |d: &Draft| d.date.map(|x| x.sort_key());
                key(a).cmp(&key(b)).then_with(|| b.entry.id.cmp(&a.entry.id))
            })
            .map(|d| d.entry.id.clone())
    };
    latest(true).or_else(|| latest(false))
}

/// Months since year 0 of the first and last month a date can mean.
fn month_span(d: &PartialDate) -> (i64, i64) {
    let y = i64::from(d.year) * 12;
    match d.month {
        Some(m) => (y + i64::from(m) - 1, y + i64::from(m) - 1),
        None => (y, y + 11),
    }
}

fn first_of_month(months: i64) -> String {
    format!("{:04}-{:02}-01", months.div_euclid(12), months.rem_euclid(12) + 1)
}

/// The window `[start, end)` holding every date, whole months, with a margin of a month or a
/// twenty-fifth of the span, whichever is more.
fn window(dates: impl Iterator<Item = PartialDate>) -> Option<(String, String)> {
    let (lo, hi) = dates
        .map(|d| month_span(&d))
        .fold(None, |acc: Option<(i64, i64)>, (a, b)| Some(acc.map_or((a, b), |(lo, hi)| (lo.min(a), hi.max(b)))))?;
    let margin = ((hi - lo) / 25).max(1);
    Some((first_of_month(lo - margin), first_of_month(hi + margin + 1)))
}

/// A short name for a title: the part before a colon when that is short, else the title cut at
/// a word boundary.
pub(crate) fn short_name(title: &str) -> String {
    const MAX: usize = 28;
    let title = title.trim();
    if let Some((head, _)) = title.split_once(':') {
        let head = head.trim();
        if !head.is_empty() && head.chars().count() <= MAX {
            return head.to_string();
        }
    }
    if title.chars().count() <= MAX {
        return title.to_string();
    }
    let mut out = String::new();
    for w in title.split_whitespace() {
        if out.chars().count() + w.chars().count() + 1 > MAX - 1 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    if out.is_empty() {
        out = title.chars().take(MAX - 1).collect();
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::catalog::Catalog;

    fn date(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    #[test]
    fn the_window_fits_the_dates_with_a_margin() {
        // The bundled catalog's span gives the window it always had.
        let w = window([date("2023-07"), date("2024-05-07"), date("2025-01-28")].into_iter());
        assert_eq!(w, Some(("2023-06-01".into(), "2025-03-01".into())));
        // Year precision covers its whole year; long spans get a wider margin.
        let w = window([date("1948"), date("2014-03")].into_iter()).unwrap();
        assert_eq!(w, ("1945-06-01".into(), "2016-11-01".into()));
        assert_eq!(window(std::iter::empty()), None);
        assert_eq!(window([date("2020-02-29")].into_iter()), Some(("2020-01-01".into(), "2020-04-01".into())));
    }

    #[test]
    fn short_names() {
        assert_eq!(short_name("DeepSeek-V3: a 671B MoE"), "DeepSeek-V3");
        assert_eq!(short_name("Tor"), "Tor");
        let s = short_name("In Search of an Understandable Consensus Algorithm (Extended Version)");
        assert!(s.ends_with('…') && s.chars().count() <= 28, "{s}");
        assert!(s.starts_with("In Search of an"), "{s}");
    }

    fn lab_catalog() -> Catalog {
        Catalog::parse(
            "lab.toml",
            "[catalog]\nid = \"lab\"\nname = \"A lab\"\n\n[[papers]]\nid = \"p1\"\ntitle = \"First: things\"\ndate = \"2020-03\"\n\n[[milestones]]\nid = \"m1\"\ndate = \"2020-03-02\"\nkind = \"paper\"\ntitle = \"First\"\npapers = [\"p1\"]\n",
        )
        .unwrap()
    }

    /// Adds an imported paper the catalog does not know (a version row without pages).
    fn add_paper(lib: &Library, id: &str, title: &str, date: Option<&str>) {
        let conn = lib.conn();
        let precision = date.map(|d| PartialDate::parse(d).unwrap().precision());
        conn.execute(
            "INSERT INTO papers (id, title, date, date_precision, authors, in_catalog, created_at) VALUES (?1, ?2, ?3, ?4, '[]', 0, '2025-01-01T00:00:00Z')",
            rusqlite::params![id, title, date, precision],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO versions (sha256, paper_id, pages, imported_at, file_name, size, extractor, extractor_version) VALUES (?1, ?2, 1, '2025-01-01T00:00:00Z', 'f.pdf', 1, 'test', '0')",
            rusqlite::params![format!("{id:0>64}"), id],
        )
        .unwrap();
    }

    /// The citation table as migration 0004 defines it, when this build's migrations lack it.
    fn cite(lib: &Library, citing: &str, cited: &str) {
        let conn = lib.conn();
        conn.execute_batch("CREATE TABLE IF NOT EXISTS citations (paper_id TEXT NOT NULL, cited_id TEXT, via TEXT)")
            .unwrap();
        conn.execute(
            "INSERT INTO citations (paper_id, cited_id, via) VALUES (?1, ?2, 'test')",
            rusqlite::params![citing, cited],
        )
        .unwrap();
    }

    #[test]
    fn library_papers_join_the_catalog_with_lineage_from_citations() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open_with_catalog(dir.path(), Some(lab_catalog())).unwrap();
        add_paper(&lib, "older", "An Older Paper", Some("2019-05-01"));
        add_paper(&lib, "newer", "A Newer Paper: on things", Some("2022"));
        add_paper(&lib, "undated", "A Paper Without A Date", None);
        add_paper(&lib, "m1", "Same id as the milestone", Some("2021-01"));
        cite(&lib, "newer", "older"); // newer cites older: older leads to newer
        cite(&lib, "newer", "p1"); // a catalog paper: its milestone leads to newer
        cite(&lib, "older", "newer"); // backwards in time: not lineage
        cite(&lib, "undated", "older"); // undated: listed, not linked
        let t = lib.timeline(None, None).unwrap();
        let ids: Vec<&str> = t.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["older", "m1", "m1.paper", "newer", "undated"]);
        let get = |id: &str| t.entries.iter().find(|e| e.id == id).unwrap();
        assert_eq!(get("older").leads_to, ["newer"]);
        assert_eq!(get("older").cited_by, ["newer"]);
        assert_eq!(get("m1").leads_to, ["newer"]);
        assert!(get("newer").leads_to.is_empty(), "a citation backwards in time is no lineage");
        assert_eq!(get("undated").date, None);
        assert_eq!(get("undated").precision, None);
        assert_eq!(get("newer").kind, MilestoneKind::Paper);
        assert_eq!(get("newer").origin, "library");
        assert_eq!(get("newer").short, "A Newer Paper");
        assert_eq!(get("m1.paper").papers, ["m1"]);
        // No focus in the catalog: the latest entry something leads to.
        assert_eq!(t.focus.as_deref(), Some("newer"));
        let on: Vec<&str> = t.entries.iter().filter(|e| e.on_path).map(|e| e.id.as_str()).collect();
        assert_eq!(on, ["older", "m1", "newer"]);
        assert_eq!((t.start.as_deref(), t.end.as_deref()), (Some("2019-04-01"), Some("2023-02-01")));
        // Any entry can be the focus; an unknown one is refused by name.
        let t = lib.timeline(None, Some("m1.paper")).unwrap();
        assert_eq!(t.entries.iter().filter(|e| e.on_path).count(), 1);
        let e = lib.timeline(None, Some("nope")).unwrap_err().to_string();
        assert_eq!(e, "unknown milestone `nope`");
        // `until` leaves the undated out and narrows the window.
        let t = lib.timeline(Some("2020-12"), None).unwrap();
        let ids: Vec<&str> = t.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["older", "m1"]);
        assert_eq!(t.end.as_deref(), Some("2020-05-01"));
    }

    #[test]
    fn without_citations_or_lineage_the_latest_entry_is_the_focus() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open_with_catalog(dir.path(), Some(lab_catalog())).unwrap();
        add_paper(&lib, "later", "Later", Some("2024-01-01"));
        let t = lib.timeline(None, None).unwrap();
        assert_eq!(t.focus.as_deref(), Some("later"));
        assert_eq!(t.catalog.name, "A lab");
    }

    #[test]
    fn between_the_catalogs_own_milestones_its_lineage_stands() {
        let catalog = Catalog::parse(
            "lab.toml",
            "[catalog]\nid = \"lab\"\nname = \"A lab\"\n[[papers]]\nid = \"p1\"\ntitle = \"One\"\n[[papers]]\nid = \"p2\"\ntitle = \"Two\"\n\n[[milestones]]\nid = \"m1\"\ndate = \"2020-03\"\nkind = \"paper\"\ntitle = \"One\"\npapers = [\"p1\"]\n[[milestones]]\nid = \"m2\"\ndate = \"2020-06\"\nkind = \"release\"\ntitle = \"Two\"\nshort = \"Two!\"\npapers = [\"p2\"]\n",
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open_with_catalog(dir.path(), Some(catalog)).unwrap();
        add_paper(&lib, "mine", "Mine", Some("2021"));
        cite(&lib, "p2", "p1");
        cite(&lib, "mine", "p2");
        let t = lib.timeline(None, None).unwrap();
        let get = |id: &str| t.entries.iter().find(|e| e.id == id).unwrap();
        assert!(get("m1").leads_to.is_empty(), "{:?}", get("m1"));
        assert_eq!(get("m2").leads_to, ["mine"]);
        assert_eq!(get("m2").short, "Two!");
        assert_eq!(t.focus.as_deref(), Some("mine"));
    }
}
