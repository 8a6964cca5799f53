//! The timeline: milestones in date order, with the lineage path that leads to a chosen
//! milestone (by default the catalog's focus, the R1 release) marked.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::date::PartialDate;
use crate::error::{Error, Result};
use crate::library::{parse_precision, Library};
use crate::model::{DatePrecision, MilestoneKind};

/// One milestone as the timeline shows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// Id.
    pub id: String,
    /// ISO date in its precision (`2024-05-07`, `2023-07`).
    pub date: String,
    /// Precision of the date.
    pub precision: DatePrecision,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: MilestoneKind,
    /// Linked papers.
    pub papers: Vec<String>,
    /// Linked claims.
    pub claims: Vec<String>,
    /// Milestones this one led to.
    pub leads_to: Vec<String>,
    /// Whether this milestone is on the path that leads to the focus milestone.
    pub on_path: bool,
    /// Which of `papers` have an imported PDF.
    pub imported: Vec<String>,
}

impl Library {
    /// Milestones in date order up to `until` (inclusive), with the path to `focus` (default:
    /// the catalog's focus) marked.
    pub fn timeline(&self, until: Option<&str>, focus: Option<&str>) -> Result<Vec<TimelineEntry>> {
        let until = until.map(|u| PartialDate::parse(u).map_err(|e| Error::invalid("until", e))).transpose()?;
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT id, date, date_precision, kind, title, papers, claims, leads_to FROM milestones")?;
        let mut entries: Vec<(PartialDate, TimelineEntry)> = stmt
            .query_map([], |r| {
                let date: String = r.get(1)?;
                let precision: String = r.get(2)?;
                let kind: String = r.get(3)?;
                let list = |i: usize| -> rusqlite::Result<Vec<String>> {
                    let s: String = r.get(i)?;
                    Ok(serde_json::from_str(&s).unwrap_or_default())
                };
                Ok((
                    PartialDate::parse(&date).unwrap_or(PartialDate { year: 0, month: None, day: None }),
                    TimelineEntry {
                        id: r.get(0)?,
                        date,
                        precision: parse_precision(&precision).unwrap_or(DatePrecision::Day),
                        title: r.get(4)?,
                        kind: kind.parse().unwrap_or(MilestoneKind::Event),
                        papers: list(5)?,
                        claims: list(6)?,
                        leads_to: list(7)?,
                        on_path: false,
                        imported: Vec::new(),
                    },
                ))
            })?
            .collect::<Result<_, _>>()?;
        drop(stmt);
        let mut stmt = conn.prepare("SELECT DISTINCT paper_id FROM versions")?;
        let imported: BTreeSet<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        drop(stmt);
        drop(conn);
        // Only the current catalog's milestones (a library may have used another catalog before).
        entries.retain(|(_, e)| self.catalog().milestones.iter().any(|m| m.id == e.id));
        let focus = focus.map(str::to_string).or_else(|| self.catalog().focus.clone());
        if let Some(f) = &focus {
            if !entries.iter().any(|(_, e)| &e.id == f) {
                return Err(Error::NotFound { kind: "milestone", id: f.clone() });
            }
            // Everything from which the focus can be reached along `leads_to`.
            let mut parents: HashMap<&str, Vec<&str>> = HashMap::new();
            for (_, e) in &entries {
                for t in &e.leads_to {
                    parents.entry(t.as_str()).or_default().push(e.id.as_str());
                }
            }
            let mut on: BTreeSet<String> = BTreeSet::new();
            let mut stack = vec![f.as_str()];
            while let Some(id) = stack.pop() {
                if on.insert(id.to_string()) {
                    stack.extend(parents.get(id).into_iter().flatten());
                }
            }
            for (_, e) in &mut entries {
                e.on_path = on.contains(&e.id);
            }
        }
        for (_, e) in &mut entries {
            e.imported = e.papers.iter().filter(|p| imported.contains(*p)).cloned().collect();
        }
        entries.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()).then(a.1.id.cmp(&b.1.id)));
        if let Some(u) = until {
            entries.retain(|(d, _)| d.sort_key() <= u.sort_key());
        }
        Ok(entries.into_iter().map(|(_, e)| e).collect())
    }
}
