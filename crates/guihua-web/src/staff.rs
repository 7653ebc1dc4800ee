//! The staff side (登录后): sign-in, the workspace, a department's submission form, the
//! planner's review, collection rounds, publication, and the moderation queue. Every
//! handler checks the form token, then calls one `guihua-app` function as the signed-in
//! principal: the rights are the application layer's, the web only shows its answer.

use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use guihua_app::collection;
use guihua_app::policy::{Action, Principal};
use guihua_store::{CommentState, Store, SubjectKind};
use serde::Deserialize;

use crate::ctx::{set_cookie, Ctx, SESSION_COOKIE};
use crate::error::PageError;
use crate::public::{local_path, plan_id};
use crate::views::*;
use crate::{blocking, today, State};

pub fn routes() -> Router<State> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/staff", get(home))
        .route("/staff/submissions/{id}", get(submission).post(save))
        .route("/staff/submissions/{id}/decide", post(decide))
        .route(
            "/staff/submissions/{id}/upload",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/staff/submissions/{id}/template.xlsx", get(template))
        .route("/staff/rounds/{id}", get(round))
        .route("/staff/rounds/{id}/close", post(close_round))
        .route("/staff/rounds/{id}/reminders.csv", get(reminders))
        .route("/staff/plans/{id}", get(staff_plan))
        .route("/staff/plans/{id}/publish", post(publish_plan))
        .route("/staff/plans/{id}/rounds", post(open_round))
        .route("/staff/plans/{id}/releases", post(make_release))
        .route("/staff/releases/{id}/publish", post(publish_release))
        .route("/staff/comments", get(queue))
        .route("/staff/plans/{id}/remarks", get(remarks).post(add_remark))
        .route("/staff/comments/{id}", post(moderate))
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

async fn login_form(ctx: Ctx, Query(q): Query<Next>) -> LoginPage {
    LoginPage {
        // Signing in from the header's link leads to the workspace, not back to the portal.
        next: match q.next.as_deref() {
            None | Some("") | Some("/") => "/staff".to_string(),
            n => local_path(n),
        },
        error: None,
        name: String::new(),
        chrome: Chrome::of(&ctx),
    }
}

#[derive(Deserialize)]
struct LoginForm {
    csrf: String,
    name: String,
    password: String,
    next: Option<String>,
}

async fn login(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Form(f): Form<LoginForm>,
) -> Result<Response, PageError> {
    ctx.check_form(&f.csrf)?;
    let now = std::time::Instant::now();
    let keys = [
        format!("addr:{}", ctx.address),
        format!("name:{}", f.name.trim()),
    ];
    // Each attempt counts before the password is checked (concurrent attempts cannot slip
    // past the limit); a success takes it back.
    for (n, k) in keys.iter().enumerate() {
        if let Err(e) = state.throttle.attempt(k, now) {
            for earlier in &keys[..n] {
                state.throttle.succeeded(earlier, now);
            }
            return Err(PageError::of(&ctx, e));
        }
    }
    // A password check takes 19 MiB and a core's worth of argon2: a few at a time.
    let permit = state.sign_ins.clone().acquire_owned().await;
    let (name, password) = (f.name.clone(), f.password.clone());
    let result = blocking(&state, move |w| {
        let _permit = permit;
        guihua_app::session::login(w.store.as_ref(), &name, &password)
    })
    .await;
    match result {
        Ok(login) => {
            for k in &keys {
                state.throttle.succeeded(k, now);
            }
            let mut res = Redirect::to(&local_path(f.next.as_deref())).into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(
                    SESSION_COOKIE,
                    &login.token,
                    ctx.secure,
                    Some(guihua_app::session::SESSION_SECONDS),
                ),
            );
            Ok(res)
        }
        Err(guihua_app::Error::Forbidden(m)) => {
            let page = LoginPage {
                next: local_path(f.next.as_deref()),
                error: Some(if ctx.en {
                    m
                } else {
                    "用户名或密码错误".into()
                }),
                name: f.name.chars().take(64).collect(),
                chrome: Chrome::of(&ctx),
            };
            Ok((axum::http::StatusCode::FORBIDDEN, page).into_response())
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

async fn logout(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    ctx.check_form(&f.csrf)?;
    if let Some(t) = ctx.token.clone() {
        blocking(&state, move |w| {
            guihua_app::session::logout(w.store.as_ref(), &t)
        })
        .await
        .map_err(|e| PageError::of(&ctx, e))?;
    }
    let mut res = Redirect::to("/").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", ctx.secure, Some(0)),
    );
    Ok(res)
}

/// Run a call as the signed-in principal on the blocking threads.
async fn as_staff<T: Send + 'static>(
    state: &State,
    ctx: &Ctx,
    f: impl FnOnce(&dyn Store, &Principal) -> guihua_app::Result<T> + Send + 'static,
) -> Result<T, PageError> {
    as_staff_raw(state, ctx, f)
        .await?
        .map_err(|e| PageError::of(ctx, e))
}

/// [`as_staff`] keeping the application's error for the caller to look at.
async fn as_staff_raw<T: Send + 'static>(
    state: &State,
    ctx: &Ctx,
    f: impl FnOnce(&dyn Store, &Principal) -> guihua_app::Result<T> + Send + 'static,
) -> Result<guihua_app::Result<T>, PageError> {
    let p = ctx.staff()?.clone();
    Ok(blocking(state, move |w| f(w.store.as_ref(), &p)).await)
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

fn done_notice(en: bool, d: &Done) -> Option<String> {
    let m = match (d.done.as_deref()?, en) {
        ("saved", false) => "已保存。",
        ("saved", true) => "Saved.",
        ("submitted", false) => "已报送，等待审核。",
        ("submitted", true) => "Submitted; it waits for the planner's review.",
        ("approved", false) => "已审核通过，数据已入库。",
        ("approved", true) => "Approved: the values are now observations.",
        ("returned", false) => "已退回部门修改。",
        ("returned", true) => "Returned to the department.",
        ("published", false) => "已公开。",
        ("published", true) => "Published.",
        ("withdrawn", false) => "已撤回。",
        ("withdrawn", true) => "Withdrawn.",
        ("round", false) => "已发起填报。",
        ("round", true) => "The round is open.",
        ("release", false) => "已生成评估报告草稿，审阅后可发布。",
        ("release", true) => "The evaluation was kept as a draft; review it, then publish.",
        ("moderated", false) => "已处理。",
        ("moderated", true) => "Done.",
        (_, false) => "已完成。",
        (_, true) => "Done.",
    };
    Some(m.into())
}

async fn home(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Query(d): Query<Done>,
) -> Result<StaffHome, PageError> {
    let today = today();
    let (subs, plans, pending, remark_plans) = as_staff(&state, &ctx, move |store, p| {
        let subs = collection::my_submissions(store, p, &today)?;
        let mut plans = Vec::new();
        let mut pending = 0;
        let remark_plans: Vec<(i64, String)> = if p.authorize(Action::Remark).is_ok() {
            store
                .plans()?
                .into_iter()
                .filter(|r| r.next_id.is_none())
                .map(|r| (r.id, r.label().to_string()))
                .collect()
        } else {
            Vec::new()
        };
        if p.authorize(Action::ManagePlans).is_ok() {
            let published = store.published_plans()?;
            plans = store
                .plans()?
                .into_iter()
                .map(|r| (r.id, r.label().to_string(), published.contains(&r.id)))
                .collect();
            pending = store.comments(None, Some(CommentState::Pending))?.len();
        }
        let labels: Vec<(i64, String)> = store
            .plans()?
            .into_iter()
            .map(|r| (r.id, r.label().to_string()))
            .collect();
        Ok((
            subs.into_iter()
                .map(|(r, s, late)| {
                    let plan = labels
                        .iter()
                        .find(|(id, _)| *id == r.plan_id)
                        .map(|(_, l)| l.clone())
                        .unwrap_or_default();
                    (r, s, late, plan)
                })
                .collect::<Vec<_>>(),
            plans,
            pending,
            remark_plans,
        ))
    })
    .await?;
    Ok(StaffHome {
        remark_plans: remark_plans
            .into_iter()
            .map(|(id, name)| PlanAdminRow {
                href: format!("/staff/plans/{id}/remarks"),
                name,
                published: false,
            })
            .collect(),
        submissions: subs
            .into_iter()
            .map(|(r, s, late, plan)| SubmissionRow {
                href: format!("/staff/submissions/{}", s.id),
                plan,
                year: r.year,
                department: s.department.clone(),
                state: state_label(ctx.en, s.state),
                deadline: r.deadline.clone(),
                overdue: late,
                round_href: format!("/staff/rounds/{}", r.id),
            })
            .collect(),
        plans: plans
            .into_iter()
            .map(|(id, name, published)| PlanAdminRow {
                href: format!("/staff/plans/{id}"),
                name,
                published,
            })
            .collect(),
        pending,
        notice: done_notice(ctx.en, &d),
        chrome: Chrome::of(&ctx),
    })
}

fn state_label(en: bool, s: guihua_store::SubmissionState) -> String {
    if en {
        s.as_str().to_string()
    } else {
        s.zh().to_string()
    }
}

/// A stored time ("2026-12-02T13:51:39.336Z") as staff read it: "2026-12-02 13:51 UTC".
fn utc_minute(at: &str) -> String {
    format!("{} UTC", at.get(..16).unwrap_or(at).replace('T', " "))
}

fn sub_id(ctx: &Ctx, s: &str) -> Result<i64, PageError> {
    crate::public::canonical_id(s).ok_or_else(|| PageError::not_found(ctx))
}

/// The submission page, optionally with what the person just typed, an error or the
/// plausibility warnings to confirm.
async fn submission_page(
    state: &State,
    ctx: &Ctx,
    id: i64,
    typed: Option<Vec<(String, String)>>,
    error: Option<String>,
    warning: Option<String>,
    notice: Option<String>,
) -> Result<SubmissionPage, PageError> {
    let today = today();
    let list = as_staff(state, ctx, move |store, p| {
        collection::task_list(store, p, id, &today)
    })
    .await?;
    let p = ctx.staff()?;
    let can_edit = p.authorize(Action::WriteValues).is_ok();
    let can_decide = p.authorize(Action::ManagePlans).is_ok()
        && list.submission.state == guihua_store::SubmissionState::Submitted;
    let field = |name: &str, key: &str| -> Option<String> {
        typed.as_ref().map(|t| {
            t.iter()
                .find(|(k, _)| k == &format!("{name}:{key}"))
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
    };
    let tasks = list
        .tasks
        .iter()
        .map(|t| {
            let key = format!("{}:{}", t.kind.as_str(), t.id);
            let item = t.item.as_ref();
            TaskView {
                value: field("value", &key)
                    .unwrap_or_else(|| item.and_then(|i| i.value).map(num).unwrap_or_default()),
                source: field("source", &key)
                    .unwrap_or_else(|| item.and_then(|i| i.source.clone()).unwrap_or_default()),
                progress: field("progress", &key)
                    .unwrap_or_else(|| item.and_then(|i| i.progress.clone()).unwrap_or_default()),
                // A confirmation is given for a value as it is seen: never pre-ticked from
                // an earlier save, so a changed value is checked again.
                confirmed: typed.is_some() && field("confirm", &key).is_some_and(|v| v == "1"),
                name: t.name.clone(),
                unit: t.unit.clone().unwrap_or_default(),
                role: match (t.role, ctx.en) {
                    (guihua_store::Role::Lead, false) => "牵头".into(),
                    (guihua_store::Role::Lead, true) => "lead".into(),
                    (_, false) => "配合".into(),
                    (_, true) => "co".into(),
                },
                last: t
                    .last
                    .map(|(y, v)| format!("{} ({y})", num(v)))
                    .unwrap_or_else(|| "—".into()),
                stored: t.stored.map(num).unwrap_or_default(),
                key,
            }
        })
        .collect();
    Ok(SubmissionPage {
        id,
        plan: list.plan.label().to_string(),
        year: list.round.year,
        department: list.submission.department.clone(),
        state: state_label(ctx.en, list.submission.state),
        deadline: list.round.deadline.clone(),
        overdue: list.overdue,
        revision: list.submission.revision,
        editable: list.submission.state.editable() && list.round.closed_at.is_none(),
        can_edit,
        can_decide,
        decision_note: list.submission.decision_note.clone().unwrap_or_default(),
        tasks,
        error,
        warning,
        notice,
        chrome: Chrome::of(ctx),
    })
}

async fn submission(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(d): Query<Done>,
) -> Result<SubmissionPage, PageError> {
    let id = sub_id(&ctx, &id)?;
    let notice = done_notice(ctx.en, &d);
    submission_page(&state, &ctx, id, None, None, None, notice).await
}

async fn save(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = sub_id(&ctx, &id)?;
    // Who first, then how much: a stranger's form is refused before it is read, and no
    // form has more fields than four per task of the largest plan.
    ctx.staff()?;
    if fields.len() > MAX_FORM_FIELDS {
        return Err(PageError::bad(&ctx, "the form has too many fields"));
    }
    let by_name: std::collections::HashMap<&str, &str> = fields
        .iter()
        .rev()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let get = |k: &str| by_name.get(k).copied().unwrap_or("");
    ctx.check_form(get("csrf"))?;
    let revision: i64 = get("revision")
        .parse()
        .map_err(|_| PageError::bad(&ctx, "revision missing"))?;
    let submit = get("action") == "submit";
    // Entries from the value fields: "value:indicator:i3".
    let mut keys: Vec<(SubjectKind, String)> = Vec::new();
    for (k, _) in &fields {
        if let Some(rest) = k.strip_prefix("value:") {
            let (kind, sid) = rest
                .split_once(':')
                .and_then(|(k, s)| SubjectKind::parse(k).map(|k| (k, s.to_string())))
                .ok_or_else(|| PageError::bad(&ctx, "malformed field name"))?;
            keys.push((kind, sid));
        }
    }
    let owned: Vec<(SubjectKind, String, String, String, String, bool)> = keys
        .iter()
        .map(|(kind, sid)| {
            let key = format!("{}:{sid}", kind.as_str());
            (
                *kind,
                sid.clone(),
                get(&format!("value:{key}")).to_string(),
                get(&format!("source:{key}")).to_string(),
                get(&format!("progress:{key}")).to_string(),
                get(&format!("confirm:{key}")) == "1",
            )
        })
        .collect();
    let result = as_staff_raw(&state, &ctx, move |store, p| {
        let entries: Vec<collection::Entry> = owned
            .iter()
            .map(|(kind, sid, v, s, pr, c)| collection::Entry {
                kind: *kind,
                id: sid,
                value: v,
                source: s,
                progress: pr,
                confirmed: *c,
            })
            .collect();
        let rev = collection::save(store, p, id, &entries, revision)?;
        if submit {
            collection::submit(store, p, id, rev)?;
        }
        Ok(())
    })
    .await?;
    let (error, warning, status) = match result {
        Ok(()) => {
            return Ok(Redirect::to(&format!(
                "/staff/submissions/{id}?done={}",
                if submit { "submitted" } else { "saved" }
            ))
            .into_response())
        }
        // Show the form again with what was typed, and why it was not saved: a warning
        // to confirm, or an error to correct.
        Err(guihua_app::Error::Unconfirmed(m)) => {
            (None, Some(m), axum::http::StatusCode::BAD_REQUEST)
        }
        Err(
            e @ (guihua_app::Error::Invalid(_)
            | guihua_app::Error::Conflict(_)
            | guihua_app::Error::Store(_)),
        ) if matches!(
            e.kind(),
            guihua_app::ErrorKind::Invalid | guihua_app::ErrorKind::Conflict
        ) =>
        {
            (Some(e.to_string()), None, crate::error::status_of(e.kind()))
        }
        Err(e) => return Err(PageError::of(&ctx, e)),
    };
    // After a conflict the form shows what is stored now (with its new revision), not what
    // was typed over an older one: saving again must not overwrite unseen values.
    let typed = if status == axum::http::StatusCode::CONFLICT {
        None
    } else {
        Some(fields.clone())
    };
    let error = match (error, typed.is_none(), ctx.en) {
        (Some(e), true, false) => Some(format!(
            "{e}\n下表是他人刚保存的数值；请核对后重新填写。"
        )),
        (Some(e), true, true) => Some(format!(
            "{e}\nThe form shows the values just saved by someone else; check them and enter yours again."
        )),
        (e, _, _) => e,
    };
    let page = submission_page(&state, &ctx, id, typed, error, warning, None).await?;
    Ok((status, page).into_response())
}

/// The most fields a submission form may post (four per task: value, source, progress,
/// confirmation; a department answers for a few hundred subjects at most).
const MAX_FORM_FIELDS: usize = 8_000;

/// The largest workbook a department may upload into its form.
const UPLOAD_LIMIT: usize = 16 * 1024 * 1024;

/// The department's fill-in workbook for the round.
async fn template(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = sub_id(&ctx, &id)?;
    let (name, bytes) = as_staff(&state, &ctx, move |store, p| {
        collection::template_xlsx(store, p, id)
    })
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, crate::public::XLSX.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"template.xlsx\"; filename*=UTF-8''{}",
                    url_encode(&name)
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A filled workbook read into the form: the form comes back filled in, with every row
/// that could not be read listed; nothing is saved until the editor saves the form.
async fn upload(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    mut form: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let id = sub_id(&ctx, &id)?;
    // Signed in before anything of the body is read (it streams: nothing is buffered yet).
    ctx.staff()?;
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        PageError::bad(&ctx, &format!("the upload cannot be read: {e}"))
    };
    let mut csrf = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(unreadable)?,
            Some("file") => {
                let name = field.file_name().unwrap_or("upload.xlsx").to_string();
                let bytes = field.bytes().await.map_err(unreadable)?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    ctx.check_form(&csrf)?;
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(PageError::bad(
            &ctx,
            ctx.t("请选择要上传的文件。", "Choose a file to upload."),
        ));
    };
    let shown = name.clone();
    let read = as_staff_raw(&state, &ctx, move |store, p| {
        let up = collection::read_upload(store, p, id, &name, &bytes)?;
        let list = collection::task_list(store, p, id, "")?;
        Ok((up, list))
    })
    .await?;
    let (up, list) = match read {
        Ok(x) => x,
        Err(guihua_app::Error::Rejected(rows)) => {
            let error = rows
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n");
            let page = submission_page(&state, &ctx, id, None, Some(error), None, None).await?;
            return Ok((axum::http::StatusCode::BAD_REQUEST, page).into_response());
        }
        Err(e) => return Err(PageError::of(&ctx, e)),
    };
    // The form as saved, with the file's values over it.
    let mut typed: Vec<(String, String)> = Vec::new();
    for t in &list.tasks {
        let key = format!("{}:{}", t.kind.as_str(), t.id);
        let from_file = up.values.iter().find(|v| v.kind == t.kind && v.id == t.id);
        let item = t.item.as_ref();
        let (value, source, progress) = match from_file {
            Some(u) => (
                num(u.value),
                u.source.clone().unwrap_or_default(),
                u.note.clone().unwrap_or_default(),
            ),
            None => (
                item.and_then(|i| i.value).map(num).unwrap_or_default(),
                item.and_then(|i| i.source.clone()).unwrap_or_default(),
                item.and_then(|i| i.progress.clone()).unwrap_or_default(),
            ),
        };
        typed.push((format!("value:{key}"), value));
        typed.push((format!("source:{key}"), source));
        typed.push((format!("progress:{key}"), progress));
        if item.is_some_and(|i| i.confirmed) && from_file.is_none() {
            typed.push((format!("confirm:{key}"), "1".into()));
        }
    }
    let mut notice = if ctx.en {
        format!(
            "Read {shown}: {} rows, {} values filled in below. Nothing is saved yet: check them and press Save.",
            up.rows,
            up.values.len()
        )
    } else {
        format!(
            "已读取 {shown}：{} 行，{} 个数值已填入下表。尚未保存：请核对后点击“保存”。",
            up.rows,
            up.values.len()
        )
    };
    if up.ignored > 0 {
        notice.push_str(&if ctx.en {
            format!(
                "\n{} values are not for this form (another year, or not this department's task) and were left out.",
                up.ignored
            )
        } else {
            format!(
                "\n{} 个数值不属于本表（其他年份，或不是本部门的任务），未填入。",
                up.ignored
            )
        });
    }
    let error = (!up.errors.is_empty()).then(|| {
        let head = ctx.t(
            "以下行无法读取，未填入：",
            "These rows cannot be read and were left out:",
        );
        let rows: Vec<String> = up.errors.iter().map(ToString::to_string).collect();
        format!("{head}\n{}", rows.join("\n"))
    });
    let page = submission_page(&state, &ctx, id, Some(typed), error, None, Some(notice)).await?;
    Ok(page.into_response())
}

/// A plan's internal remarks (内部意见) and the form to add one: reviewers and planners.
async fn remarks(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(d): Query<Done>,
) -> Result<RemarksPage, PageError> {
    let id = plan_id(&ctx, &id)?;
    let (row, list, releases) = as_staff(&state, &ctx, move |store, p| {
        let (row, list) = guihua_app::comments::remarks(store, p, id)?;
        let releases = store.releases(id)?;
        Ok((row, list, releases))
    })
    .await?;
    Ok(RemarksPage {
        id,
        name: row.label().to_string(),
        remarks: list
            .iter()
            .map(|r| RemarkView {
                body: r.body.clone(),
                author: r.author.clone(),
                at: utc_minute(&r.at),
                about: r
                    .release_id
                    .and_then(|rid| releases.iter().find(|x| x.id == rid))
                    .map(|x| crate::public::release_label(ctx.en, x))
                    .unwrap_or_default(),
            })
            .collect(),
        releases: releases
            .iter()
            .map(|r| (r.id, crate::public::release_label(ctx.en, r)))
            .collect(),
        notice: done_notice(ctx.en, &d),
        chrome: Chrome::of(&ctx),
    })
}

#[derive(Deserialize)]
struct RemarkForm {
    csrf: String,
    body: String,
    release: Option<String>,
}

async fn add_remark(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<RemarkForm>,
) -> Result<Response, PageError> {
    ctx.check_form(&f.csrf)?;
    let id = plan_id(&ctx, &id)?;
    let release = match f.release.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(r) => Some(
            r.parse::<i64>()
                .map_err(|_| PageError::bad(&ctx, "not a release"))?,
        ),
    };
    as_staff(&state, &ctx, move |store, p| {
        guihua_app::comments::add_remark(store, p, id, release, &f.body)
    })
    .await?;
    Ok(Redirect::to(&format!("/staff/plans/{id}/remarks?done=saved")).into_response())
}

#[derive(Deserialize)]
struct DecideForm {
    csrf: String,
    revision: i64,
    decision: String,
    note: Option<String>,
}

async fn decide(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<DecideForm>,
) -> Result<Response, PageError> {
    ctx.check_form(&f.csrf)?;
    let id = sub_id(&ctx, &id)?;
    let approve = f.decision == "approve";
    let note = f.note.clone();
    as_staff(&state, &ctx, move |store, p| {
        collection::decide(store, p, id, approve, note.as_deref(), f.revision)
    })
    .await?;
    Ok(Redirect::to(&format!(
        "/staff/submissions/{id}?done={}",
        if approve { "approved" } else { "returned" }
    ))
    .into_response())
}

async fn round(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<RoundPage, PageError> {
    let id = sub_id(&ctx, &id)?;
    let today = today();
    let s = as_staff(&state, &ctx, move |store, p| {
        collection::round_status(store, p, id, &today)
    })
    .await?;
    Ok(RoundPage {
        id,
        plan: s.plan.label().to_string(),
        plan_href: format!("/staff/plans/{}", s.plan.id),
        year: s.round.year,
        deadline: s.round.deadline.clone(),
        closed: s.round.closed_at.is_some(),
        submissions: s
            .submissions
            .iter()
            .map(|x| RoundSubmissionView {
                href: format!("/staff/submissions/{}", x.id),
                department: x.department.clone(),
                state: state_label(ctx.en, x.state),
                submitted: x
                    .submitted_at
                    .as_deref()
                    .map(|a| {
                        format!(
                            "{} {}",
                            a.get(..10).unwrap_or(a),
                            x.submitted_by.as_deref().unwrap_or("")
                        )
                    })
                    .unwrap_or_default(),
                decided: x
                    .decided_at
                    .as_deref()
                    .map(|a| {
                        format!(
                            "{} {}",
                            a.get(..10).unwrap_or(a),
                            x.decided_by.as_deref().unwrap_or("")
                        )
                    })
                    .unwrap_or_default(),
                note: x.decision_note.clone().unwrap_or_default(),
                overdue: s.overdue.contains(&x.department),
                values: x.items.iter().filter(|i| i.value.is_some()).count(),
            })
            .collect(),
        overdue: s.overdue.clone(),
        chrome: Chrome::of(&ctx),
    })
}

async fn close_round(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    ctx.check_form(&f.csrf)?;
    let id = sub_id(&ctx, &id)?;
    as_staff(&state, &ctx, move |store, p| {
        collection::close_round(store, p, id)
    })
    .await?;
    Ok(Redirect::to(&format!("/staff/rounds/{id}")).into_response())
}

async fn reminders(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = sub_id(&ctx, &id)?;
    let today = today();
    let s = as_staff(&state, &ctx, move |store, p| {
        collection::round_status(store, p, id, &today)
    })
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, crate::public::CSV.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"reminders-round{id}.csv\""),
            ),
        ],
        collection::reminders_csv(&s),
    )
        .into_response())
}

