//! The web application in-process (tower `oneshot`, no socket): the public portal, the
//! JSON API, public comments, sign-in, every role against every staff action, and the
//! collection round from a department's value to the public indicator page.
//!
//! The library is the demo's (the bundled example plan with sample data): indicators are
//! assigned alternately to 统计局 (i1, i3, …) and 林业局 (i2, i4, …); values exist for 2021
//! and 2022; a 2022 annual evaluation is published; a round for 2023 is open.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use guihua_web::{demo, router, Web};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct App {
    _dir: tempfile::TempDir,
    router: Router,
    web: Arc<Web>,
    demo: demo::Demo,
}

/// The bundled example plan, parsed.
fn example() -> (guihua_model::Plan, guihua_contract::Source) {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/shili-xian.txt"
    ));
    let read = guihua_read::read_path(&path).unwrap();
    guihua_app::plans::parse(
        "shili-xian.txt",
        &read.document,
        read.format.as_str(),
        &read.encoding,
        &read.sha256,
    )
    .unwrap()
}

fn app() -> App {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/shili-xian.txt"
    ));
    let read = guihua_read::read_path(&path).unwrap();
    let (plan, source) = guihua_app::plans::parse(
        "shili-xian.txt",
        &read.document,
        read.format.as_str(),
        &read.encoding,
        &read.sha256,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = guihua_store::open_dir(dir.path()).unwrap();
    let demo = demo::populate(store.as_ref(), &plan, &source, "2026-12-01", true).unwrap();
    guihua_app::plans::keep_text(
        store.as_ref(),
        &guihua_app::policy::Principal::LocalAdmin("test".into()),
        demo.plan_id,
        &read.document,
    )
    .unwrap();
    let mut web = Web::new(store);
    web.search = Some(
        guihua_search::SearchIndex::open(&dir.path().join("search"))
            .unwrap()
            .0,
    );
    let web = Arc::new(web);
    App {
        _dir: dir,
        router: router(web.clone()),
        web,
        demo,
    }
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
    bytes: Vec<u8>,
}

impl Reply {
    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                v.split(';')
                    .next()?
                    .strip_prefix(&format!("{name}="))
                    .map(str::to_string)
            })
    }
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    /// The form token of the page (`name="csrf" value="…"`).
    fn csrf(&self) -> String {
        let at = self.body.find("name=\"csrf\" value=\"").expect("a form");
        let rest = &self.body[at + 19..];
        rest[..rest.find('"').unwrap()].to_string()
    }
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A visitor: its cookies, kept between requests like a browser.
#[derive(Default, Clone)]
struct Visitor {
    cookies: Vec<(String, String)>,
    origin: Option<String>,
}

impl App {
    async fn send(&self, v: &mut Visitor, req: Request<Body>) -> Reply {
        let mut req = req;
        if !v.cookies.is_empty() {
            let c = v
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req.headers_mut().insert(header::COOKIE, c.parse().unwrap());
        }
        req.headers_mut()
            .insert(header::HOST, "guihua.test".parse().unwrap());
        if let Some(o) = &v.origin {
            req.headers_mut().insert(header::ORIGIN, o.parse().unwrap());
        }
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        let reply = Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        };
        for name in ["guihua_form", "guihua_session", "guihua_lang"] {
            if let Some(val) = reply.cookie(name) {
                v.cookies.retain(|(k, _)| k != name);
                if !val.is_empty() {
                    v.cookies.push((name.into(), val));
                }
            }
        }
        reply
    }

    async fn get(&self, v: &mut Visitor, path: &str) -> Reply {
        self.send(v, Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    async fn post(&self, v: &mut Visitor, path: &str, pairs: &[(&str, &str)]) -> Reply {
        self.send(
            v,
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form(pairs)))
                .unwrap(),
        )
        .await
    }

    /// A visitor signed in as `name`, with the session's form token.
    async fn staff(&self, name: &str) -> (Visitor, String) {
        let mut v = Visitor {
            origin: Some("http://guihua.test".into()),
            ..Visitor::default()
        };
        let page = self.get(&mut v, "/login").await;
        let csrf = page.csrf();
        let r = self
            .post(
                &mut v,
                "/login",
                &[
                    ("csrf", &csrf),
                    ("name", name),
                    ("password", demo::PASSWORD),
                    ("next", "/staff"),
                ],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "{name} signs in: {}",
            r.body
        );
        assert_eq!(r.location(), "/staff");
        let home = self.get(&mut v, "/staff").await;
        assert_eq!(home.status, StatusCode::OK);
        let csrf = home.csrf();
        (v, csrf)
    }

    fn plan(&self) -> i64 {
        self.demo.plan_id
    }

    /// The submission id of a department in the demo's round.
    fn submission(&self, department: &str) -> (i64, i64) {
        let s = self
            .web
            .store
            .submissions(self.demo.round)
            .unwrap()
            .into_iter()
            .find(|s| s.department == department)
            .unwrap();
        (s.id, s.revision)
    }
}

#[tokio::test]
async fn the_portal_shows_published_plans_with_security_headers() {
    let a = app();
    let mut v = Visitor::default();
    let r = a.get(&mut v, "/healthz").await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok"));
    let r = a.get(&mut Visitor::default(), "/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("示例县"), "{}", r.body);
    assert!(
        r.body.contains("2022年年度评估"),
        "the published release is named"
    );
    let csp = r
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'none'") && !csp.contains("script-src"));
    assert_eq!(r.headers.get("x-content-type-options").unwrap(), "nosniff");
    let form_cookie = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("guihua_form="))
        .unwrap();
    assert!(form_cookie.contains("HttpOnly") && form_cookie.contains("SameSite=Lax"));
    assert!(!form_cookie.contains("Secure"), "plain HTTP: not Secure");
    // Behind TLS the cookies are Secure.
    let r = a
        .send(
            &mut Visitor::default(),
            Request::get("/")
                .header("x-forwarded-proto", "https")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(r.cookie("guihua_form").is_some());
    assert!(r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|c| c.to_str().unwrap().contains("Secure")));
    // No external resource anywhere on the page.
    assert!(
        !r.body.contains("http://") && !r.body.contains("https://"),
        "{}",
        r.body
    );
    let css = a.get(&mut v, "/assets/guihua.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(
        css.headers.get(header::CONTENT_TYPE).unwrap(),
        "text/css; charset=utf-8"
    );
    assert!(!css.body.contains(":has("));
}

