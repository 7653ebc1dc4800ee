//! One mapping from the application's error kinds to HTTP statuses ([`status_of`]), and
//! the two ways an error reaches a client: a page ([`PageError`], in the visitor's
//! language) or JSON ([`ApiError`]). A fault of the program (`Internal`) is logged with its
//! message and answered with a generic one: the message may name files or queries.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guihua_app::{Error, ErrorKind};

use crate::ctx::Ctx;

/// The HTTP status of each kind of error — the one place it is decided.
pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Ambiguous | ErrorKind::Invalid => StatusCode::BAD_REQUEST,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Limited => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn public_message(e: &Error) -> String {
    if e.kind() == ErrorKind::Internal {
        eprintln!("guihua serve: internal error: {e}");
        "内部错误，已记录 (an internal error; it was logged)".into()
    } else {
        e.to_string()
    }
}

/// An error shown as a page.
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub en: bool,
    pub message: String,
    /// Not signed in: go to the sign-in page, then back here.
    pub login_next: Option<String>,
}

impl PageError {
    pub fn app(en: bool, e: Error) -> PageError {
        PageError {
            status: status_of(e.kind()),
            en,
            message: public_message(&e),
            login_next: None,
        }
    }
    pub fn of(ctx: &Ctx, e: Error) -> PageError {
        PageError::app(ctx.en, e)
    }
    pub fn forbidden(ctx: &Ctx, message: &str) -> PageError {
        PageError {
            status: StatusCode::FORBIDDEN,
            en: ctx.en,
            message: message.into(),
            login_next: None,
        }
    }
    pub fn bad(ctx: &Ctx, message: &str) -> PageError {
        PageError {
            status: StatusCode::BAD_REQUEST,
            en: ctx.en,
            message: message.into(),
            login_next: None,
        }
    }
    pub fn not_found(ctx: &Ctx) -> PageError {
        PageError {
            status: StatusCode::NOT_FOUND,
            en: ctx.en,
            message: ctx.t("没有这个页面", "No such page").into(),
            login_next: None,
        }
    }
    pub fn login(ctx: &Ctx) -> PageError {
        PageError {
            status: StatusCode::SEE_OTHER,
            en: ctx.en,
            message: String::new(),
            login_next: Some(ctx.path.clone()),
        }
    }
}

impl From<(bool, Error)> for PageError {
    fn from((en, e): (bool, Error)) -> PageError {
        PageError::app(en, e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if let Some(next) = self.login_next {
            let q: String = crate::views::url_encode(&next);
            return Redirect::to(&format!("/login?next={q}")).into_response();
        }
        let page = crate::views::MessagePage::error(self.en, self.status, &self.message);
        (self.status, page).into_response()
    }
}

/// An error answered as JSON: `{"error": {"kind": "not_found", "message": "…"}}`.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let kind = self.0.kind();
        let code = match (&self.0, kind) {
            (Error::Unconfirmed(_), _) => "unconfirmed",
            (Error::Rejected(_), _) => "rejected",
            (_, ErrorKind::NotFound) => "not_found",
            (_, ErrorKind::Ambiguous) => "ambiguous",
            (_, ErrorKind::Invalid) => "invalid",
            (_, ErrorKind::Conflict) => "conflict",
            (_, ErrorKind::Forbidden) => "forbidden",
            (_, ErrorKind::Unauthenticated) => "unauthenticated",
            (_, ErrorKind::Limited) => "limited",
            (_, ErrorKind::Internal) => "internal",
        };
        let mut body =
            serde_json::json!({"error": {"kind": code, "message": public_message(&self.0)}});
        if let Error::Rejected(rows) = &self.0 {
            // Every bad row, where it is: what a script needs to fix its file.
            body["error"]["rows"] = rows
                .iter()
                .map(
                    |r| serde_json::json!({"row": r.row, "column": r.column, "message": r.message}),
                )
                .collect();
        }
        let mut res = (status_of(kind), axum::Json(body)).into_response();
        if kind == ErrorKind::Unauthenticated {
            res.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"guihua\""),
            );
        }
        res
    }
}