async fn staff_plan(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(d): Query<Done>,
) -> Result<StaffPlanPage, PageError> {
    let id = plan_id(&ctx, &id)?;
    let (row, published, releases, rounds) = as_staff(&state, &ctx, move |store, p| {
        p.authorize(Action::ManagePlans)?;
        let row = store.resolve(&id.to_string())?;
        Ok((
            row,
            store.published_plans()?.contains(&id),
            guihua_app::publication::releases(store, p, id)?,
            store.rounds(Some(id))?,
        ))
    })
    .await?;
    let en = ctx.en;
    // The year a round or evaluation is usually for: last year, within the plan period.
    let last_year = today()[..4].parse::<i32>().unwrap_or(2026) - 1;
    let year = row.period.map_or(last_year, |(s, e)| last_year.clamp(s, e));
    Ok(StaffPlanPage {
        id,
        name: row.label().to_string(),
        published,
        releases: releases
            .iter()
            .map(|r| ReleaseView {
                id: r.id,
                label: crate::public::release_label(ctx.en, r),
                state: if r.withdrawn_at.is_some() {
                    ctx.t("已撤回", "withdrawn")
                } else if r.published_at.is_some() {
                    ctx.t("已发布", "published")
                } else {
                    ctx.t("草稿", "draft")
                }
                .into(),
                public: r.is_public(),
                withdrawn: r.withdrawn_at.is_some(),
            })
            .collect(),
        rounds: rounds
            .iter()
            .map(|r| RoundView {
                href: format!("/staff/rounds/{}", r.id),
                year: r.year,
                deadline: r.deadline.clone(),
                state: if r.closed_at.is_some() {
                    if en {
                        "closed"
                    } else {
                        "已结束"
                    }
                } else if en {
                    "open"
                } else {
                    "进行中"
                }
                .into(),
            })
            .collect(),
        departments: String::new(),
        year,
        deadline: String::new(),
        notice: done_notice(en, &d),
        chrome: Chrome::of(&ctx),
    })
}

