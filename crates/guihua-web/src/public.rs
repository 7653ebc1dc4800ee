//! The public portal: published plans, their indicators and reports, comparison, open data,
//! and public comments and ratings. Anonymous; what is not published does not exist here
//! (`guihua_app::portal`).

use std::collections::HashMap;

use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use guihua_app::portal;
use guihua_store::{CommentSubject, ReleasePart};
use serde::Deserialize;

use crate::ctx::{set_cookie, Ctx, LANG_COOKIE};
use crate::error::PageError;
use crate::views::*;
use crate::{blocking, State};

pub fn routes() -> Router<State> {
    Router::new()
        .route("/", get(plans))
        .route("/healthz", get(healthz))
        .route("/lang/{code}", get(lang))
        .route("/plans/{id}", get(plan))
        .route("/plans/{id}/text", get(text))
        .route("/plans/{id}/about/{kind}/{sid}", get(subject))
        .route("/plans/{id}/indicators/{ind}", get(indicator))
        .route(
            "/plans/{id}/indicators/{ind}/data/{format}",
            get(indicator_data),
        )
        .route("/plans/{id}/comments", post(comment))
        .route("/plans/{id}/rating", post(rate))
        .route("/releases/{id}/{part}", get(release))
        .route("/compare", get(compare))
        .route("/open-data", get(open_data))
        .route("/open-data/{file}", get(open_file))
}

/// A plan id from the path; anything else is a page that does not exist.
pub fn plan_id(ctx: &Ctx, s: &str) -> Result<i64, PageError> {
    canonical_id(s).ok_or_else(|| PageError::not_found(ctx))
}

/// An id as this server writes it: digits without a sign or leading zero. "01" and "+1"
/// are no ids (one page, one address: the page cache cannot be flooded with aliases).
pub fn canonical_id(s: &str) -> Option<i64> {
    let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits || (s.len() > 1 && s.starts_with('0')) {
        return None;
    }
    s.parse().ok()
}

/// A local path to come back to (never another site): a path of printable characters
/// only — browsers drop tabs and line breaks from addresses, so "/\t/evil" would become
/// "//evil", another site.
pub fn local_path(p: Option<&str>) -> String {
    match p {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            p.into()
        }
        _ => "/".into(),
    }
}

/// An indicator's attribute as the plan writes it, or its English name.
fn attribute(en: bool, a: Option<&str>) -> String {
    match (a, en) {
        (Some(a), true) if a.contains("约束") => "binding".into(),
        (Some(a), true) if a.contains("预期") => "expected".into(),
        (a, _) => a.unwrap_or_default().to_string(),
    }
}

fn period(p: Option<(i32, i32)>) -> String {
    p.map(|(a, b)| format!("{a}–{b}")).unwrap_or_default()
}

pub fn release_label(en: bool, r: &guihua_store::Release) -> String {
    let kind = match (r.kind.as_str(), en) {
        ("annual", false) => "年度评估",
        ("midterm", false) => "中期评估",
        ("final", false) => "总结评估",
        ("annual", true) => "annual evaluation",
        ("midterm", true) => "mid-term evaluation",
        (_, true) => "final evaluation",
        (_, false) => "总结评估",
    };
    if en {
        format!("{} {kind}", r.year)
    } else {
        format!("{}年{kind}", r.year)
    }
}

fn card(en: bool, c: &portal::PlanCard) -> Card {
    Card {
        id: c.plan.id,
        href: format!("/plans/{}", c.plan.id),
        name: c.plan.label().to_string(),
        title: c.plan.title.clone().unwrap_or_default(),
        period: period(c.plan.period),
        release: match &c.release {
            Some(r) => format!(
                "{}: {}",
                if en {
                    "Latest published"
                } else {
                    "最新发布"
                },
                release_label(en, r)
            ),
            None => if en {
                "No evaluation published yet"
            } else {
                "尚未发布评估"
            }
            .into(),
        },
        summary: counts(en, &c.summary),
    }
}

