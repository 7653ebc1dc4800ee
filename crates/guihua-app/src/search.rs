//! Searching the library as a person asks: "what do our plans say about 氢能?".
//!
//! The engine and its index are `guihua-search` (an edge: the index is files the front end
//! opens); this module is the rule part every front end shares: what the filters a person
//! types mean, who sees which plans (the public: published plans only; staff: every plan),
//! and that the index is brought in step with the library before it answers.

use std::collections::HashMap;

use guihua_search::{Found, Kind, Request, SearchError, SearchIndex};
use guihua_store::{PlanId, PlanRow, Store};

use crate::policy::{Action, Principal};
use crate::{Error, Result};

/// Hits per page unless asked otherwise.
pub const PER_PAGE: usize = 20;

/// A search as typed (CLI flags, a form's fields).
#[derive(Debug, Clone, Default)]
pub struct Question<'a> {
    pub query: &'a str,
    /// A plan (id, region or unique prefix, as everywhere).
    pub plan: Option<&'a str>,
    /// text | indicator | target | project (or 正文/指标/目标/项目).
    pub kind: Option<&'a str>,
    /// 14 | 15 (or 十四五 / 十五五).
    pub period: Option<&'a str>,
    /// 1-based.
    pub page: usize,
    /// 0: [`PER_PAGE`].
    pub per_page: usize,
}

/// The answer: hits with the plans they are in.
#[derive(Debug, Clone)]
pub struct Answer {
    pub found: Found,
    /// Every plan a hit is in.
    pub plans: HashMap<PlanId, PlanRow>,
    /// The plans published now (a hit's link depends on it).
    pub published: Vec<PlanId>,
    /// What the reader should know about the answer (the index could not be brought in
    /// step, a plan could not be indexed, a term was cut).
    pub notes: Vec<String>,
    pub page: usize,
    pub per_page: usize,
}

impl Answer {
    /// Pages of hits in all (at least this many when the count is a lower bound).
    pub fn pages(&self) -> usize {
        self.found.total.div_ceil(self.per_page.max(1))
    }
}

/// A kind as typed.
pub fn parse_kind(s: &str) -> Result<Kind> {
    Kind::ALL
        .into_iter()
        .find(|k| k.as_str() == s || k.zh() == s)
        .ok_or_else(|| {
            Error::Invalid(format!(
                "kind {s:?} is not one of text, indicator, target, project (正文、指标、目标、项目)"
            ))
        })
}

/// A five-year plan as typed: "15", "十五五", "第十五个五年".
pub fn parse_period(s: &str) -> Result<u32> {
    let t = s.trim();
    let t = t
        .trim_start_matches('第')
        .trim_end_matches("个五年")
        .trim_end_matches("规划");
    let n = t.parse::<u32>().ok().or(match t {
        "十三五" | "十三" => Some(13),
        "十四五" | "十四" => Some(14),
        "十五五" | "十五" => Some(15),
        "十六五" | "十六" => Some(16),
        _ => None,
    });
    n.filter(|n| (1..=30).contains(n)).ok_or_else(|| {
        Error::Invalid(format!(
            "period {s:?} is not a five-year plan: write 14 (十四五, 2021–2025) or 15 (十五五, 2026–2030)"
        ))
    })
}

impl From<SearchError> for Error {
    fn from(e: SearchError) -> Error {
        match e {
            SearchError::Invalid(m) => Error::Invalid(m),
            SearchError::Store(s) => Error::Store(s),
            other => Error::Internal(other.to_string()),
        }
    }
}