#[derive(Deserialize)]
struct PublishForm {
    csrf: String,
    publish: String,
}

async fn publish_plan(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<PublishForm>,
) -> Result<Response, PageError> {
    ctx.check_form(&f.csrf)?;
    let id = plan_id(&ctx, &id)?;
    let publish = f.publish == "yes";
    as_staff(&state, &ctx, move |store, p| {
        guihua_app::publication::publish_plan(store, p, &id.to_string(), publish)
    })
    .await?;
    Ok(Redirect::to(&format!(
        "/staff/plans/{id}?done={}",
        if publish { "published" } else { "withdrawn" }
    ))
    .into_response())
}

#[derive(Deserialize)]
struct RoundForm {
    csrf: String,
    year: String,
    deadline: String,
    departments: Option<String>,
}

async fn open_round(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<RoundForm>,
) -> Result<Response, PageError> {
    ctx.check_form(&f.csrf)?;
    let id = plan_id(&ctx, &id)?;
    let year =
        guihua_app::input::year(&f.year).map_err(|e| PageError::bad(&ctx, &e.to_string()))?;
    let departments: Vec<String> = f
        .departments
        .unwrap_or_default()
        .split(['、', ',', '，', ';', '；', '\n'])
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty())
        .collect();
    let deadline = f.deadline.trim().to_string();
    let round = as_staff(&state, &ctx, move |store, p| {
        collection::open_round(store, p, &id.to_string(), year, &deadline, &departments)
    })
    .await?;
    Ok(Redirect::to(&format!("/staff/rounds/{round}")).into_response())
}

