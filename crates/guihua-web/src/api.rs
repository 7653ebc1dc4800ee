//! The JSON API (`/api/v1/…`), documented in docs/api.md: the same contracts as the CLI —
//! `guihua.plan/1` for a plan, `guihua.evaluation/1` for a published evaluation, the
//! observation export rows — over published plans only, with paging for lists. And the
//! open-data files (`/open-data/…`), the same data in bulk as CSV, XLSX and JSON.
//!
//! Scripts authenticate with an API token (`Authorization: Bearer guihua_…`, made by
//! `guihua token add`): a token acts as its user — staff read unpublished plans too, and
//! a department editor's script posts its department's values as a CSV or XLSX file,
//! checked by the same validator as `guihua observe import`. A request that names a token
//! that is not valid is refused (401), never served as anonymous.

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use guihua_app::policy::Principal;
use guihua_app::portal;
use guihua_store::{ReleasePart, Store};
use serde::Deserialize;

use crate::error::ApiError;
use crate::public::{CSV, JSON, XLSX};
use crate::{blocking, State};

pub fn routes() -> Router<State> {
    Router::new()
        .route("/api/v1/plans", get(plans))
        .route("/api/v1/plans/{id}", get(plan))
        .route("/api/v1/plans/{id}/indicators/{ind}", get(indicator))
        .route("/api/v1/plans/{id}/evaluation", get(evaluation))
        .route("/api/v1/{*rest}", axum::routing::any(no_such_endpoint))
        .route(
            "/api/v1/plans/{id}/observations",
            get(observations)
                .post(post_observations)
                .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
}

/// Any other path under /api/v1: a JSON 404, as every API error is JSON.
async fn no_such_endpoint(uri: axum::http::Uri) -> ApiError {
    ApiError(guihua_app::Error::NotFound(format!(
        "no API endpoint {} (see docs/api.md)",
        uri.path()
    )))
}

/// Who calls: the user of a valid API token, or the public (no `Authorization` header).
/// Every endpoint takes it, so a token that is not valid is refused everywhere (401); the
/// indicator and evaluation endpoints answer published content whoever asks.
pub struct Caller(pub Option<Principal>);

impl FromRequestParts<State> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Caller, ApiError> {
        let Some(auth) = parts.headers.get(header::AUTHORIZATION) else {
            return Ok(Caller(None));
        };
        let bad = || {
            ApiError(guihua_app::Error::Unauthenticated(
                "the Authorization header is not a valid API token (Bearer guihua_…; unknown, \
                 revoked or malformed)"
                    .into(),
            ))
        };
        let token = auth
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, t)| t)
            .map(str::trim)
            .ok_or_else(bad)?
            .to_string();
        let principal = blocking(state, move |w| {
            guihua_app::admin::token_principal(w.store.as_ref(), &token)
        })
        .await?;
        principal.map(|p| Caller(Some(p))).ok_or_else(bad)
    }
}

/// The largest observation file a script may post (a province's year fits in a few MiB).
pub const UPLOAD_LIMIT: usize = 16 * 1024 * 1024;

/// The most rows one page of a list holds.
pub const MAX_LIMIT: usize = 500;

#[derive(Deserialize)]
struct Paging {
    offset: Option<usize>,
    limit: Option<usize>,
}

fn id_of(s: &str) -> Result<i64, ApiError> {
    crate::public::canonical_id(s).ok_or_else(|| {
        ApiError(guihua_app::Error::NotFound(format!(
            "no published plan {s}"
        )))
    })
}

async fn plans(
    state: axum::extract::State<State>,
    caller: Caller,
    paging: Result<Query<Paging>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Query(p) = paging.map_err(|e| {
        ApiError(guihua_app::Error::Invalid(format!(
            "offset and limit are whole numbers ({e})"
        )))
    })?;
    let offset = p.offset.unwrap_or(0);
    let limit = p.limit.unwrap_or(100);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError(guihua_app::Error::Invalid(format!(
            "limit must be 1–{MAX_LIMIT}, not {limit}"
        ))));
    }
    if let Caller(Some(reader)) = caller {
        let rows = blocking(&state, move |w| {
            portal::staff_plans(w.store.as_ref(), &reader)
        })
        .await?;
        let total = rows.len();
        let page: Vec<serde_json::Value> = rows
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|(plan, published)| serde_json::json!({"plan": plan, "published": published}))
            .collect();
        return Ok(Json(serde_json::json!({
            "schema": "guihua.plans/1",
            "total": total,
            "offset": offset,
            "limit": limit,
            "plans": page,
        })));
    }
    let cards = blocking(&state, |w| portal::plans(w.store.as_ref())).await?;
    let total = cards.len();
    let page: Vec<serde_json::Value> = cards
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|c| {
            serde_json::json!({
                "plan": c.plan,
                "release": c.release,
                "summary": c.summary.iter().map(|(s, n)| (s.code(), n)).collect::<std::collections::BTreeMap<_, _>>(),
            })
        })
        .collect();
    Ok(Json(serde_json::json!({
        "schema": "guihua.plans/1",
        "total": total,
        "offset": offset,
        "limit": limit,
        "plans": page,
    })))
}