#[tokio::test]
async fn the_plan_page_reads_the_plan_with_statuses_and_published_comments_only() {
    let a = app();
    let mut v = Visitor::default();
    let r = a.get(&mut v, &format!("/plans/{}", a.plan())).await;
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    // The main table: every indicator, with its line and status from the release.
    for name in ["常住人口城镇化率", "森林覆盖率", "群众安全感满意度"] {
        assert!(b.contains(name), "{name}");
    }
    assert!(b.contains("状态依据已发布的2022年年度评估"));
    assert!(b.contains("status s-"), "statuses are coloured");
    assert!(
        b.contains("第") && b.contains("行"),
        "lines of the source text"
    );
    // The outline reader and prose targets.
    assert!(b.contains("规划纲要"));
    // The published comment, not the pending one nor its contact.
    assert!(b.contains("希望每年公开规划实施进展。"));
    assert!(!b.contains("建议增加农村公路建设的进展说明。"));
    assert!(!b.contains("demo@example.cn"));
    // Text is escaped: a plan title cannot inject markup (no raw '<script').
    assert!(!b.contains("<script"));
    // Not published: not found, like an id never used.
    a.web
        .store
        .set_published(a.plan(), false, &guihua_store::Actor::local("t", None))
        .unwrap();
    let r = a.get(&mut v, &format!("/plans/{}", a.plan())).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = a.get(&mut v, &format!("/api/v1/plans/{}", a.plan())).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("\"not_found\""));
    let r = a.get(&mut v, "/plans/abc").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_indicator_page_has_chart_table_verdict_and_downloads() {
    let a = app();
    let mut v = Visitor::default();
    let base = format!("/plans/{}/indicators/i7", a.plan());
    let r = a.get(&mut v, &base).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("森林覆盖率"));
    assert!(r.body.contains("<svg"), "the chart");
    assert!(
        r.body.contains("2021") && r.body.contains("2022"),
        "the table"
    );
    assert!(r.body.contains("2022年评估"), "the verdict's year");
    assert!(r.body.contains("2021年统计公报"), "the source of a value");
    let csv = a.get(&mut v, &format!("{base}/data/csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(
        csv.headers.get(header::CONTENT_TYPE).unwrap(),
        "text/csv; charset=utf-8"
    );
    let text = csv.body.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "plan,indicator,name,unit,year,value,source");
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1].contains(",2021,"));
    let json = a.get(&mut v, &format!("{base}/data/json")).await;
    let j: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(j["schema"], "guihua.indicator/1");
    assert_eq!(j["values"].as_array().unwrap().len(), 2);
    assert!(j["verdict"]["status"].is_string());
    let xlsx = a.get(&mut v, &format!("{base}/data/xlsx")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(&xlsx.bytes[..2], b"PK");
    assert_eq!(
        a.get(&mut v, &format!("{base}/data/pdf")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        a.get(&mut v, &format!("/plans/{}/indicators/i999", a.plan()))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // English: the catalogue's name.
    let r = a
        .get(&mut v, &format!("/lang/en?back={}", enc(&base)))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), base);
    let r = a.get(&mut v, &base).await;
    assert!(r.body.contains("lang=\"en\""));
    assert!(r.body.contains("Forest coverage"), "{}", r.body);
    // A language switch never sends anyone to another site.
    let r = a.get(&mut v, "/lang/zh?back=//evil.example").await;
    assert_eq!(r.location(), "/");
}

#[tokio::test]
async fn the_api_and_open_data_speak_the_contracts() {
    let a = app();
    let mut v = Visitor::default();
    let r = a.get(&mut v, "/api/v1/plans").await;
    let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(j["schema"], "guihua.plans/1");
    assert_eq!(j["total"], 1);
    assert_eq!(j["plans"][0]["plan"]["id"], a.plan());
    assert_eq!(
        a.get(&mut v, "/api/v1/plans?limit=0").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        a.get(&mut v, "/api/v1/plans?limit=501").await.status,
        StatusCode::BAD_REQUEST
    );
    let r = a.get(&mut v, "/api/v1/plans?offset=1").await;
    let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(j["plans"].as_array().unwrap().len(), 0);
    let r = a.get(&mut v, &format!("/api/v1/plans/{}", a.plan())).await;
    let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(j["schema"], "guihua.plan/1");
    assert_eq!(j["indicators"].as_array().unwrap().len(), 14);
    let r = a
        .get(&mut v, &format!("/api/v1/plans/{}/evaluation", a.plan()))
        .await;
    let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(j["schema"], "guihua.evaluation/1");
    assert_eq!(j["year"], 2022);
    let r = a
        .get(&mut v, &format!("/api/v1/plans/{}/observations", a.plan()))
        .await;
    let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let n = j.as_array().unwrap().len();
    assert!(n >= 20, "{n}");
    for (file, mime) in [
        ("plans.csv", "text/csv; charset=utf-8"),
        ("plans.json", "application/json"),
        ("indicators.csv", "text/csv; charset=utf-8"),
        ("observations.csv", "text/csv; charset=utf-8"),
        ("observations.json", "application/json"),
        ("evaluations.csv", "text/csv; charset=utf-8"),
        ("evaluations.json", "application/json"),
    ] {
        let r = a.get(&mut v, &format!("/open-data/{file}")).await;
        assert_eq!(r.status, StatusCode::OK, "{file}");
        assert_eq!(r.headers.get(header::CONTENT_TYPE).unwrap(), mime, "{file}");
    }
    let obs = a.get(&mut v, "/open-data/observations.csv").await;
    assert_eq!(
        obs.body.trim_start_matches('\u{feff}').lines().count(),
        n + 1
    );
    let r = a.get(&mut v, "/open-data/observations.xlsx").await;
    assert_eq!(&r.bytes[..2], b"PK");
    assert_eq!(
        a.get(&mut v, "/open-data/secrets.txt").await.status,
        StatusCode::NOT_FOUND
    );
    let r = a.get(&mut v, "/compare?indicator=forest_coverage").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("示例县") && r.body.contains("森林覆盖率"));
}

