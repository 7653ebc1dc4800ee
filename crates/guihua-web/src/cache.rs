//! Rendered public pages kept in memory, so that the portal answers a crowd as fast as a
//! file server while every page stays exactly what the library holds.
//!
//! Why a cache at all: a plan page is built from the stored plan, its observations and the
//! evaluation document of its latest public release — a few milliseconds of parsing and
//! rendering. Public pages are the same for every anonymous visitor and change only when the
//! library does, and the public is most of the traffic (a plan published in the news).
//!
//! Why it is never stale: the store keeps one number that changes with every write to
//! anything a public page shows, by this process or any other ([`Store::content_version`],
//! kept by triggers in the database itself). Every request reads it (one indexed row) before
//! anything else; a different number empties the cache. The number is read *before* a page
//! is rendered, so a page is never filed under a newer number than its data.
//!
//! What is kept: `GET` answers `200 text/html` to visitors without a session, per language
//! and path, for paths without a query. A page carries the visitor's form token (the comment form), so it
//! is rendered with a placeholder token that is replaced by each visitor's own when served.
//! Staff (a session cookie) always get a fresh page. Memory is bounded: at most
//! [`MAX_PAGES`] pages and [`MAX_BYTES`] bytes; a full cache is emptied and refilled.
//!
//! [`Store::content_version`]: guihua_store::Store::content_version

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::ctx::{cookie, FormToken, LANG_COOKIE, SESSION_COOKIE};
use crate::State;

/// Pages kept at most.
pub const MAX_PAGES: usize = 4_096;
/// Bytes of pages kept at most.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// The largest page kept (bigger ones are served, not kept; a page is rendered by this
/// server from bounded data, so reading it whole is safe).
const MAX_PAGE: usize = 2 * 1024 * 1024;
/// Stands for the visitor's form token in a kept page (64 characters, like a token, and
/// nothing a page would otherwise contain).
const PLACEHOLDER: &str = "guihua-form-token-placeholder-guihua-form-token-placeholder-0000";

#[derive(Default)]
pub struct PageCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    version: i64,
    pages: HashMap<(bool, String), Page>,
    bytes: usize,
}

#[derive(Clone)]
struct Page {
    content_type: HeaderValue,
    body: Bytes,
}

impl PageCache {
    /// The page for `key` if it was rendered at `version`; a different version empties the
    /// cache first.
    fn get(&self, version: i64, key: &(bool, String)) -> Option<Page> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.version != version {
            inner.pages.clear();
            inner.bytes = 0;
            inner.version = version;
            return None;
        }
        inner.pages.get(key).cloned()
    }

    fn put(&self, version: i64, key: (bool, String), page: Page) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.version != version {
            // The library changed while the page was rendered: keep nothing of either.
            return;
        }
        let size = page.body.len() + key.1.len();
        if inner.pages.len() >= MAX_PAGES || inner.bytes + size > MAX_BYTES {
            inner.pages.clear();
            inner.bytes = 0;
        }
        inner.bytes += size;
        if let Some(old) = inner.pages.insert(key, page) {
            inner.bytes -= old.body.len();
        }
    }

    /// Pages kept now (for tests and the benchmark's report).
    pub fn len(&self) -> usize {
        self.inner.lock().map(|i| i.pages.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The middleware over the public routes.
pub async fn public_pages(
    axum::extract::State(state): axum::extract::State<State>,
    mut req: Request,
    next: Next,
) -> Response {
    let headers = req.headers();
    // Pages with a query (a notice after a comment, a comparison) are rendered each time:
    // kept pages are keyed by path alone, so made-up queries cannot crowd them out.
    if req.method() != Method::GET
        || cookie(headers, SESSION_COOKIE).is_some()
        || req.uri().query().is_some()
    {
        return next.run(req).await;
    }
    let Some(FormToken(token)) = req.extensions().get::<FormToken>().cloned() else {
        return next.run(req).await;
    };
    let key = (
        cookie(headers, LANG_COOKIE) == Some("en"),
        req.uri().path().to_string(),
    );
    let version = match crate::blocking(&state, |w| w.store.content_version()).await {
        Ok(v) => v,
        // The library cannot say: no cache, the handler will report what is wrong.
        Err(_) => return next.run(req).await,
    };
    if let Some(page) = state.pages.get(version, &key) {
        return serve(&page, &token);
    }
    req.extensions_mut()
        .insert(FormToken(PLACEHOLDER.to_string()));
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !html {
        // Downloads and redirects carry no form.
        return res;
    }
    if res.status() != StatusCode::OK || res.headers().contains_key(header::SET_COOKIE) {
        return with_token(res, &token).await;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if bytes.len() > MAX_PAGE {
        return serve(
            &Page {
                content_type: HeaderValue::from_static("text/html; charset=utf-8"),
                body: bytes,
            },
            &token,
        );
    }
    let page = Page {
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .cloned()
            .unwrap_or_else(|| HeaderValue::from_static("text/html; charset=utf-8")),
        body: bytes,
    };
    let out = serve(&page, &token);
    state.pages.put(version, key, page);
    out
}

/// A kept page with this visitor's token in its forms.
fn serve(page: &Page, token: &str) -> Response {
    let body = replace(&page.body, token);
    let mut res = Response::new(Body::from(body));
    res.headers_mut()
        .insert(header::CONTENT_TYPE, page.content_type.clone());
    res
}

/// A page that is not kept, rendered with the placeholder: put the token in.
async fn with_token(res: Response, token: &str) -> Response {
    let (mut parts, body) = res.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => {
            let body = replace(&b, token);
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(body))
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn replace(body: &[u8], token: &str) -> Bytes {
    match std::str::from_utf8(body) {
        Ok(s) if s.contains(PLACEHOLDER) => Bytes::from(s.replace(PLACEHOLDER, token)),
        _ => Bytes::copy_from_slice(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(s: &str) -> Page {
        Page {
            content_type: HeaderValue::from_static("text/html"),
            body: Bytes::from(s.to_string()),
        }
    }

    #[test]
    fn a_new_version_empties_the_cache() {
        let c = PageCache::default();
        let k = (false, "/plans/1".to_string());
        assert!(c.get(1, &k).is_none());
        c.put(1, k.clone(), page("a"));
        assert_eq!(&c.get(1, &k).unwrap().body[..], b"a");
        assert!(c.get(2, &k).is_none(), "changed library");
        assert!(c.is_empty());
        c.put(1, k.clone(), page("old"));
        assert!(
            c.is_empty(),
            "a page rendered before the change is not kept"
        );
    }

    #[test]
    fn memory_is_bounded() {
        let c = PageCache::default();
        c.get(1, &(false, String::new()));
        for n in 0..MAX_PAGES + 10 {
            c.put(1, (false, format!("/p{n}")), page("x"));
        }
        assert!(c.len() <= MAX_PAGES);
        let big = "x".repeat(MAX_BYTES / 2 + 1);
        c.put(1, (true, "/a".into()), page(&big));
        c.put(1, (true, "/b".into()), page(&big));
        let inner = c.inner.lock().unwrap();
        assert!(inner.bytes <= MAX_BYTES && inner.pages.len() == 1);
    }

    #[test]
    fn each_visitor_gets_its_own_token() {
        let p = page(&format!("<input name=\"csrf\" value=\"{PLACEHOLDER}\">"));
        assert_eq!(
            &replace(&p.body, &"a".repeat(64))[..],
            format!("<input name=\"csrf\" value=\"{}\">", "a".repeat(64)).as_bytes()
        );
    }
}
