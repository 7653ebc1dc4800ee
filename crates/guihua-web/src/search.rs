//! The search page (`/search`): a form that works without JavaScript and the hits with
//! their plan, place and marked snippet, each linking to where it stands (the line of the
//! plan's text, the indicator's or target's page). The public searches published plans;
//! signed-in staff search every plan (`guihua_app::search` decides). Not in the page
//! cache: every query is a new address, and caching them would push the plan pages out.

use axum::extract::Query;
use axum::routing::get;
use axum::Router;
use guihua_app::search::{plan_label, Question};
use guihua_search::Kind;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::error::PageError;
use crate::views::{url_encode, Chrome, HitView, SearchPage};
use crate::{blocking, State};

pub fn routes() -> Router<State> {
    Router::new().route("/search", get(search))
}

#[derive(Debug, Default, Deserialize)]
struct Form {
    q: Option<String>,
    kind: Option<String>,
    period: Option<String>,
    plan: Option<String>,
    page: Option<usize>,
}

async fn search(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Query(form): Query<Form>,
) -> Result<SearchPage, PageError> {
    let query: String = form
        .q
        .clone()
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    let mut page = SearchPage {
        chrome: Chrome::of(&ctx),
        query: query.clone(),
        kind: form.kind.clone().unwrap_or_default(),
        period: form.period.clone().unwrap_or_default(),
        plan: form.plan.clone().unwrap_or_default(),
        searched: false,
        total: 0,
        at_least: false,
        first: 0,
        last: 0,
        hits: Vec::new(),
        notes: Vec::new(),
        prev: None,
        next: None,
    };
    if query.trim().is_empty() {
        return Ok(page);
    }
    let user = ctx.user.clone();
    let asked = (form.kind, form.period, form.plan, form.page.unwrap_or(1));
    let q = query.clone();
    let result = blocking(&state, move |w| {
        let Some(index) = &w.search else {
            return Err(guihua_app::Error::Internal(
                "this server was started without a search index".into(),
            ));
        };
        guihua_app::search::search(
            w.store.as_ref(),
            index,
            user.as_ref(),
            &Question {
                query: &q,
                plan: asked.2.as_deref(),
                kind: asked.0.as_deref(),
                period: asked.1.as_deref(),
                page: asked.3,
                per_page: 0,
            },
        )
    })
    .await;
    let answer = match result {
        Ok(x) => x,
        // A wrong filter or query: the form again, saying why.
        Err(e @ guihua_app::Error::Invalid(_)) => {
            page.notes.push(e.to_string());
            return Ok(page);
        }
        Err(e) => return Err(PageError::of(&ctx, e)),
    };
    page.searched = true;
    page.total = answer.found.total;
    page.at_least = !answer.found.total_exact;
    page.notes = answer.notes.clone();
    page.first = (answer.page - 1) * answer.per_page + 1;
    page.last = page.first + answer.found.hits.len().saturating_sub(1);
    for h in &answer.found.hits {
        let public = answer.published.contains(&h.plan_id);
        let plan_href = if public {
            format!("/plans/{}", h.plan_id)
        } else {
            format!("/staff/plans/{}", h.plan_id)
        };
        let href = match (public, h.kind, &h.subject) {
            (false, _, _) => plan_href.clone(),
            (true, Kind::Indicator, Some(s)) => format!("/plans/{}/indicators/{s}", h.plan_id),
            (true, Kind::Target | Kind::Project, Some(s)) => {
                format!("/plans/{}/about/{}/{s}", h.plan_id, h.kind.as_str())
            }
            (true, _, _) => format!("/plans/{}/text#L{}", h.plan_id, h.line),
        };
        page.hits.push(HitView {
            plan: answer
                .plans
                .get(&h.plan_id)
                .map(plan_label)
                .unwrap_or_else(|| h.plan_id.to_string()),
            plan_href,
            kind: if ctx.en {
                h.kind.as_str().to_string()
            } else {
                h.kind.zh().to_string()
            },
            subject: h.subject.clone().unwrap_or_default(),
            location: h.location.clone(),
            line: h.line,
            line_href: if public && h.line > 0 {
                format!("/plans/{}/text#L{}", h.plan_id, h.line)
            } else {
                String::new()
            },
            href,
            snippet: h
                .snippet
                .render(guihua_report::escape_html, "<mark>", "</mark>"),
        });
    }
    let link = |n: usize| {
        let mut s = format!("/search?q={}", url_encode(&query));
        for (k, v) in [
            ("kind", &page.kind),
            ("period", &page.period),
            ("plan", &page.plan),
        ] {
            if !v.is_empty() {
                s.push_str(&format!("&{k}={}", url_encode(v)));
            }
        }
        format!("{s}&page={n}")
    };
    if answer.page > 1 {
        page.prev = Some(link(answer.page - 1));
    }
    if answer.page < answer.pages() {
        page.next = Some(link(answer.page + 1));
    }
    Ok(page)
}