#[tokio::test]
async fn comments_are_moderated_before_they_appear() {
    let a = app();
    let mut v = Visitor::default();
    let page = a
        .get(&mut v, &format!("/plans/{}/indicators/i7", a.plan()))
        .await;
    let csrf = page.csrf();
    let path = format!("/plans/{}/comments", a.plan());
    let body = "森林覆盖率的数据来源是什么？<b>请公开</b>";
    // No token: refused, nothing stored.
    let r = a
        .post(
            &mut v,
            &path,
            &[
                ("csrf", "x"),
                ("subject", "indicator"),
                ("subject_id", "i7"),
                ("body", body),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Another site's form: refused even with the token.
    let mut evil = v.clone();
    evil.origin = Some("http://evil.example".into());
    let r = a
        .post(
            &mut evil,
            &path,
            &[
                ("csrf", &csrf),
                ("subject", "indicator"),
                ("subject_id", "i7"),
                ("body", body),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = a
        .post(
            &mut v,
            &path,
            &[
                ("csrf", &csrf),
                ("subject", "indicator"),
                ("subject_id", "i7"),
                ("body", body),
                ("contact", "13800000000"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().contains("sent=1"));
    let r = a
        .get(&mut v, &format!("/plans/{}/indicators/i7?sent=1", a.plan()))
        .await;
    assert!(r.body.contains("审核后将公开"));
    assert!(!r.body.contains("数据来源是什么"), "pending: not shown");
    // Bad contact, empty body, unknown indicator.
    for (pairs, why) in [
        (
            vec![
                ("subject", "plan"),
                ("body", "好"),
                ("contact", "not a contact"),
            ],
            "contact",
        ),
        (vec![("subject", "plan"), ("body", "   ")], "empty"),
        (
            vec![
                ("subject", "indicator"),
                ("subject_id", "i999"),
                ("body", "好"),
            ],
            "indicator",
        ),
        (
            vec![("subject", "plan"), ("subject_id", "i7"), ("body", "好")],
            "plan with a subject",
        ),
        (
            vec![("subject", "project"), ("body", "好")],
            "which project",
        ),
    ] {
        let mut p = vec![("csrf", csrf.as_str())];
        p.extend(pairs);
        let r = a.post(&mut v, &path, &p).await;
        let expected = if why == "indicator" {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::BAD_REQUEST
        };
        assert_eq!(r.status, expected, "{why}");
    }
    assert_eq!(
        a.web
            .store
            .comments(None, Some(guihua_store::CommentState::Pending))
            .unwrap()
            .iter()
            .filter(|c| c.body == "好")
            .count(),
        0,
        "no refused comment is stored"
    );
    // The planner sees it with its contact, and publishes it.
    let (mut planner, pcsrf) = a.staff("planner").await;
    let q = a.get(&mut planner, "/staff/comments").await;
    assert!(q.body.contains("数据来源是什么") && q.body.contains("13800000000"));
    assert!(
        q.body.contains("指标 森林覆盖率"),
        "the queue names the subject"
    );
    let pending = a
        .web
        .store
        .comments(None, Some(guihua_store::CommentState::Pending))
        .unwrap();
    let id = pending
        .iter()
        .find(|c| c.body.contains("数据来源"))
        .unwrap()
        .id;
    let r = a
        .post(
            &mut planner,
            &format!("/staff/comments/{id}"),
            &[("csrf", &pcsrf), ("decision", "reject")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "a rejection needs a reason"
    );
    let r = a
        .post(
            &mut planner,
            &format!("/staff/comments/{id}"),
            &[("csrf", &pcsrf), ("decision", "publish")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = a
        .get(&mut v, &format!("/plans/{}/indicators/i7", a.plan()))
        .await;
    assert!(r.body.contains("森林覆盖率的数据来源是什么？"), "published");
    assert!(!r.body.contains("<b>请公开</b>"), "escaped: {}", r.body);
    assert!(r.body.contains("&#60;b&#62;请公开") || r.body.contains("&lt;b&gt;请公开"));
    assert!(
        !r.body.contains("13800000000"),
        "the contact is never shown"
    );
    // The hourly limit per address: 5 comments, then 429.
    let mut codes = Vec::new();
    for n in 0..6 {
        let text = format!("第{n}条");
        let r = a
            .post(
                &mut v,
                &path,
                &[("csrf", &csrf), ("subject", "plan"), ("body", &text)],
            )
            .await;
        codes.push(r.status.as_u16());
    }
    // One accepted already this hour (the first comment above).
    assert_eq!(codes, [303, 303, 303, 303, 429, 429]);
}

#[tokio::test]
async fn ratings_count_once_per_address() {
    let a = app();
    let mut v = Visitor::default();
    let page = a.get(&mut v, &format!("/plans/{}", a.plan())).await;
    let csrf = page.csrf();
    let path = format!("/plans/{}/rating", a.plan());
    let r = a
        .post(&mut v, &path, &[("csrf", &csrf), ("rating", "satisfied")])
        .await;
    assert!(r.location().contains("rated=1"));
    let r = a
        .post(
            &mut v,
            &path,
            &[("csrf", &csrf), ("rating", "dissatisfied")],
        )
        .await;
    assert!(r.location().contains("rated=0"));
    let r = a
        .post(&mut v, &path, &[("csrf", &csrf), ("rating", "great")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        a.web.store.ratings(a.plan()).unwrap(),
        guihua_store::RatingCounts {
            satisfied: 1,
            fair: 0,
            dissatisfied: 0
        }
    );
}

#[tokio::test]
async fn sign_in_is_checked_and_limited() {
    let a = app();
    let mut v = Visitor::default();
    let page = a.get(&mut v, "/login").await;
    let csrf = page.csrf();
    let r = a
        .post(
            &mut v,
            "/login",
            &[
                ("csrf", &csrf),
                ("name", "planner"),
                ("password", "wrong password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("用户名或密码错误"));
    assert!(r.cookie("guihua_session").is_none());
    let r = a
        .post(
            &mut v,
            "/login",
            &[
                ("csrf", &csrf),
                ("name", "nobody"),
                ("password", "wrong password"),
            ],
        )
        .await;
    assert!(
        r.body.contains("用户名或密码错误"),
        "the same answer for an unknown name"
    );
    // Anonymous: the staff side sends to the sign-in page, and back afterwards.
    let r = a.get(&mut Visitor::default(), "/staff/comments").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login?next=/staff/comments");
    // A session cookie that is no session is nobody.
    let mut forged = Visitor::default();
    forged
        .cookies
        .push(("guihua_session".into(), "0".repeat(64)));
    assert_eq!(
        a.get(&mut forged, "/staff").await.status,
        StatusCode::SEE_OTHER
    );
    // Signing out ends the session in the store.
    let (mut s, csrf) = a.staff("renda").await;
    let r = a.post(&mut s, "/logout", &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(a.get(&mut s, "/staff").await.status, StatusCode::SEE_OTHER);
    // Ten failures from one address: the eleventh attempt is refused before it is checked.
    let mut codes = Vec::new();
    for _ in 0..9 {
        let token = csrf_of(&a, &mut v).await;
        let r = a
            .post(
                &mut v,
                "/login",
                &[
                    ("csrf", &token),
                    ("name", "planner"),
                    ("password", "still wrong"),
                ],
            )
            .await;
        codes.push(r.status.as_u16());
    }
    assert!(codes.iter().take(8).all(|c| *c == 403), "{codes:?}");
    assert_eq!(*codes.last().unwrap(), 429, "{codes:?}");
    let token = csrf_of(&a, &mut v).await;
    let r = a
        .post(
            &mut v,
            "/login",
            &[
                ("csrf", &token),
                ("name", "planner"),
                ("password", demo::PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
}

async fn csrf_of(a: &App, v: &mut Visitor) -> String {
    a.get(v, "/login").await.csrf()
}

/// An action: what, the path, the form fields of a POST (none: a GET), and whether admin,
/// planner, tongji (统计局), linye (林业局) and renda (reviewer) may do it.
type Case<'a> = (&'a str, String, Option<Vec<(&'a str, String)>>, [bool; 5]);

/// Every role against every staff action: what the policy allows answers 2xx/3xx, what it
/// refuses 403 (anonymous: to the sign-in page), and a refused write changes nothing.
#[tokio::test]
async fn every_role_against_every_staff_action() {
    let a = app();
    let plan = a.plan();
    let (stats, _) = a.submission("统计局");
    let (forestry, _) = a.submission("林业局");
    let release = a.demo.release.unwrap();
    // (name, method path, allowed for: admin, planner, tongji, linye, renda)
    let cases: Vec<Case> = vec![
        (
            "workspace",
            "/staff".into(),
            None,
            [true, true, true, true, true],
        ),
        (
            "own submission (统计局)",
            format!("/staff/submissions/{stats}"),
            None,
            [true, true, true, false, true],
        ),
        (
            "other submission (林业局)",
            format!("/staff/submissions/{forestry}"),
            None,
            [true, true, false, true, true],
        ),
        (
            "own workbook (统计局)",
            format!("/staff/submissions/{stats}/template.xlsx"),
            None,
            [true, true, true, false, true],
        ),
        (
            "other workbook (林业局)",
            format!("/staff/submissions/{forestry}/template.xlsx"),
            None,
            [true, true, false, true, true],
        ),
        (
            "round status",
            format!("/staff/rounds/{}", a.demo.round),
            None,
            [true, true, false, false, true],
        ),
        (
            "reminders",
            format!("/staff/rounds/{}/reminders.csv", a.demo.round),
            None,
            [true, true, false, false, true],
        ),
        (
            "plan administration",
            format!("/staff/plans/{plan}"),
            None,
            [true, true, false, false, false],
        ),
        (
            "internal remarks",
            format!("/staff/plans/{plan}/remarks"),
            None,
            [true, true, false, false, true],
        ),
        (
            "write an internal remark",
            format!("/staff/plans/{plan}/remarks"),
            Some(vec![
                ("body", "中期评估报告需补充约束性指标的说明".into()),
                ("release", release.to_string()),
            ]),
            [true, true, false, false, true],
        ),
        (
            "moderation queue",
            "/staff/comments".into(),
            None,
            [true, true, false, false, false],
        ),
        (
            "draft release (reviewers read drafts)",
            format!("/releases/{release}/json"),
            None,
            [true, true, true, true, true],
        ),
        (
            "save 统计局's value",
            format!("/staff/submissions/{stats}"),
            Some(vec![
                ("value:indicator:i3", "1.1".into()),
                ("source:indicator:i3", "统计公报".into()),
            ]),
            [true, true, true, false, false],
        ),
        (
            "publish the plan",
            format!("/staff/plans/{plan}/publish"),
            Some(vec![("publish", "yes".into())]),
            [true, true, false, false, false],
        ),
        (
            "open a round",
            format!("/staff/plans/{plan}/rounds"),
            Some(vec![
                ("year", "2024".into()),
                ("deadline", "2027-03-31".into()),
                ("departments", "统计局".into()),
            ]),
            [true, false, false, false, false],
        ),
    ];
    let names = ["admin", "planner", "tongji", "linye", "renda"];
    for (i, name) in names.iter().enumerate() {
        let (mut v, csrf) = a.staff(name).await;
        for (what, path, post, allowed) in &cases {
            let r = match post {
                None => a.get(&mut v, path).await,
                Some(fields) => {
                    // Each write needs the form's current revision.
                    let mut pairs: Vec<(&str, String)> = vec![("csrf", csrf.clone())];
                    if path.starts_with("/staff/submissions/") {
                        pairs.push(("revision", a.submission("统计局").1.to_string()));
                    }
                    pairs.extend(fields.iter().cloned());
                    let p: Vec<(&str, &str)> =
                        pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    a.post(&mut v, path, &p).await
                }
            };
            // "open a round" succeeds once (admin); the planner's second attempt is a
            // conflict (one open round per year), not a refusal.
            let expected_ok = allowed[i];
            if expected_ok {
                assert!(
                    r.status.is_success() || r.status.is_redirection(),
                    "{name}: {what}: {} {}",
                    r.status,
                    r.body
                );
            } else if *what == "open a round" && *name == "planner" {
                assert_eq!(r.status, StatusCode::CONFLICT, "{name}: {what}");
            } else {
                assert_eq!(
                    r.status,
                    StatusCode::FORBIDDEN,
                    "{name}: {what}: {}",
                    r.body
                );
            }
        }
    }
    // Anonymous: every staff page sends to the sign-in page; a draft does not exist.
    let mut anon = Visitor::default();
    for (what, path, post, _) in &cases {
        if post.is_some() {
            continue;
        }
        let r = a.get(&mut anon, path).await;
        if path.starts_with("/releases/") {
            assert_eq!(
                r.status,
                StatusCode::OK,
                "the demo's release is published: {what}"
            );
        } else {
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{what}");
        }
    }
    // A draft release: staff only.
    let draft = guihua_app::publication::make_release(
        a.web.store.as_ref(),
        &guihua_app::policy::Principal::LocalAdmin("t".into()),
        &guihua_app::publication::ReleaseRequest {
            plan: &plan.to_string(),
            year: 2022,
            kind: guihua_report::Kind::Annual,
            narrative: None,
            generated_on: "2026-12-01".into(),
        },
    )
    .unwrap();
    assert_eq!(
        a.get(&mut anon, &format!("/releases/{draft}/html"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let (mut renda, _) = a.staff("renda").await;
    assert_eq!(
        a.get(&mut renda, &format!("/releases/{draft}/html"))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_department_value_travels_from_the_form_to_the_public_page() {
    let a = app();
    let plan = a.plan();
    let (sub, rev) = a.submission("统计局");
    let (mut tongji, csrf) = a.staff("tongji").await;
    let form_page = a
        .get(&mut tongji, &format!("/staff/submissions/{sub}"))
        .await;
    assert!(
        form_page.body.contains("每万人口发明专利拥有量"),
        "an assigned indicator"
    );
    assert!(
        !form_page.body.contains("常住人口城镇化率"),
        "林业局's indicator is not on the list"
    );
    assert!(
        form_page.body.contains("(2022)"),
        "last year's value beside the input"
    );
    // Another department's indicator, typed in by hand: refused.
    let r = a
        .post(
            &mut tongji,
            &format!("/staff/submissions/{sub}"),
            &[
                ("csrf", &csrf),
                ("revision", &rev.to_string()),
                ("value:indicator:i2", "50"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // Not a number: the form again, with the error and what was typed.
    let r = a
        .post(
            &mut tongji,
            &format!("/staff/submissions/{sub}"),
            &[
                ("csrf", &csrf),
                ("revision", &rev.to_string()),
                ("value:indicator:i3", "1.2.3"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("class=\"error\"") && r.body.contains("1.2.3"),
        "{}",
        r.body
    );
    // An implausible value: a warning to confirm, nothing saved.
    let r = a
        .post(
            &mut tongji,
            &format!("/staff/submissions/{sub}"),
            &[
                ("csrf", &csrf),
                ("revision", &rev.to_string()),
                ("value:indicator:i3", "40"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("请核对"), "{}", r.body);
    assert_eq!(a.submission("统计局").1, rev, "nothing saved");
    // Confirmed plausible value, saved and submitted.
    let r = a
        .post(
            &mut tongji,
            &format!("/staff/submissions/{sub}"),
            &[
                ("csrf", &csrf),
                ("revision", &rev.to_string()),
                ("value:indicator:i3", "1.25"),
                ("source:indicator:i3", "市场监管局统计"),
                ("progress:indicator:i3", "专利培育工程进展顺利"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = a.get(&mut tongji, r.location()).await;
    assert!(page.body.contains("已报送"));
    // A stale form (the revision before submitting): a conflict, not an overwrite.
    let r = a
        .post(
            &mut tongji,
            &format!("/staff/submissions/{sub}"),
            &[
                ("csrf", &csrf),
                ("revision", &rev.to_string()),
                ("value:indicator:i3", "1.3"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Not yet public.
    let mut public = Visitor::default();
    let before = a
        .get(&mut public, &format!("/plans/{plan}/indicators/i3"))
        .await;
    assert!(!before.body.contains("市场监管局统计"));
    // The planner approves; the value is an observation with its history.
    let (mut planner, pcsrf) = a.staff("planner").await;
    let round = a
        .get(&mut planner, &format!("/staff/rounds/{}", a.demo.round))
        .await;
    assert!(round.body.contains("已报送"));
    let (_, rev) = a.submission("统计局");
    let r = a
        .post(
            &mut planner,
            &format!("/staff/submissions/{sub}/decide"),
            &[
                ("csrf", &pcsrf),
                ("revision", &rev.to_string()),
                ("decision", "approve"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = a
        .get(&mut public, &format!("/plans/{plan}/indicators/i3"))
        .await;
    assert!(after.body.contains("市场监管局统计"), "{}", after.body);
    assert!(after.body.contains("1.25"));
    let h = a.web.store.history(plan, Some("indicator:i3")).unwrap();
    let last = h
        .iter()
        .rev()
        .find(|h| h.table == "observations" && h.field == "value")
        .unwrap();
    assert_eq!(last.who, "planner");
    assert!(last.why.as_deref().unwrap().contains("submitted by tongji"));
    assert!(last.user_id.is_some());
}

/// Public pages are kept rendered (guihua_web::cache) and never stale: each visitor gets
/// its own form token in a kept page, and a write — here straight to the store, as another
/// process would — shows at the next request; staff pages are never kept.
#[tokio::test]
async fn kept_pages_follow_the_library() {
    let a = app();
    let path = format!("/plans/{}/indicators/i7", a.plan());
    let (mut v1, mut v2) = (Visitor::default(), Visitor::default());
    let r1 = a.get(&mut v1, &path).await;
    let kept = a.web.pages.len();
    assert!(kept >= 1, "the page is kept");
    let r2 = a.get(&mut v2, &path).await;
    assert_eq!(a.web.pages.len(), kept, "served from the cache");
    assert_eq!(r1.status, StatusCode::OK);
    assert_eq!(r2.status, StatusCode::OK);
    let token = |v: &Visitor| {
        v.cookies
            .iter()
            .find(|(k, _)| k == "guihua_form")
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    assert_eq!(r1.csrf(), token(&v1));
    assert_eq!(
        r2.csrf(),
        token(&v2),
        "the kept page carries this visitor's token"
    );
    assert_ne!(r1.csrf(), r2.csrf());
    assert!(!r2.body.contains("placeholder"));
    // The token works: a comment from the kept page is accepted.
    let r = a
        .post(
            &mut v2,
            &format!("/plans/{}/comments", a.plan()),
            &[
                ("csrf", &r2.csrf()),
                ("subject", "indicator"),
                ("subject_id", "i7"),
                ("body", "缓存页面上的评论"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // A value written behind the server's back is on the next page.
    assert!(!r1.body.contains("21.77"));
    a.web
        .store
        .apply(
            &[guihua_store::Change::Observe {
                plan_id: a.plan(),
                kind: guihua_store::SubjectKind::Indicator,
                subject_id: "i7".into(),
                year: 2024,
                value: 21.77,
                source: None,
                note: None,
                expected_revision: None,
            }],
            &guihua_store::Actor::local("统计局", None),
        )
        .unwrap();
    let r3 = a.get(&mut v1, &path).await;
    assert!(r3.body.contains("21.77"), "not stale");
    // Withdrawn behind the server's back: gone at once.
    a.web
        .store
        .set_published(a.plan(), false, &guihua_store::Actor::local("规划处", None))
        .unwrap();
    assert_eq!(a.get(&mut v1, &path).await.status, StatusCode::NOT_FOUND);
    // Staff pages are not kept: the signed-in name is never served to anyone else.
    let (mut planner, _) = a.staff("planner").await;
    let before = a.web.pages.len();
    a.get(&mut planner, "/").await;
    assert_eq!(a.web.pages.len(), before);
    assert!(!a.get(&mut v1, "/").await.body.contains("planner"));
}

/// API tokens: a script acts as its user — reads unpublished plans when staff, posts its
/// department's values (the CLI's validator: every bad row reported, nothing written) —
/// and a token that is not valid is refused, never served as the public.
#[tokio::test]
async fn api_tokens_for_scripts() {
    let a = app();
    let admin = guihua_app::policy::Principal::LocalAdmin("test".into());
    let store = a.web.store.as_ref();
    let (_, tongji) = guihua_app::admin::add_token(store, &admin, "tongji", "统计局导入").unwrap();
    let (_, linye) = guihua_app::admin::add_token(store, &admin, "linye", "林业局导入").unwrap();
    let (renda_id, renda) =
        guihua_app::admin::add_token(store, &admin, "renda", "人大查询").unwrap();
    assert!(tongji.starts_with("guihua_") && tongji.len() == 71);
    let plan = a.plan();
    let call = |method: &str, path: &str, token: Option<&str>, body: Option<&str>| {
        let mut r = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if body.is_some() {
            r = r.header(header::CONTENT_TYPE, "text/csv");
        }
        r.body(Body::from(body.unwrap_or("").to_string())).unwrap()
    };
    let mut v = Visitor::default();
    // Not a token: 401, whatever the path.
    for bad in [
        "guihua_nope",
        &format!("guihua_{}", "0".repeat(64)),
        "Basic x",
    ] {
        let r = a
            .send(&mut v, call("GET", "/api/v1/plans", Some(bad), None))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{bad}");
        assert!(r.body.contains("\"unauthenticated\""));
    }
    // Withdrawn from the portal: the public no longer sees it, staff tokens do.
    store
        .set_published(plan, false, &guihua_store::Actor::local("规划处", None))
        .unwrap();
    let path = format!("/api/v1/plans/{plan}");
    assert_eq!(
        a.send(&mut v, call("GET", &path, None, None)).await.status,
        StatusCode::NOT_FOUND
    );
    let r = a.send(&mut v, call("GET", &path, Some(&renda), None)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("guihua.plan/1"));
    let r = a
        .send(&mut v, call("GET", "/api/v1/plans", Some(&renda), None))
        .await;
    let listed: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["plans"][0]["published"], false);
    let anon: serde_json::Value = serde_json::from_str(
        &a.send(&mut v, call("GET", "/api/v1/plans", None, None))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(anon["total"], 0);
    // The department's script posts its value (i7 is 统计局's).
    let obs = format!("/api/v1/plans/{plan}/observations");
    let csv = "指标,年份,实际值,数据来源\ni7,2023,21.1,2023年统计公报\n";
    let r = a
        .send(&mut v, call("POST", &obs, Some(&tongji), Some(csv)))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let done: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        (done["rows"].clone(), done["inserted"].clone()),
        (1.into(), 1.into())
    );
    let stored = store
        .observations(Some(plan))
        .unwrap()
        .into_iter()
        .find(|o| o.subject_id == "i7" && o.year == 2023)
        .unwrap();
    assert_eq!(stored.value, 21.1);
    assert!(store
        .history(plan, Some("indicator:i7"))
        .unwrap()
        .iter()
        .any(|h| h.who == "tongji" && h.why.as_deref() == Some("API")));
    // Another department's value, a reviewer, no token, bad rows: refused, nothing written.
    let before = store.observations(Some(plan)).unwrap().len();
    // (as in `observe import`, a row another department owns is a row error, with its place)
    let r = a
        .send(&mut v, call("POST", &obs, Some(&linye), Some(csv)))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("\"rejected\"") && r.body.contains("not your department"));
    let r = a
        .send(&mut v, call("POST", &obs, Some(&renda), Some(csv)))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = a.send(&mut v, call("POST", &obs, None, Some(csv))).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let bad = "指标,年份,实际值\ni7,2024,二十\ni3,1999,1.0\n";
    let r = a
        .send(&mut v, call("POST", &obs, Some(&tongji), Some(bad)))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let e: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(e["error"]["kind"], "rejected");
    let rows: Vec<i64> = e["error"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["row"].as_i64().unwrap())
        .collect();
    assert_eq!(rows, [2, 3], "{}", r.body);
    assert_eq!(store.observations(Some(plan)).unwrap().len(), before);
    // A row naming another plan: refused, although tongji could write there.
    let (plan2, source2) = example();
    let other = demo::populate_more(store, &plan2, &source2, "2026-12-01", 1).unwrap()[0];
    store
        .apply(
            &[guihua_store::Change::Assign {
                plan_id: other,
                kind: guihua_store::SubjectKind::Indicator,
                subject_id: "i7".into(),
                department: "统计局".into(),
                role: guihua_store::Role::Lead,
                expected_revision: None,
            }],
            &guihua_store::Actor::local("规划处", None),
        )
        .unwrap();
    let cross = format!("规划,指标,年份,实际值\n{other},i7,2024,21.9\n");
    let r = a
        .send(&mut v, call("POST", &obs, Some(&tongji), Some(&cross)))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(
        r.body.contains(&format!("values of plan {other}")),
        "{}",
        r.body
    );
    assert!(!store
        .observations(Some(other))
        .unwrap()
        .iter()
        .any(|o| o.value == 21.9));
    // Every endpoint refuses a bad token; API errors are JSON, with the scheme to use.
    for p in [
        format!("/api/v1/plans/{plan}/indicators/i7"),
        format!("/api/v1/plans/{plan}/evaluation"),
    ] {
        let r = a
            .send(&mut v, call("GET", &p, Some("guihua_nope"), None))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{p}");
        assert_eq!(
            r.headers.get(header::WWW_AUTHENTICATE).unwrap(),
            "Bearer realm=\"guihua\""
        );
    }
    let lower = Request::get("/api/v1/plans")
        .header(header::AUTHORIZATION, format!("bearer {renda}"))
        .body(Body::empty())
        .unwrap();
    let r = a.send(&mut v, lower).await;
    assert_eq!(r.status, StatusCode::OK, "the scheme is case-insensitive");
    for (p, status) in [
        ("/api/v1/nothing", StatusCode::NOT_FOUND),
        ("/api/v1/plans/", StatusCode::NOT_FOUND),
        ("/api/v1/plans?limit=x", StatusCode::BAD_REQUEST),
        ("/api/v1/plans?limit=501", StatusCode::BAD_REQUEST),
    ] {
        let r = a.send(&mut v, call("GET", p, None, None)).await;
        assert_eq!(r.status, status, "{p}");
        let e: serde_json::Value = serde_json::from_str(&r.body).expect(p);
        assert!(e["error"]["message"].is_string(), "{p}");
    }
    // A body over the limit: a JSON error, nothing written.
    let huge = format!("指标,年份,实际值\n{}", "i7,2024,21.0\n".repeat(1_400_000));
    assert!(huge.len() > guihua_web::UPLOAD_LIMIT);
    let r = a
        .send(&mut v, call("POST", &obs, Some(&tongji), Some(&huge)))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("files up to 16 MiB"),
        "{}",
        &r.body[..r.body.len().min(300)]
    );
    // Revoked: refused.
    guihua_app::admin::revoke_token(store, &admin, renda_id).unwrap();
    let r = a.send(&mut v, call("GET", &path, Some(&renda), None)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Only administrators make tokens.
    let planner = store
        .users()
        .unwrap()
        .into_iter()
        .find(|u| u.name == "planner")
        .unwrap();
    assert!(matches!(
        guihua_app::admin::add_token(
            store,
            &guihua_app::policy::Principal::User(planner),
            "tongji",
            "x"
        ),
        Err(guihua_app::Error::Forbidden(_))
    ));
}

fn multipart(csrf: &str, file: &str, content: &[u8]) -> (String, Vec<u8>) {
    let b = "guihuaBoundary7MA4YWxk";
    let mut body = Vec::new();
    body.extend(
        format!("--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend(
        format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(content);
    body.extend(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

/// A department downloads its workbook, fills it and uploads it: the form comes back
/// filled in with the rows that cannot be read listed, and nothing is saved until the
/// editor saves the form. Another department's submission refuses the upload.
#[tokio::test]
async fn a_filled_workbook_fills_the_form_without_saving() {
    let a = app();
    let subs = a.web.store.submissions(a.demo.round).unwrap();
    let mine = subs.iter().find(|s| s.department == "统计局").unwrap();
    let theirs = subs.iter().find(|s| s.department == "林业局").unwrap();
    let (mut v, csrf) = a.staff("tongji").await;
    // The workbook of the department's tasks.
    let t = a
        .get(
            &mut v,
            &format!("/staff/submissions/{}/template.xlsx", mine.id),
        )
        .await;
    assert_eq!(t.status, StatusCode::OK);
    assert!(t.bytes.starts_with(b"PK"), "an XLSX file");
    // Fill the downloaded workbook's value column through the CSV the same validator reads.
    let csv = "指标,年份,实际值,数据来源,备注\n\
               i7,2023,21.3,2023年林业统计,造林面积超计划\n\
               i3,2023,一点二,,\n\
               i5,2022,10.5,,\n";
    let (ct, body) = multipart(&csrf, "填报.csv", csv.as_bytes());
    let path = format!("/staff/submissions/{}/upload", mine.id);
    let r = a
        .send(
            &mut v,
            Request::post(&path)
                .header(header::CONTENT_TYPE, ct.clone())
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body
            .contains("name=\"value:indicator:i7\" value=\"21.3\""),
        "the value is in the form"
    );
    assert!(r.body.contains("2023年林业统计") && r.body.contains("造林面积超计划"));
    assert!(r.body.contains("3 行，1 个数值已填入下表"), "{}", r.body);
    assert!(
        r.body.contains("1 个数值不属于本表"),
        "the 2022 row is left out"
    );
    assert!(
        r.body.contains("row 3"),
        "the unreadable row is named: {}",
        r.body
    );
    let after = a.web.store.submissions(a.demo.round).unwrap();
    let now = after.iter().find(|s| s.id == mine.id).unwrap();
    assert_eq!(now.revision, mine.revision, "nothing saved");
    assert!(now.items.is_empty());
    // Another department's submission: refused.
    let (ct, body) = multipart(&csrf, "填报.csv", csv.as_bytes());
    let r = a
        .send(
            &mut v,
            Request::post(format!("/staff/submissions/{}/upload", theirs.id))
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Not a table at all: the file's error, nothing else.
    let (ct, body) = multipart(&csrf, "填报.xlsx", b"not a workbook");
    let r = a
        .send(
            &mut v,
            Request::post(&path)
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("class=\"error\""));
    // Without the form token: refused.
    let (ct, body) = multipart("x", "填报.csv", csv.as_bytes());
    let r = a
        .send(
            &mut v,
            Request::post(&path)
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// Every line number links to the plan's text, where that line is marked.
#[tokio::test]
async fn line_numbers_lead_to_the_text() {
    let a = app();
    let mut v = Visitor::default();
    let plan = a.plan();
    let page = a.get(&mut v, &format!("/plans/{plan}")).await;
    let link = format!("href=\"/plans/{plan}/text#L81\"");
    assert!(
        page.body.contains(&link),
        "森林覆盖率 (line 81) links to its line"
    );
    let ind = a.get(&mut v, &format!("/plans/{plan}/indicators/i7")).await;
    assert!(ind.body.contains(&link));
    let text = a.get(&mut v, &format!("/plans/{plan}/text")).await;
    assert_eq!(text.status, StatusCode::OK);
    let line = |n: usize| {
        text.body
            .split(&format!("<p id=\"L{n}\">"))
            .nth(1)
            .and_then(|rest| rest.split("</p>").next())
            .unwrap()
            .to_string()
    };
    // The row starts at its number (one cell per line in this table); its name follows.
    assert!(line(81).ends_with("7 |"), "{}", line(81));
    assert!(line(82).contains("森林覆盖率"), "{}", line(82));
    let lines = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/shili-xian.txt"
    ))
    .unwrap()
    .lines()
    .count();
    assert_eq!(
        text.body.matches("<p id=\"L").count(),
        lines,
        "every line, once"
    );
    // Withdrawn: the text goes with the plan.
    a.web
        .store
        .set_published(plan, false, &guihua_store::Actor::local("规划处", None))
        .unwrap();
    let gone = a.get(&mut v, &format!("/plans/{plan}/text")).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

/// Targets and projects have a page of their own with their published comments and a form
/// to comment on them; the plan page links to it.
#[tokio::test]
async fn targets_and_projects_take_comments() {
    let a = app();
    let plan = a.plan();
    let mut v = Visitor::default();
    let page = a.get(&mut v, &format!("/plans/{plan}")).await;
    let target = page
        .body
        .split(&format!("href=\"/plans/{plan}/about/target/"))
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a target links to its page")
        .to_string();
    assert!(page
        .body
        .contains(&format!("href=\"/plans/{plan}/about/project/j1\"")));
    let path = format!("/plans/{plan}/about/target/{target}");
    let p = a.get(&mut v, &path).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("name=\"subject\" value=\"target\""));
    let r = a
        .post(
            &mut v,
            &format!("/plans/{plan}/comments"),
            &[
                ("csrf", &p.csrf()),
                ("subject", "target"),
                ("subject_id", &target),
                ("body", "这个目标的进展如何？"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r
        .location()
        .starts_with(&format!("/plans/{plan}/about/target/{target}?sent=1")));
    let id = a
        .web
        .store
        .comments(None, Some(guihua_store::CommentState::Pending))
        .unwrap()
        .into_iter()
        .find(|c| c.body == "这个目标的进展如何？")
        .unwrap()
        .id;
    assert!(!a
        .get(&mut v, &path)
        .await
        .body
        .contains("这个目标的进展如何"));
    a.web
        .store
        .moderate(id, true, None, &guihua_store::Actor::local("规划处", None))
        .unwrap();
    assert!(a
        .get(&mut v, &path)
        .await
        .body
        .contains("这个目标的进展如何"));
    // Not a subject of the plan, or not a kind with a page: 404.
    for bad in ["target/t999", "project/j999", "indicator/i7", "plan/x"] {
        let r = a.get(&mut v, &format!("/plans/{plan}/about/{bad}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
    }
}

/// Internal remarks stay internal: the reviewer's remark is listed for staff and appears
/// nowhere public.
#[tokio::test]
async fn internal_remarks_are_never_public() {
    let a = app();
    let plan = a.plan();
    let (mut renda, csrf) = a.staff("renda").await;
    let home = a.get(&mut renda, "/staff").await;
    assert!(home.body.contains(&format!("/staff/plans/{plan}/remarks")));
    let r = a
        .post(
            &mut renda,
            &format!("/staff/plans/{plan}/remarks"),
            &[
                ("csrf", &csrf),
                ("body", "请说明森林覆盖率的数据来源"),
                ("release", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let list = a
        .get(&mut renda, &format!("/staff/plans/{plan}/remarks"))
        .await;
    assert!(list.body.contains("请说明森林覆盖率的数据来源") && list.body.contains("renda"));
    // Empty, or about another plan's release: refused.
    let r = a
        .post(
            &mut renda,
            &format!("/staff/plans/{plan}/remarks"),
            &[("csrf", &csrf), ("body", "  "), ("release", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = a
        .post(
            &mut renda,
            &format!("/staff/plans/{plan}/remarks"),
            &[("csrf", &csrf), ("body", "x"), ("release", "999")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let mut v = Visitor::default();
    for p in [
        format!("/plans/{plan}"),
        format!("/plans/{plan}/indicators/i7"),
        "/open-data/plans.json".to_string(),
        format!("/api/v1/plans/{plan}"),
    ] {
        assert!(
            !a.get(&mut v, &p)
                .await
                .body
                .contains("请说明森林覆盖率的数据来源"),
            "{p}"
        );
    }
}

/// Review findings, each a request a hostile or unlucky client could send.
#[tokio::test]
async fn hostile_requests_found_in_review() {
    let a = app();
    let store = a.web.store.as_ref();
    let admin = guihua_app::policy::Principal::LocalAdmin("test".into());
    // An editor of one department who is also a reviewer reads the other department's
    // submission but cannot write it.
    guihua_app::admin::add_user(
        store,
        &admin,
        None,
        "both",
        None,
        Some(demo::PASSWORD),
        Some((guihua_store::UserRole::Editor, Some("林业局"))),
    )
    .unwrap();
    store
        .grant(
            "both",
            guihua_store::UserRole::Reviewer,
            None,
            &guihua_store::Actor::local("t", None),
        )
        .unwrap();
    let (stats, revision) = a.submission("统计局");
    let (mut both, csrf) = a.staff("both").await;
    let path = format!("/staff/submissions/{stats}");
    assert_eq!(a.get(&mut both, &path).await.status, StatusCode::OK);
    let r = a
        .post(
            &mut both,
            &path,
            &[
                ("csrf", &csrf),
                ("revision", &revision.to_string()),
                ("value:indicator:i3", "1.1"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(a.submission("统计局").1, revision, "nothing written");
    // A stranger's huge form is refused before it is read.
    let mut anon = Visitor {
        origin: Some("http://guihua.test".into()),
        ..Visitor::default()
    };
    let token = a.get(&mut anon, "/login").await.csrf();
    let mut fields = vec![("csrf".to_string(), token.clone())];
    for n in 0..20_000 {
        fields.push((format!("value:indicator:x{n}"), String::new()));
    }
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = a.post(&mut anon, &path, &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "to the sign-in page");
    // Signed in, too many fields: refused.
    let (mut tongji, tcsrf) = a.staff("tongji").await;
    fields[0].1 = tcsrf;
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = a.post(&mut tongji, &path, &pairs).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // A tab in a return address would become "//evil.example" in a browser: not followed.
    let mut v = Visitor::default();
    let r = a.get(&mut v, "/lang/en?back=/%09/evil.example").await;
    assert_eq!(r.location(), "/");
    // One page, one address: aliases of an id are no pages.
    let plan = a.plan();
    for alias in [format!("0{plan}"), format!("+{plan}"), format!("{plan} ")] {
        let r = a
            .get(&mut v, &format!("/plans/{}", alias.replace(' ', "%20")))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{alias}");
    }
    // The public listing names no staff account and no version in preparation.
    let r = a.get(&mut v, "/api/v1/plans").await;
    let list: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(list["plans"][0]["plan"]["added_by"], "");
    assert_eq!(list["plans"][0]["release"]["created_by"], "");
    assert!(list["plans"][0]["release"]["published_by"].is_null());
}

/// One series across the region's 十四五 and 十五五 plans on the later plan's indicator page:
/// the earlier plan's values through its last year, the later plan's after, and what each
/// plan states for its base and target years.
#[tokio::test]
async fn a_series_runs_across_the_two_plans_of_a_region() {
    let a = app();
    let store = a.web.store.as_ref();
    let admin = guihua_app::policy::Principal::LocalAdmin("test".into());
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../guihua-cli/tests/fixtures/shili-xian-15th-review.txt"
    ));
    let read = guihua_read::read_path(&path).unwrap();
    let (plan, source) = guihua_app::plans::parse(
        "shili-15.txt",
        &read.document,
        read.format.as_str(),
        &read.encoding,
        &read.sha256,
    )
    .unwrap();
    let next = match guihua_app::plans::add(store, &admin, None, &plan, &source, None).unwrap() {
        guihua_store::Added::New { id, .. } => id,
        other => panic!("{other:?}"),
    };
    let actor = guihua_store::Actor::local("统计局", None);
    let obs = |plan_id: i64, id: &str, year: i32, value: f64| guihua_store::Change::Observe {
        plan_id,
        kind: guihua_store::SubjectKind::Indicator,
        subject_id: id.into(),
        year,
        value,
        source: None,
        note: None,
        expected_revision: None,
    };
    store
        .apply(
            &[
                obs(a.plan(), "i7", 2025, 21.8),
                obs(next, "i1", 2026, 21.95),
            ],
            &actor,
        )
        .unwrap();
    let mut v = Visitor::default();
    // Not published yet: the later plan's page does not exist, and the earlier one shows
    // no series across.
    let earlier = a
        .get(&mut v, &format!("/plans/{}/indicators/i7", a.plan()))
        .await;
    assert!(!earlier.body.contains("跨规划期序列"));
    guihua_app::publication::publish_plan(store, &admin, &next.to_string(), true).unwrap();
    let page = a.get(&mut v, &format!("/plans/{next}/indicators/i1")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("跨规划期序列"), "{}", page.body);
    let section = page.body.split("id=\"across\"").nth(1).unwrap().to_string();
    let row = |year: i32| {
        section
            .split(&format!("<tr><td>{year}</td>"))
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .unwrap_or_else(|| panic!("{year}"))
            .to_string()
    };
    assert!(row(2021).contains("20.46"), "{}", row(2021));
    assert!(
        row(2025).contains("21.8") && row(2025).contains("2021–2025"),
        "{}",
        row(2025)
    );
    assert!(
        row(2025).contains("2026–2030 基期 21.8"),
        "the later plan's base: {}",
        row(2025)
    );
    assert!(row(2026).contains("21.95") && row(2026).contains("2026–2030"));
    assert!(row(2030).contains("目标 22.5"), "{}", row(2030));
    assert!(row(2020).contains("基期 20.1"), "{}", row(2020));
    // The same in the API.
    let api = a
        .get(&mut v, &format!("/api/v1/plans/{next}/indicators/i1"))
        .await;
    let j: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(j["across"]["earlier"]["plan"], a.plan());
    let y2025 = j["across"]["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == 2025)
        .unwrap();
    assert_eq!(
        (y2025["value"].clone(), y2025["plan"].clone()),
        (21.8.into(), a.plan().into())
    );
}

/// A plan whose text was not kept (added before schema 11): its line numbers are plain
/// text and its text page says it was not kept.
#[tokio::test]
async fn a_plan_without_its_text_says_so() {
    let a = app();
    let (plan, source) = example();
    let other =
        demo::populate_more(a.web.store.as_ref(), &plan, &source, "2026-12-01", 1).unwrap()[0];
    assert!(!a.web.store.has_plan_text(other).unwrap());
    assert!(a.web.store.has_plan_text(a.plan()).unwrap());
    let mut v = Visitor::default();
    let page = a.get(&mut v, &format!("/plans/{other}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(&format!("/plans/{other}/text#L")));
    assert!(
        page.body.contains("class=\"line\""),
        "line numbers still shown"
    );
    let text = a.get(&mut v, &format!("/plans/{other}/text")).await;
    assert_eq!(text.status, StatusCode::NOT_FOUND);
    assert!(text.body.contains("原文未保存"), "{}", text.body);
}

#[tokio::test]
async fn search_finds_published_plans_for_the_public_and_every_plan_for_staff() {
    let a = app();
    // A second plan, not published, with the same text.
    let (mut plan, mut source) = example();
    plan.region = Some("未公开县".into());
    source.sha256 = "1".repeat(64);
    let store = a.web.store.as_ref();
    let hidden = match store
        .add_plan(
            &plan,
            &source,
            None,
            &guihua_store::Actor::local("test", None),
        )
        .unwrap()
    {
        guihua_store::Added::New { id, .. } => id,
        other => panic!("{other:?}"),
    };
    let text = store.plan_text(a.plan()).unwrap().unwrap();
    store.set_plan_text(hidden, &text).unwrap();
    let hits = |body: &str| body.matches("<li>").count();

    // The public: the published plan only; each hit leads to its line.
    let mut v = Visitor::default();
    let form = a.get(&mut v, "/search").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"q\""));
    assert!(!form.body.contains("id=\"summary\""));
    let page = a
        .get(&mut v, &format!("/search?q={}&kind=text", enc("产业")))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("4 条结果"), "{}", page.body);
    assert_eq!(hits(&page.body), 4);
    assert!(page.body.contains("<mark>产业</mark>"));
    assert!(page
        .body
        .contains(&format!("/plans/{}/text#L151", a.plan())));
    assert!(!page.body.contains("未公开县"));
    assert!(!page.body.contains(&format!("/staff/plans/{hidden}")));
    // A plan that is not published does not exist for the public, as everywhere.
    let p = a
        .get(&mut v, &format!("/search?q={}&plan={hidden}", enc("产业")))
        .await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);

    // Staff: both plans; the unpublished one leads to its staff page.
    let (mut s, _) = a.staff("renda").await;
    let page = a
        .get(&mut s, &format!("/search?q={}&kind=text", enc("产业")))
        .await;
    assert!(page.body.contains("8 条结果"), "{}", page.body);
    assert!(page.body.contains("未公开县"));
    assert!(page.body.contains(&format!("/staff/plans/{hidden}")));

    // Filters, pages, and what is typed comes back escaped.
    let page = a
        .get(
            &mut v,
            &format!("/search?q={}&kind=indicator", enc("森林覆盖率")),
        )
        .await;
    assert_eq!(hits(&page.body), 1, "{}", page.body);
    assert!(page
        .body
        .contains(&format!("/plans/{}/indicators/i", a.plan())));
    let bad = a
        .get(&mut v, &format!("/search?q={}&period=99", enc("产业")))
        .await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains("class=\"notice\""), "{}", bad.body);
    let xss = a
        .get(&mut v, &format!("/search?q={}", enc("<script>x</script>")))
        .await;
    assert_eq!(xss.status, StatusCode::OK);
    assert!(!xss.body.contains("<script>x"));
    assert!(
        xss.body.contains("&lt;script") || xss.body.contains("&#60;script"),
        "the query comes back escaped"
    );
    // Staff see 发展 in 17 lines of each of the two plans: two pages.
    let all = a
        .get(&mut s, &format!("/search?q={}&kind=text", enc("发展")))
        .await;
    assert!(all.body.contains("34 条结果"), "{}", all.body);
    assert!(
        all.body.contains("rel=\"next\""),
        "more than a page of hits"
    );
    assert_eq!(hits(&all.body), 20);
    let second = a
        .get(
            &mut s,
            &format!("/search?q={}&kind=text&page=2", enc("发展")),
        )
        .await;
    assert!(second.body.contains("rel=\"prev\""));
    assert_eq!(hits(&second.body), 14);
    // A hostile page number is a notice, not an allocation.
    let far = a
        .get(
            &mut v,
            &format!("/search?q={}&page=18446744073709551615", enc("发展")),
        )
        .await;
    assert_eq!(far.status, StatusCode::OK);
    assert!(far.body.contains("class=\"notice\""), "{}", far.body);
    assert!(second.body.contains("start=\"21\""));
}