async fn plans(state: axum::extract::State<State>, ctx: Ctx) -> Result<PlansPage, PageError> {
    let cards = blocking(&state, |w| portal::plans(w.store.as_ref()))
        .await
        .map_err(|e| PageError::of(&ctx, e))?;
    Ok(PlansPage {
        cards: cards.iter().map(|c| card(ctx.en, c)).collect(),
        chrome: Chrome::of(&ctx),
    })
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

async fn lang(Path(code): Path<String>, ctx: Ctx, Query(q): Query<Back>) -> Response {
    let value = if code == "en" { "en" } else { "zh" };
    let mut res = Redirect::to(&local_path(q.back.as_deref())).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, value, ctx.secure, Some(365 * 86_400)),
    );
    res
}

fn comment_views(en: bool, comments: &[guihua_store::CommentRow]) -> Vec<CommentView> {
    comments
        .iter()
        .map(|c| CommentView {
            id: c.id,
            author: c
                .author
                .clone()
                .unwrap_or_else(|| if en { "anonymous" } else { "匿名" }.into()),
            at: c.submitted_at.get(..10).unwrap_or("").to_string(),
            body: c.body.clone(),
            about: String::new(),
            contact: String::new(),
        })
        .collect()
}

#[derive(Deserialize)]
struct Notice {
    sent: Option<String>,
    rated: Option<String>,
}

fn notice(en: bool, q: &Notice) -> Option<String> {
    if q.sent.is_some() {
        return Some(
            if en {
                "Thank you: your comment will be published once it has been reviewed."
            } else {
                "感谢您的意见：审核后将公开。"
            }
            .into(),
        );
    }
    match q.rated.as_deref() {
        Some("1") => Some(
            if en {
                "Thank you for rating."
            } else {
                "感谢您的评价。"
            }
            .into(),
        ),
        Some(_) => Some(
            if en {
                "This address has rated the plan already; the first rating counts."
            } else {
                "您已评价过本规划，以首次评价为准。"
            }
            .into(),
        ),
        None => None,
    }
}

/// 200 "ok" when the library answers (a read of its version number), else 503 with why.
async fn healthz(state: axum::extract::State<State>) -> Response {
    match blocking(&state, |w| w.store.content_version()).await {
        Ok(_) => "ok".into_response(),
        Err(e) => {
            eprintln!("guihua serve: health check: {e}");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "the library does not answer",
            )
                .into_response()
        }
    }
}

/// A target or project with its published comments and the form to comment on it.
async fn subject(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path((id, kind, sid)): Path<(String, String, String)>,
    Query(q): Query<Notice>,
) -> Result<SubjectPage, PageError> {
    let id = plan_id(&ctx, &id)?;
    let subject = match CommentSubject::parse(&kind) {
        Some(s @ (CommentSubject::Target | CommentSubject::Project)) => s,
        _ => return Err(PageError::not_found(&ctx)),
    };
    let p = blocking(&state, move |w| {
        portal::subject_page(w.store.as_ref(), id, subject, &sid)
    })
    .await
    .map_err(|e| PageError::of(&ctx, e))?;
    Ok(SubjectPage {
        plan_id: id,
        plan_name: p.plan.label().to_string(),
        kind: subject.as_str().to_string(),
        what: match subject {
            CommentSubject::Target => ctx.t("目标", "Target"),
            _ => ctx.t("项目", "Project"),
        }
        .to_string(),
        id: p.id.clone(),
        name: p.name.clone(),
        line: p.line,
        text_href: text_href(id, p.has_text),
        comments: comment_views(ctx.en, &p.comments),
        notice: notice(ctx.en, &q),
        chrome: Chrome::of(&ctx),
    })
}

/// Where a line number of a plan leads: "/plans/{id}/text#L" (the line follows) when the
/// plan's text is kept, else empty (the number is shown without a link).
pub fn text_href(plan: i64, has_text: bool) -> String {
    if has_text {
        format!("/plans/{plan}/text#L")
    } else {
        String::new()
    }
}