/// Search the plans `reader` may read (`None`: the public, published plans only), after
/// bringing the index in step with the library.
pub fn search(
    store: &dyn Store,
    index: &SearchIndex,
    reader: Option<&Principal>,
    q: &Question,
) -> Result<Answer> {
    let published = store.published_plans()?;
    let visible: Option<Vec<PlanId>> = match reader {
        Some(p) => {
            p.authorize(Action::Read)?;
            None
        }
        None => Some(published.clone()),
    };
    let plans: Option<Vec<PlanId>> = match q.plan.map(str::trim).filter(|s| !s.is_empty()) {
        Some(key) => {
            let row = match &visible {
                None => store.resolve(key)?,
                Some(published) => {
                    let row = store
                        .resolve(key)
                        .map_err(|_| Error::NotFound(format!("no published plan {key:?}")))?;
                    if !published.contains(&row.id) {
                        return Err(Error::NotFound(format!("no published plan {key:?}")));
                    }
                    row
                }
            };
            Some(vec![row.id])
        }
        None => visible,
    };
    let kind = q
        .kind
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(parse_kind)
        .transpose()?;
    let period = q
        .period
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(parse_period)
        .transpose()?;
    let per_page = if q.per_page == 0 {
        PER_PAGE
    } else {
        q.per_page.min(guihua_search::MAX_LIMIT)
    };
    let page = q.page.max(1);
    let synced = index.sync(store)?;
    let found = index.search(&Request {
        query: q.query.to_string(),
        plans,
        kind,
        period,
        limit: per_page,
        offset: (page - 1).saturating_mul(per_page),
    })?;
    // The plans of this page's hits only (a library may hold thousands).
    let mut plans = HashMap::new();
    for h in &found.hits {
        if plans.contains_key(&h.plan_id) {
            continue;
        }
        match store.plan(h.plan_id) {
            Ok(row) => {
                plans.insert(h.plan_id, row);
            }
            // Removed since the index was brought in step: shown by its id this once.
            Err(guihua_store::StoreError::NotFound(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let mut notes = synced.warnings;
    notes.extend(found.warnings.iter().cloned());
    Ok(Answer {
        found,
        plans,
        published,
        notes,
        page,
        per_page,
    })
}

/// The answer as the `guihua.search/1` JSON document (CLI `--json`, the web API): every
/// hit with its plan, place and snippet; marks are `[from, to)` in characters of the
/// snippet.
pub fn to_json(query: &str, a: &Answer) -> serde_json::Value {
    use serde_json::json;
    let hits: Vec<serde_json::Value> = a
        .found
        .hits
        .iter()
        .map(|h| {
            let plan = a.plans.get(&h.plan_id);
            let chars = |byte: usize| h.snippet.text[..byte].chars().count();
            json!({
                "plan": {
                    "id": h.plan_id,
                    "region": plan.and_then(|p| p.region.as_deref()),
                    "title": plan.and_then(|p| p.title.as_deref()),
                    "period": plan.and_then(|p| p.period).map(|(s, e)| json!({"start": s, "end": e})),
                },
                "kind": h.kind.as_str(),
                "subject": h.subject,
                "line": h.line,
                "location": h.location,
                "snippet": h.snippet.text,
                "marks": h.snippet.marks.iter().map(|&(f, t)| [chars(f), chars(t)]).collect::<Vec<_>>(),
                "score": h.score,
            })
        })
        .collect();
    json!({
        "schema": "guihua.search/1",
        "query": query,
        "terms": a.found.terms,
        "total": a.found.total,
        "total_exact": a.found.total_exact,
        "page": a.page,
        "per_page": a.per_page,
        "hits": hits,
        "notes": a.notes,
    })
}

/// "乌鲁木齐市 十四五": a hit's plan as a reader names it.
pub fn plan_label(row: &PlanRow) -> String {
    let period = row
        .period
        .and_then(|(s, _)| guihua_search::docs::five_year_number(s))
        .map(|n| match n {
            13 => "十三五".to_string(),
            14 => "十四五".to_string(),
            15 => "十五五".to_string(),
            16 => "十六五".to_string(),
            n => format!("第{n}个五年"),
        });
    match period {
        Some(p) => format!("{} {p}", row.label()),
        None => row.label().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_periods_as_typed() {
        assert_eq!(parse_kind("project").unwrap(), Kind::Project);
        assert_eq!(parse_kind("指标").unwrap(), Kind::Indicator);
        assert!(parse_kind("table")
            .unwrap_err()
            .to_string()
            .contains("text, indicator"));
        assert_eq!(parse_period("15").unwrap(), 15);
        assert_eq!(parse_period("十四五").unwrap(), 14);
        assert_eq!(parse_period("第十五个五年").unwrap(), 15);
        assert!(parse_period("2026").is_err());
        assert!(parse_period("abc").unwrap_err().to_string().contains("abc"));
    }
}