#[derive(Deserialize)]
struct ReleaseForm {
    csrf: String,
    year: String,
    kind: String,
    narrative: Option<String>,
}

async fn make_release(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<ReleaseForm>,
) -> Result<Response, PageError> {
    ctx.check_form(&f.csrf)?;
    let id = plan_id(&ctx, &id)?;
    let year =
        guihua_app::input::year(&f.year).map_err(|e| PageError::bad(&ctx, &e.to_string()))?;
    let kind = guihua_app::publication::parse_kind(&f.kind).map_err(|e| PageError::of(&ctx, e))?;
    let date = today();
    as_staff(&state, &ctx, move |store, p| {
        guihua_app::publication::make_release(
            store,
            p,
            &guihua_app::publication::ReleaseRequest {
                plan: &id.to_string(),
                year,
                kind,
                narrative: f.narrative.as_deref(),
                generated_on: date,
            },
        )
    })
    .await?;
    Ok(Redirect::to(&format!("/staff/plans/{id}?done=release")).into_response())
}

async fn publish_release(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<PublishForm>,
) -> Result<Response, PageError> {
    ctx.check_form(&f.csrf)?;
    let id = sub_id(&ctx, &id)?;
    let publish = f.publish == "yes";
    let plan = as_staff(&state, &ctx, move |store, p| {
        guihua_app::publication::publish_release(store, p, id, publish)?;
        Ok(store
            .release_part(id, guihua_store::ReleasePart::Document)?
            .0
            .plan_id)
    })
    .await?;
    Ok(Redirect::to(&format!(
        "/staff/plans/{plan}?done={}",
        if publish { "published" } else { "withdrawn" }
    ))
    .into_response())
}