/// A plan's text as read, one anchor per line (`#L37`): where the plan page's and the
/// indicator pages' line numbers lead.
async fn text(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<TextPage, PageError> {
    let id = plan_id(&ctx, &id)?;
    let (row, lines) = blocking(&state, move |w| portal::plan_text(w.store.as_ref(), id))
        .await
        .map_err(|e| PageError::of(&ctx, e))?;
    let Some(lines) = lines else {
        return Err(PageError::app(
            ctx.en,
            guihua_app::Error::NotFound(
                ctx.t(
                    "本规划的原文未保存（早于保存原文的版本加入）。",
                    "The text of this plan was not kept (it was added before texts were kept).",
                )
                .into(),
            ),
        ));
    };
    Ok(TextPage {
        id,
        name: row.label().to_string(),
        title: row.title.clone().unwrap_or_default(),
        file: row.file.clone(),
        lines: lines
            .into_iter()
            .enumerate()
            .map(|(i, text)| TextLine { n: i + 1, text })
            .collect(),
        chrome: Chrome::of(&ctx),
    })
}

async fn plan(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<Notice>,
) -> Result<PlanPage, PageError> {
    let id = plan_id(&ctx, &id)?;
    let p = blocking(&state, move |w| portal::plan_page(w.store.as_ref(), id))
        .await
        .map_err(|e| PageError::of(&ctx, e))?;
    let en = ctx.en;
    let statuses: HashMap<&str, &str> = guihua_store::PROJECT_STATUSES
        .iter()
        .map(|s| (*s, *s))
        .collect();
    Ok(PlanPage {
        id,
        text_href: text_href(id, p.has_text),
        name: p.plan.label().to_string(),
        title: p.plan.title.clone().unwrap_or_default(),
        period: period(p.plan.period),
        release: match &p.release {
            Some(r) => format!(
                "{}{}",
                if en {
                    "Statuses from the published "
                } else {
                    "状态依据已发布的"
                },
                release_label(en, r)
            ),
            None => if en {
                "No evaluation published yet: statuses appear once one is."
            } else {
                "尚未发布评估，发布后显示各指标状态。"
            }
            .into(),
        },
        summary: counts(en, &p.summary),
        indicators: p
            .indicators
            .iter()
            .map(|i| IndicatorRowView {
                href: format!("/plans/{id}/indicators/{}", url_encode(&i.row.id)),
                seq: i.row.seq.clone().unwrap_or_default(),
                category: i.row.category.clone().unwrap_or_default(),
                name: match (en, i.name_en) {
                    (true, Some(n)) => n.to_string(),
                    _ => i.row.name.clone(),
                },
                unit: i.row.unit.clone().unwrap_or_default(),
                attribute: attribute(ctx.en, i.row.attribute.as_deref()),
                base: i.row.base.clone(),
                target: i.row.target.clone(),
                latest: i
                    .latest
                    .map(|(y, v)| format!("{} ({y})", num(v)))
                    .unwrap_or_else(|| "—".into()),
                status: StatusView::of(en, i.verdict.as_ref().map(|v| v.status)),
                line: i.line,
            })
            .collect(),
        headings: p
            .headings
            .iter()
            .map(|h| HeadingView {
                indent: h.depth.min(4),
                level: h.level.clone(),
                title: h.title.clone(),
                line: h.line,
                targets: h
                    .targets
                    .iter()
                    .map(|t| TargetView {
                        id: t.id.clone(),
                        text: t.text.clone(),
                        line: t.line,
                        status: StatusView::of(en, t.verdict.as_ref().map(|v| v.status)),
                    })
                    .collect(),
            })
            .collect(),
        projects: p
            .projects
            .iter()
            .map(|j| ProjectView {
                id: j.row.id.clone(),
                name: j.row.name.clone(),
                group: j.row.group.clone().unwrap_or_default(),
                investment: match (j.row.investment, &j.row.investment_unit) {
                    (Some(v), Some(u)) => format!("{}{u}", num(v)),
                    (Some(v), None) => num(v),
                    _ => "—".into(),
                },
                status: j
                    .status
                    .as_ref()
                    .map(|s| {
                        format!(
                            "{} ({})",
                            statuses
                                .get(s.status.as_str())
                                .copied()
                                .unwrap_or(&s.status),
                            s.year
                        )
                    })
                    .unwrap_or_else(|| "—".into()),
                line: j.line,
            })
            .collect(),
        releases: p
            .releases
            .iter()
            .map(|r| ReleaseView {
                id: r.id,
                label: release_label(en, r),
                state: String::new(),
                public: true,
                withdrawn: false,
            })
            .collect(),
        comments: comment_views(en, &p.comments),
        ratings: [
            (ctx.t("满意", "Satisfied").into(), p.ratings.satisfied),
            (ctx.t("基本满意", "Fairly satisfied").into(), p.ratings.fair),
            (
                ctx.t("不满意", "Dissatisfied").into(),
                p.ratings.dissatisfied,
            ),
        ],
        notice: notice(en, &q),
        chrome: Chrome::of(&ctx),
    })
}

async fn load_indicator(
    state: &State,
    ctx: &Ctx,
    id: &str,
    ind: String,
) -> Result<portal::IndicatorPage, PageError> {
    let id = plan_id(ctx, id)?;
    blocking(state, move |w| {
        portal::indicator_page(w.store.as_ref(), id, &ind)
    })
    .await
    .map_err(|e| PageError::of(ctx, e))
}

async fn indicator(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path((id, ind)): Path<(String, String)>,
    Query(q): Query<Notice>,
) -> Result<IndicatorPage, PageError> {
    let p = load_indicator(&state, &ctx, &id, ind).await?;
    let en = ctx.en;
    let planned: HashMap<i32, f64> = p.planned.iter().copied().collect();
    let mut years: Vec<i32> = p.observations.iter().map(|o| o.year).collect();
    years.extend(planned.keys().copied());
    years.sort_unstable();
    years.dedup();
    let rows = years
        .into_iter()
        .map(|y| {
            let o = p.observations.iter().find(|o| o.year == y);
            SeriesRow {
                year: y,
                value: o.map(|o| num(o.value)).unwrap_or_else(|| "—".into()),
                planned: planned
                    .get(&y)
                    .map(|v| num(*v))
                    .unwrap_or_else(|| "—".into()),
                source: o.and_then(|o| o.source.clone()).unwrap_or_default(),
            }
        })
        .collect();
    Ok(IndicatorPage {
        plan_id: p.plan.id,
        text_href: text_href(p.plan.id, p.has_text),
        plan_name: p.plan.label().to_string(),
        id: p.row.id.clone(),
        name: match (en, p.name_en) {
            (true, Some(n)) => n.to_string(),
            _ => p.row.name.clone(),
        },
        name_other: match (en, p.name_en) {
            (true, Some(_)) => p.row.name.clone(),
            (false, Some(n)) => n.to_string(),
            _ => String::new(),
        },
        unit: p.row.unit.clone().unwrap_or_default(),
        attribute: attribute(ctx.en, p.row.attribute.as_deref()),
        base: p.row.base.clone(),
        target: p.row.target.clone(),
        line: p.line,
        chart: if en {
            p.chart_en.clone()
        } else {
            p.chart_zh.clone()
        },
        rows,
        across_title: p
            .across
            .as_ref()
            .map(|a| {
                format!(
                    "{} {} → {}",
                    a.later.0.label(),
                    period(a.earlier.0.period),
                    period(a.later.0.period)
                )
            })
            .unwrap_or_default(),
        across: p
            .across
            .as_ref()
            .map(|a| {
                let of = |id: i64| {
                    if id == a.earlier.0.id {
                        (&a.earlier.0, &a.earlier.1)
                    } else {
                        (&a.later.0, &a.later.1)
                    }
                };
                a.years
                    .iter()
                    .map(|y| AcrossView {
                        year: y.year,
                        value: y.value.map(|(v, _)| num(v)).unwrap_or_else(|| "—".into()),
                        plan: y
                            .value
                            .map(|(_, id)| period(of(id).0.period))
                            .unwrap_or_default(),
                        href: y
                            .value
                            .map(|(_, id)| {
                                let (p, i) = of(id);
                                format!("/plans/{}/indicators/{}", p.id, url_encode(i))
                            })
                            .unwrap_or_default(),
                        stated: y
                            .stated
                            .iter()
                            .map(|(t, id)| format!("{} {t}", period(of(*id).0.period)))
                            .collect::<Vec<_>>()
                            .join("；"),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        status: StatusView::of(en, p.verdict.as_ref().map(|v| v.status)),
        reason: p
            .verdict
            .as_ref()
            .map(|v| {
                if en {
                    v.reason_en.clone()
                } else {
                    v.reason_zh.clone()
                }
            })
            .unwrap_or_default(),
        verdict_year: p
            .verdict
            .as_ref()
            .map(|v| {
                if en {
                    format!("evaluated for {}", v.year)
                } else {
                    format!("{}年评估", v.year)
                }
            })
            .unwrap_or_default(),
        comments: comment_views(en, &p.comments),
        notice: notice(en, &q),
        chrome: Chrome::of(&ctx),
    })
}

fn download(mime: &'static str, name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}\"",
                    name.replace(
                        |c: char| !c.is_ascii_alphanumeric() && c != '.' && c != '-',
                        "_"
                    )
                ),
            ),
        ],
        bytes,
    )
        .into_response()
}

pub const CSV: &str = "text/csv; charset=utf-8";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const JSON: &str = "application/json";

async fn indicator_data(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path((id, ind, format)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let p = load_indicator(&state, &ctx, &id, ind).await?;
    let stem = format!("plan{}-{}", p.plan.id, p.row.id);
    Ok(match format.as_str() {
        "csv" => download(CSV, &format!("{stem}.csv"), portal::series_csv(&p)),
        "json" => download(
            JSON,
            &format!("{stem}.json"),
            portal::series_json(&p).to_string().into_bytes(),
        ),
        "xlsx" => download(
            XLSX,
            &format!("{stem}.xlsx"),
            portal::series_xlsx(&p).map_err(|e| PageError::of(&ctx, e))?,
        ),
        _ => return Err(PageError::not_found(&ctx)),
    })
}

#[derive(Deserialize)]
struct CommentForm {
    csrf: String,
    subject: String,
    subject_id: Option<String>,
    body: String,
    author: Option<String>,
    contact: Option<String>,
}

async fn comment(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<CommentForm>,
) -> Result<Response, PageError> {
    ctx.check_form(&f.csrf)?;
    let id = plan_id(&ctx, &id)?;
    let subject = CommentSubject::parse(&f.subject)
        .ok_or_else(|| PageError::bad(&ctx, "unknown comment subject"))?;
    let address = guihua_app::session::pseudonym(&state.secret, &ctx.address);
    let subject_id = f.subject_id.clone();
    blocking(&state, move |w| {
        guihua_app::comments::submit(
            w.store.as_ref(),
            &guihua_app::comments::Submitted {
                plan: id,
                subject,
                subject_id: subject_id.as_deref().filter(|s| !s.is_empty()),
                body: &f.body,
                author: f.author.as_deref(),
                contact: f.contact.as_deref(),
                address: &address,
            },
        )
    })
    .await
    .map_err(|e| PageError::of(&ctx, e))?;
    let back = match (subject, &f.subject_id) {
        (CommentSubject::Indicator, Some(i)) => {
            format!("/plans/{id}/indicators/{}?sent=1#comments", url_encode(i))
        }
        (s @ (CommentSubject::Target | CommentSubject::Project), Some(i)) => format!(
            "/plans/{id}/about/{}/{}?sent=1#comments",
            s.as_str(),
            url_encode(i)
        ),
        _ => format!("/plans/{id}?sent=1#comments"),
    };
    Ok(Redirect::to(&back).into_response())
}

#[derive(Deserialize)]
struct RatingForm {
    csrf: String,
    rating: Option<String>,
}

async fn rate(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<RatingForm>,
) -> Result<Response, PageError> {
    ctx.check_form(&f.csrf)?;
    let id = plan_id(&ctx, &id)?;
    let Some(rating) = f.rating else {
        return Err(PageError::bad(
            &ctx,
            ctx.t("请选择一项评价", "Choose a rating"),
        ));
    };
    let address = guihua_app::session::pseudonym(&state.secret, &ctx.address);
    let counted = blocking(&state, move |w| {
        guihua_app::comments::rate(w.store.as_ref(), id, &rating, &address)
    })
    .await
    .map_err(|e| PageError::of(&ctx, e))?;
    Ok(Redirect::to(&format!("/plans/{id}?rated={}#comments", u8::from(counted))).into_response())
}

async fn release(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path((id, part)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id: i64 = id.parse().map_err(|_| PageError::not_found(&ctx))?;
    let (part, mime, ext) = match part.as_str() {
        "html" => (ReleasePart::Html, "text/html; charset=utf-8", "html"),
        "docx" => (ReleasePart::Docx, DOCX, "docx"),
        "json" => (ReleasePart::Document, JSON, "json"),
        _ => return Err(PageError::not_found(&ctx)),
    };
    let user = ctx.user.clone();
    let (rel, bytes) = blocking(&state, move |w| {
        guihua_app::publication::release_part(w.store.as_ref(), user.as_ref(), id, part)
    })
    .await
    .map_err(|e| PageError::of(&ctx, e))?;
    let name = format!("plan{}-{}-{}.{ext}", rel.plan_id, rel.year, rel.kind);
    if part == ReleasePart::Html {
        // Shown in the browser (the report's HTML has no script; the CSP forbids any).
        return Ok(([(header::CONTENT_TYPE, mime)], bytes).into_response());
    }
    Ok(download(mime, &name, bytes))
}

#[derive(Deserialize)]
struct CompareQuery {
    indicator: Option<String>,
}

async fn compare(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Query(q): Query<CompareQuery>,
) -> Result<ComparePage, PageError> {
    let en = ctx.en;
    let choices: Vec<(String, String)> = guihua_catalog::all()
        .iter()
        .map(|c| {
            (
                c.id.to_string(),
                if en {
                    guihua_catalog::english(c.id).unwrap_or(c.name).to_string()
                } else {
                    c.name.to_string()
                },
            )
        })
        .collect();
    let indicator = q.indicator.clone().unwrap_or_default();
    let rows = match q.indicator.filter(|s| !s.trim().is_empty()) {
        Some(ind) => {
            let found = blocking(&state, move |w| compare_published(w, &ind))
                .await
                .map_err(|e| PageError::of(&ctx, e))?;
            found
                .into_iter()
                .map(|c| CompareRow {
                    href: format!(
                        "/plans/{}/indicators/{}",
                        c.plan.id,
                        url_encode(&c.indicator.id)
                    ),
                    plan: c.plan.label().to_string(),
                    name: c.indicator.name.clone(),
                    base: c.indicator.base.text.clone(),
                    target: c.indicator.target.text.clone(),
                    latest: c
                        .latest
                        .map(|(y, v)| format!("{} ({y})", num(v)))
                        .unwrap_or_else(|| "—".into()),
                    status: StatusView::of(en, c.verdict),
                })
                .collect()
        }
        None => Vec::new(),
    };
    Ok(ComparePage {
        searched: !indicator.is_empty(),
        indicator,
        choices,
        rows,
        chrome: Chrome::of(&ctx),
    })
}

/// One row of the public comparison: the plan's indicator, its latest value, and the
/// verdict of its published release (never a live run).
struct PublicCompared {
    plan: guihua_store::PlanRow,
    indicator: guihua_model::Indicator,
    latest: Option<(i32, f64)>,
    verdict: Option<guihua_eval::Status>,
}

fn compare_published(w: &crate::Web, indicator: &str) -> guihua_app::Result<Vec<PublicCompared>> {
    let store = w.store.as_ref();
    let published: Vec<String> = store
        .published_plans()?
        .iter()
        .map(i64::to_string)
        .collect();
    if published.is_empty() {
        return Ok(Vec::new());
    }
    let (_, rows) = guihua_app::evaluation::compare(store, indicator, &published, None)?;
    let mut out = Vec::new();
    for c in rows {
        let (_, verdicts) = portal::latest_release(store, c.plan.id)?;
        out.push(PublicCompared {
            verdict: verdicts.get(&c.indicator.id).map(|v| v.status),
            plan: c.plan,
            indicator: c.indicator,
            latest: c.latest,
        });
    }
    Ok(out)
}

async fn open_data(
    state: axum::extract::State<State>,
    ctx: Ctx,
) -> Result<OpenDataPage, PageError> {
    let cards = blocking(&state, |w| portal::plans(w.store.as_ref()))
        .await
        .map_err(|e| PageError::of(&ctx, e))?;
    Ok(OpenDataPage {
        plans: cards.iter().map(|c| card(ctx.en, c)).collect(),
        chrome: Chrome::of(&ctx),
    })
}

async fn open_file(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    let f = file.clone();
    let out = blocking(&state, move |w| {
        crate::api::open_data_file(w.store.as_ref(), &f)
    })
    .await
    .map_err(|e| PageError::of(&ctx, e))?;
    match out {
        Some((mime, bytes)) => Ok(download(mime, &file, bytes)),
        None => Err(PageError::not_found(&ctx)),
    }
}
