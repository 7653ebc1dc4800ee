//! `guihua serve`: the plan-implementation system on the web — the public portal (公开),
//! public comments (公众评价), the staff side (登录: planners, department editors,
//! reviewers), data collection rounds (年度填报), publication of evaluations, and a JSON API.
//!
//! This crate is a thin edge over `guihua-app`, as the CLI is: a handler reads the request
//! (path, query, form, cookies), calls one `guihua-app` function with plain data, and
//! renders what it gets back — an askama template compiled into the binary, JSON, or a
//! download. Who may do what is decided in `guihua-app` (`policy`, `collection`, …), never
//! here; every error kind maps to an HTTP status in one place ([`error`]).
//!
//! What the web adds is the web's own: sessions in cookies (HttpOnly, SameSite=Lax,
//! Secure behind TLS), a form token on every form checked with the Origin header
//! ([`ctx`]), security headers with a Content-Security-Policy that allows no script at all
//! (the pages need none: every page reads and every form posts without JavaScript), the
//! language switch (中文 / English, a cookie), embedded CSS (no CDN, no web fonts, no
//! external request), and running the library's blocking calls off the async threads
//! ([`blocking`]).
//!
//! Pages use only what Chromium 90-era browsers render (no `:has()`, no container
//! queries, no CSS nesting); charts are inline SVG drawn by the report crate's chart code,
//! each with its table beside it.

use std::future::IntoFuture;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use guihua_store::Store;

mod api;
mod assets;
pub mod cache;
pub mod ctx;
pub mod demo;
mod error;
mod public;
mod search;
mod staff;
mod views;

pub use api::UPLOAD_LIMIT;
pub use error::status_of;

/// What every handler shares.
pub struct Web {
    pub store: Box<dyn Store>,
    /// The key of address pseudonyms (rate limits, one rating per address): random per
    /// process unless given, so stored pseudonyms cannot be reversed by guessing addresses.
    pub secret: String,
    /// Failed sign-ins per address and per name.
    pub throttle: guihua_app::session::Throttle,
    /// Set the Secure flag on cookies even without `X-Forwarded-Proto: https`.
    pub secure_cookies: bool,
    /// Rendered public pages ([`cache`]).
    pub pages: cache::PageCache,
    /// Password checks running at once (each takes argon2's 19 MiB and a core).
    pub sign_ins: Arc<tokio::sync::Semaphore>,
    /// Take the client's address from `X-Forwarded-For` when the peer is this proxy.
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// The search index (`None`: the search page says search is not available).
    pub search: Option<guihua_search::SearchIndex>,
}

/// The shared state as handlers receive it.
pub type State = Arc<Web>;

impl Web {
    pub fn new(store: Box<dyn Store>) -> Web {
        Web {
            store,
            secret: guihua_app::session::random_token(),
            throttle: guihua_app::session::Throttle::new(
                10,
                std::time::Duration::from_secs(15 * 60),
            ),
            secure_cookies: false,
            pages: cache::PageCache::default(),
            sign_ins: Arc::new(tokio::sync::Semaphore::new(4)),
            trusted_proxy: None,
            search: None,
        }
    }
}

/// Run a blocking call (the library is SQLite: every call may wait for the disk) on
/// tokio's blocking threads, so the async threads keep serving.
pub async fn blocking<T: Send + 'static>(
    state: &State,
    f: impl FnOnce(&Web) -> T + Send + 'static,
) -> T {
    let s = state.clone();
    match tokio::task::spawn_blocking(move || f(&s)).await {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Today's date (YYYY-MM-DD, UTC) by this machine's clock: deadlines, report dates.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    guihua_app::output::civil_date(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The whole application: portal, staff side, API, assets.
pub fn router(state: State) -> Router {
    Router::new()
        .merge(
            public::routes().route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                cache::public_pages,
            )),
        )
        .merge(search::routes())
        .merge(staff::routes())
        .merge(api::routes())
        .merge(assets::routes())
        .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
        .layer(axum::middleware::from_fn(ctx::security))
        .with_state(state)
}

/// Serve until Ctrl-C. `announce` is called with the bound address once the socket
/// listens (the CLI prints it). With `check`, the server answers its own start-up checks
/// ([`CHECKED_PATHS`]) over the socket and stops: what CI runs.
pub async fn serve(
    state: State,
    listen: SocketAddr,
    check: bool,
    announce: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    announce(addr);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(
        axum::serve(
            listener,
            router(state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = stopped => {}
            }
        })
        .into_future(),
    );
    if check {
        let result = tokio::task::spawn_blocking(move || self_check(addr))
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let _ = stop.send(());
        let _ = server.await;
        return result;
    }
    server
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))?
}

/// The pages a start-up check asks for (each must answer 200).
pub const CHECKED_PATHS: &[&str] = &[
    "/healthz",
    "/",
    "/api/v1/plans",
    "/assets/guihua.css",
    "/login",
    "/search?q=%E8%A7%84%E5%88%92",
];

/// GET each of [`CHECKED_PATHS`] over a real socket (plain HTTP/1.1, as a browser would).
fn self_check(addr: SocketAddr) -> std::io::Result<()> {
    use std::io::{Read, Write};
    for path in CHECKED_PATHS {
        let mut s = std::net::TcpStream::connect(addr)?;
        s.set_read_timeout(Some(std::time::Duration::from_secs(30)))?;
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )?;
        let mut reply = Vec::new();
        s.read_to_end(&mut reply)?;
        let head = String::from_utf8_lossy(&reply[..reply.len().min(64)]).into_owned();
        if !head.starts_with("HTTP/1.1 200") {
            return Err(std::io::Error::other(format!(
                "start-up check: GET {path} answered {}",
                head.lines().next().unwrap_or("nothing")
            )));
        }
    }
    Ok(())
}