async fn queue(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Query(d): Query<Done>,
) -> Result<QueuePage, PageError> {
    let en = ctx.en;
    let (comments, about) = as_staff(&state, &ctx, move |store, p| {
        let c = guihua_app::comments::queue(store, p, CommentState::Pending)?;
        let about = guihua_app::comments::about(store, &c, en)?;
        Ok((c, about))
    })
    .await?;
    Ok(QueuePage {
        comments: comments
            .iter()
            .zip(about)
            .map(|(c, about)| CommentView {
                id: c.id,
                author: c
                    .author
                    .clone()
                    .unwrap_or_else(|| ctx.t("匿名", "anonymous").into()),
                at: utc_minute(&c.submitted_at),
                body: c.body.clone(),
                about,
                contact: c.contact.clone().unwrap_or_default(),
            })
            .collect(),
        notice: done_notice(ctx.en, &d),
        chrome: Chrome::of(&ctx),
    })
}

#[derive(Deserialize)]
struct ModerateForm {
    csrf: String,
    decision: String,
    reason: Option<String>,
}

async fn moderate(
    state: axum::extract::State<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<ModerateForm>,
) -> Result<Response, PageError> {
    ctx.check_form(&f.csrf)?;
    let id = sub_id(&ctx, &id)?;
    let publish = f.decision == "publish";
    as_staff(&state, &ctx, move |store, p| {
        guihua_app::comments::moderate(store, p, id, publish, f.reason.as_deref())
    })
    .await?;
    Ok(Redirect::to("/staff/comments?done=moderated").into_response())
}