async fn plan(
    state: axum::extract::State<State>,
    Caller(reader): Caller,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = id_of(&id)?;
    let json = blocking(&state, move |w| -> guihua_app::Result<serde_json::Value> {
        portal::readable_plan(w.store.as_ref(), reader.as_ref(), id)?;
        Ok(w.store.plan_json(id)?)
    })
    .await?;
    Ok(Json(json))
}

async fn indicator(
    state: axum::extract::State<State>,
    _caller: Caller,
    Path((id, ind)): Path<(String, String)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = id_of(&id)?;
    let page = blocking(&state, move |w| {
        portal::indicator_page(w.store.as_ref(), id, &ind)
    })
    .await?;
    Ok(Json(portal::series_json(&page)))
}

async fn evaluation(
    state: axum::extract::State<State>,
    _caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = id_of(&id)?;
    let bytes = blocking(&state, move |w| -> guihua_app::Result<Vec<u8>> {
        portal::public_plan(w.store.as_ref(), id)?;
        let (rel, _) = portal::latest_release(w.store.as_ref(), id)?;
        let rel = rel.ok_or_else(|| {
            guihua_app::Error::NotFound(format!("plan {id} has no published evaluation yet"))
        })?;
        Ok(w.store.release_part(rel.id, ReleasePart::Document)?.1)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, JSON)], bytes).into_response())
}

async fn observations(
    state: axum::extract::State<State>,
    Caller(reader): Caller,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = id_of(&id)?;
    let rows = blocking(&state, move |w| -> guihua_app::Result<_> {
        match &reader {
            Some(p) => {
                portal::readable_plan(w.store.as_ref(), Some(p), id)?;
                guihua_app::sheets::export(w.store.as_ref(), Some(&id.to_string()), None)
            }
            None => {
                portal::public_plan(w.store.as_ref(), id)?;
                Ok(portal::open_observations(w.store.as_ref())?
                    .into_iter()
                    .filter(|r| r.observation.plan_id == id)
                    .collect::<Vec<_>>())
            }
        }
    })
    .await?;
    Ok(Json(guihua_app::sheets::export_json(&rows)))
}

#[derive(Deserialize)]
struct PostOptions {
    /// The implausible values have been looked at and are right (`confirm=1`).
    confirm: Option<String>,
}

