//! The request as handlers need it ([`Ctx`]: language, who is signed in, the form token,
//! the client's address) and the headers every response carries ([`security`]).
//!
//! Forms are protected twice: every form carries a token (the session's for staff; for
//! anonymous visitors a random value also set as a cookie — the double-submit pattern),
//! and a POST whose `Origin` header names another site is refused whatever it carries.
//! Cookies are HttpOnly and SameSite=Lax; Secure when the request came over TLS (a
//! reverse proxy's `X-Forwarded-Proto: https`) or the server was told so.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use guihua_app::policy::Principal;

use crate::error::PageError;
use crate::State;

pub const SESSION_COOKIE: &str = "guihua_session";
pub const FORM_COOKIE: &str = "guihua_form";
pub const LANG_COOKIE: &str = "guihua_lang";

/// The Content-Security-Policy of every response: no script from anywhere, styles and
/// images from this server only (inline SVG charts need no image source).
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A cookie's value from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with the attributes every guihua cookie has.
pub fn set_cookie(name: &str, value: &str, secure: bool, max_age: Option<i64>) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

/// The anonymous form token of this request (set by [`security`]).
#[derive(Clone)]
pub(crate) struct FormToken(pub(crate) String);

/// Add the security headers to every response, and give a visitor without one an
/// anonymous form token.
pub async fn security(mut req: Request, next: Next) -> Response {
    let existing = cookie(req.headers(), FORM_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string);
    let secure = over_tls(req.headers());
    let fresh = existing.is_none();
    let token = existing.unwrap_or_else(guihua_app::session::random_token);
    req.extensions_mut().insert(FormToken(token.clone()));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert("content-security-policy", HeaderValue::from_static(CSP));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    if fresh {
        h.append(
            header::SET_COOKIE,
            set_cookie(FORM_COOKIE, &token, secure, None),
        );
    }
    res
}

fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// The client's address for rate limits and one rating per address: the socket's peer,
/// unless the peer is the trusted proxy (`guihua serve --trusted-proxy`), whose last
/// `X-Forwarded-For` entry — the address the proxy itself saw — is taken instead. Entries
/// before it are the client's own claims and are never believed.
pub fn client_address(
    peer: Option<std::net::IpAddr>,
    trusted: Option<std::net::IpAddr>,
    headers: &HeaderMap,
) -> String {
    let Some(peer) = peer else {
        return "local".into();
    };
    if Some(peer) == trusted {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty())
            .and_then(|v| v.parse::<std::net::IpAddr>().ok());
        if let Some(client) = forwarded {
            return client.to_string();
        }
    }
    peer.to_string()
}

/// The request as a handler needs it.
pub struct Ctx {
    /// English pages (the language cookie).
    pub en: bool,
    /// The signed-in staff member, if any.
    pub user: Option<Principal>,
    /// The session cookie's token (to sign out).
    pub token: Option<String>,
    /// The token every form of this page carries.
    pub form_token: String,
    /// The client's address (the socket's peer; "local" in-process).
    pub address: String,
    /// The request came over TLS.
    pub secure: bool,
    /// The Origin header, when present, names this host.
    origin_ok: bool,
    /// The path and query asked for (to come back after a language switch or sign-in).
    pub path: String,
}

impl Ctx {
    /// Choose the Chinese or English text.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        if self.en {
            en
        } else {
            zh
        }
    }

    /// A POST is acceptable: the form's token is this page's and the Origin (if sent) is
    /// this site.
    pub fn check_form(&self, given: &str) -> Result<(), PageError> {
        if !self.origin_ok {
            return Err(PageError::forbidden(
                self,
                "请求来源不是本站 (the request came from another site)",
            ));
        }
        if !guihua_app::session::csrf_ok(&self.form_token, given.trim()) {
            return Err(PageError::forbidden(
                self,
                "表单已过期，请返回刷新后重试 (the form expired: go back, reload and try again)",
            ));
        }
        Ok(())
    }

    /// The signed-in staff member, or a redirect-worthy refusal.
    pub fn staff(&self) -> Result<&Principal, PageError> {
        self.user.as_ref().ok_or_else(|| PageError::login(self))
    }
}

fn origin_matches(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .unwrap_or("");
    !host.is_empty() && origin_host == host
}

impl FromRequestParts<State> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Ctx, PageError> {
        let headers = &parts.headers;
        let en = cookie(headers, LANG_COOKIE) == Some("en");
        let token = cookie(headers, SESSION_COOKIE).map(str::to_string);
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let address = client_address(peer, state.trusted_proxy, headers);
        let anonymous = parts
            .extensions
            .get::<FormToken>()
            .map(|f| f.0.clone())
            .unwrap_or_default();
        let session = match &token {
            Some(t) => {
                let t = t.clone();
                crate::blocking(state, move |w| {
                    guihua_app::session::session(w.store.as_ref(), &t)
                })
                .await
                .map_err(|e| PageError::app(en, e))?
            }
            None => None,
        };
        let (user, form_token) = match session {
            Some((p, csrf)) => (Some(p), csrf),
            None => (None, anonymous),
        };
        Ok(Ctx {
            en,
            user,
            token,
            form_token,
            address,
            secure: over_tls(headers) || state.secure_cookies,
            origin_ok: origin_matches(headers),
            path: parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "/".into()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_address_is_believed_only_from_the_trusted_proxy() {
        let proxy: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let other: std::net::IpAddr = "10.0.0.9".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "1.1.1.1, 203.0.113.7".parse().unwrap());
        assert_eq!(client_address(Some(proxy), Some(proxy), &h), "203.0.113.7");
        assert_eq!(client_address(Some(other), Some(proxy), &h), "10.0.0.9");
        assert_eq!(client_address(Some(proxy), None, &h), "127.0.0.1");
        h.insert("x-forwarded-for", "not an address".parse().unwrap());
        assert_eq!(client_address(Some(proxy), Some(proxy), &h), "127.0.0.1");
        assert_eq!(client_address(None, Some(proxy), &h), "local");
    }

    #[test]
    fn cookies_and_origins() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; guihua_lang=en; b=2"),
        );
        assert_eq!(cookie(&h, "guihua_lang"), Some("en"));
        assert_eq!(cookie(&h, "c"), None);
        assert!(origin_matches(&h), "no Origin: the token decides");
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(origin_matches(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        assert!(!origin_matches(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!origin_matches(&h));
    }
}