/// `POST /api/v1/plans/{id}/observations`: a filled template or any observation sheet
/// (CSV or XLSX, as `guihua observe import` reads it), checked whole before anything is
/// written: any bad row refuses the file with every row's error (`rejected`), implausible
/// values refuse it until confirmed (`unconfirmed`, `?confirm=1`). The token's user must
/// may write each value (a department editor: its department's subjects only).
async fn post_observations(
    state: axum::extract::State<State>,
    caller: Caller,
    Path(id): Path<String>,
    Query(o): Query<PostOptions>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Result<Json<serde_json::Value>, ApiError> {
    // Who first: the body is read only for a caller with a token.
    let Caller(Some(principal)) = caller else {
        return Err(ApiError(guihua_app::Error::Unauthenticated(
            "writing needs an API token (Authorization: Bearer guihua_…)".into(),
        )));
    };
    let body = axum::body::to_bytes(body, UPLOAD_LIMIT)
        .await
        .map_err(|e| {
            ApiError(guihua_app::Error::Invalid(format!(
                "the request body cannot be read ({e}); files up to {} MiB are taken",
                UPLOAD_LIMIT / (1024 * 1024)
            )))
        })?;
    let id = id_of(&id)?;
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let name = if kind.starts_with("text/csv") {
        "upload.csv"
    } else if kind.starts_with(XLSX) {
        "upload.xlsx"
    } else {
        return Err(ApiError(guihua_app::Error::Invalid(format!(
            "Content-Type must be text/csv or {XLSX}, not '{kind}'"
        ))));
    };
    let confirmed = matches!(o.confirm.as_deref(), Some("1" | "true" | "yes"));
    let applied = blocking(&state, move |w| {
        guihua_app::import::commit_for_plan(
            w.store.as_ref(),
            &principal,
            id,
            name,
            &body,
            confirmed,
            Some("API"),
        )
    })
    .await?;
    let (rows, a) = applied;
    Ok(Json(serde_json::json!({
        "rows": rows,
        "inserted": a.inserted,
        "updated": a.updated,
        "unchanged": a.unchanged,
    })))
}

/// A fault writing a file (not of the input).
fn ie(e: impl std::fmt::Display) -> guihua_app::Error {
    guihua_app::Error::Internal(e.to_string())
}

/// One open-data file by name (`plans.csv`, `observations.xlsx`, …): its type and bytes,
/// `None` for a name that is not one.
pub fn open_data_file(
    store: &dyn Store,
    file: &str,
) -> guihua_app::Result<Option<(&'static str, Vec<u8>)>> {
    let cards = portal::plans(store)?;
    Ok(Some(match file {
        "plans.json" => (
            JSON,
            serde_json::to_vec(&cards.iter().map(|c| &c.plan).collect::<Vec<_>>()).map_err(ie)?,
        ),
        "plans.csv" => {
            let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
            let cell = |s: &str| guihua_app::output::csv_cell(s).into_owned();
            w.write_record([
                "id",
                "region",
                "title",
                "start",
                "end",
                "version",
                "indicators",
                "targets",
                "projects",
            ])
            .map_err(ie)?;
            for c in &cards {
                let p = &c.plan;
                w.write_record([
                    p.id.to_string(),
                    cell(p.region.as_deref().unwrap_or("")),
                    cell(p.title.as_deref().unwrap_or("")),
                    p.period.map(|x| x.0.to_string()).unwrap_or_default(),
                    p.period.map(|x| x.1.to_string()).unwrap_or_default(),
                    p.version.to_string(),
                    p.indicators.to_string(),
                    p.targets.to_string(),
                    p.projects.to_string(),
                ])
                .map_err(ie)?;
            }
            (CSV, w.into_inner().map_err(ie)?)
        }
        "indicators.json" | "indicators.csv" => {
            let mut all = Vec::new();
            for c in &cards {
                for i in store.indicators(c.plan.id)? {
                    all.push((c.plan.id, i));
                }
            }
            if file.ends_with(".json") {
                let v: Vec<_> = all
                    .iter()
                    .map(|(p, i)| serde_json::json!({"plan": p, "indicator": i}))
                    .collect();
                (JSON, serde_json::to_vec(&v).map_err(ie)?)
            } else {
                let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
                let cell = |s: &str| guihua_app::output::csv_cell(s).into_owned();
                w.write_record([
                    "plan",
                    "id",
                    "seq",
                    "category",
                    "name",
                    "unit",
                    "attribute",
                    "base",
                    "target",
                    "catalog",
                ])
                .map_err(ie)?;
                for (p, i) in &all {
                    w.write_record([
                        p.to_string(),
                        i.id.clone(),
                        cell(i.seq.as_deref().unwrap_or("")),
                        cell(i.category.as_deref().unwrap_or("")),
                        cell(&i.name),
                        cell(i.unit.as_deref().unwrap_or("")),
                        cell(i.attribute.as_deref().unwrap_or("")),
                        cell(&i.base),
                        cell(&i.target),
                        i.link
                            .as_ref()
                            .and_then(|l| l.catalog_id.clone())
                            .unwrap_or_default(),
                    ])
                    .map_err(ie)?;
                }
                (CSV, w.into_inner().map_err(ie)?)
            }
        }
        "observations.csv" => {
            let mut out = b"\xEF\xBB\xBF".to_vec();
            guihua_app::sheets::export_csv(&portal::open_observations(store)?, &mut out)
                .map_err(ie)?;
            (CSV, out)
        }
        "observations.xlsx" => (
            XLSX,
            guihua_app::sheets::export_xlsx(&portal::open_observations(store)?)?,
        ),
        "observations.json" => (
            JSON,
            serde_json::to_vec(&guihua_app::sheets::export_json(
                &portal::open_observations(store)?,
            ))
            .map_err(ie)?,
        ),
        "evaluations.json" | "evaluations.csv" => {
            let mut rows = Vec::new();
            for c in &cards {
                let (rel, verdicts) = portal::latest_release(store, c.plan.id)?;
                let Some(rel) = rel else { continue };
                let mut v: Vec<_> = verdicts.into_iter().collect();
                v.sort_by(|a, b| a.0.cmp(&b.0));
                for (id, verdict) in v {
                    rows.push((c.plan.id, rel.id, rel.year, rel.kind.clone(), id, verdict));
                }
            }
            if file.ends_with(".json") {
                let v: Vec<_> = rows
                    .iter()
                    .map(|(p, r, y, k, id, v)| {
                        serde_json::json!({"plan": p, "release": r, "year": y, "kind": k, "id": id,
                            "status": v.status.code(), "status_zh": v.status.zh(),
                            "reason": v.reason_zh, "reason_en": v.reason_en})
                    })
                    .collect();
                (JSON, serde_json::to_vec(&v).map_err(ie)?)
            } else {
                let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
                w.write_record([
                    "plan",
                    "release",
                    "year",
                    "kind",
                    "id",
                    "status",
                    "status_zh",
                    "reason",
                ])
                .map_err(ie)?;
                for (p, r, y, k, id, v) in &rows {
                    w.write_record([
                        p.to_string(),
                        r.to_string(),
                        y.to_string(),
                        k.clone(),
                        id.clone(),
                        v.status.code().to_string(),
                        v.status.zh().to_string(),
                        guihua_app::output::csv_cell(&v.reason_zh).into_owned(),
                    ])
                    .map_err(ie)?;
                }
                (CSV, w.into_inner().map_err(ie)?)
            }
        }
        _ => return Ok(None),
    }))
}
