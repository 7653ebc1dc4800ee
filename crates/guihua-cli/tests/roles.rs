//! Users and roles through the `guihua` binary: for every role, what it may and may not do;
//! a department editor writes only its department's subjects; an unknown or disabled
//! `--user` is refused; the history names who wrote.

mod common;

use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_guihua");

struct Lib(tempfile::TempDir);

impl Lib {
    /// Run as `user` (`None`: the local administrator, no `--user`).
    fn run(&self, user: Option<&str>, args: &[&str]) -> Output {
        let mut c = Command::new(BIN);
        c.arg("--data").arg(self.0.path().join("data"));
        if let Some(u) = user {
            c.args(["--user", u]);
        }
        c.args(args)
            .env_remove("GUIHUA_DATA")
            .env_remove("GUIHUA_USER")
            .stdin(Stdio::null())
            .output()
            .expect("guihua runs")
    }
    fn ok(&self, user: Option<&str>, args: &[&str]) -> String {
        let o = self.run(user, args);
        assert!(
            o.status.success(),
            "{user:?} {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }
    /// Expect a refusal (exit 4), return stderr.
    fn forbidden(&self, user: Option<&str>, args: &[&str]) -> String {
        let o = self.run(user, args);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(
            o.status.code(),
            Some(4),
            "{user:?} {args:?} should be refused: {err}"
        );
        err
    }
}

/// A library with 乌鲁木齐市 (plan 1), 森林覆盖率 assigned to 市林草局, and one user per role.
fn library() -> Lib {
    let lib = Lib(tempfile::tempdir().unwrap());
    lib.ok(None, &["add", &common::seed("001")]);
    lib.ok(
        None,
        &["department", "assign", "1", "森林覆盖率", "市林草局"],
    );
    for (name, role, dept) in [
        ("管理员", "admin", None),
        ("规划处", "planner", Some("")),
        ("林草局填报", "editor", Some("市林草局")),
        ("人大审阅", "reviewer", None),
        ("无角色", "", None),
    ] {
        let mut args = vec!["user", "add", name];
        if !role.is_empty() {
            args.extend(["--role", role]);
        }
        if let Some(d) = dept.filter(|d| !d.is_empty()) {
            args.extend(["--department", d]);
        }
        lib.ok(None, &args);
    }
    lib
}

#[test]
fn every_role_may_do_what_it_should_and_nothing_more() {
    let lib = library();
    let list = lib.ok(None, &["user", "list"]);
    assert!(
        list.contains("editor@市林草局") && list.contains("reviewer"),
        "{list}"
    );
    fn set(year: &str) -> Vec<&str> {
        vec!["observe", "set", "1", "森林覆盖率", year, "15.7"]
    }
    // Reading: every role with a role.
    for u in ["管理员", "规划处", "林草局填报", "人大审阅"] {
        lib.ok(Some(u), &["list"]);
        lib.ok(Some(u), &["evaluate", "1", "--year", "2022"]);
    }
    let err = lib.forbidden(Some("无角色"), &["list"]);
    assert!(
        err.contains("无角色 (no role) may not read the library"),
        "{err}"
    );
    // Values: admin, planner, and the editor for its own department's subject.
    lib.ok(Some("管理员"), &set("2021"));
    lib.ok(Some("规划处"), &set("2022"));
    lib.ok(Some("林草局填报"), &set("2023"));
    let err = lib.forbidden(Some("人大审阅"), &set("2024"));
    assert!(
        err.contains("人大审阅 (reviewer) may not enter monitoring values"),
        "{err}"
    );
    // Not its department's subject: refused with who answers for it.
    let err = lib.forbidden(
        Some("林草局填报"),
        &["observe", "set", "1", "i1", "2023", "5"],
    );
    assert!(
        err.contains("林草局填报 may not enter i1") && err.contains("not assigned to 市林草局"),
        "{err}"
    );
    // Plans, assignments: admin and planner only.
    for u in ["林草局填报", "人大审阅"] {
        let err = lib.forbidden(Some(u), &["department", "assign", "1", "i1", "市统计局"]);
        assert!(err.contains("may not change plans"), "{err}");
        lib.forbidden(Some(u), &["add", &common::seed("002")]);
    }
    lib.ok(
        Some("规划处"),
        &["department", "assign", "1", "i1", "市统计局"],
    );
    // Users and restore: admin only (and the local administrator).
    let err = lib.forbidden(Some("规划处"), &["user", "add", "新人"]);
    assert!(
        err.contains("规划处 (planner) may not manage users"),
        "{err}"
    );
    lib.forbidden(Some("规划处"), &["restore", "x.sqlite"]);
    lib.ok(
        Some("管理员"),
        &["user", "add", "新人", "--role", "reviewer"],
    );
    lib.ok(Some("新人"), &["list"]);
}

#[test]
fn a_department_editor_imports_only_its_subjects() {
    let lib = library();
    let f = lib.0.path().join("填报.csv");
    std::fs::write(&f, "指标,年份,实际值\n森林覆盖率,2022,15.7\ni1,2022,5.2\n").unwrap();
    let o = lib.run(
        Some("林草局填报"),
        &["observe", "import", "--plan", "1", &f.display().to_string()],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("row 3, column A (指标):")
            && err.contains("assigned to no department, not your department's (市林草局)"),
        "{err}"
    );
    // Nothing of the file went in.
    let export = lib.ok(
        None,
        &["observe", "export", "--plan", "1", "--format", "csv"],
    );
    assert_eq!(export.lines().count(), 1, "{export}");
    // Its own rows alone: imported, and the history names the user.
    std::fs::write(&f, "指标,年份,实际值\n森林覆盖率,2022,15.7\n").unwrap();
    lib.ok(
        Some("林草局填报"),
        &["observe", "import", "--plan", "1", &f.display().to_string()],
    );
    let h = lib.ok(None, &["history", "1", "--json"]);
    assert!(h.contains("林草局填报"), "{h}");
}

#[test]
fn unknown_and_unprivileged_users_are_refused_before_anything_happens() {
    let lib = library();
    let err = lib.forbidden(Some("冒名者"), &["list"]);
    assert!(err.contains("no user 冒名者 in this library"), "{err}");
    // Without users, any name is the local administrator (the library's own machine).
    let fresh = Lib(tempfile::tempdir().unwrap());
    fresh.ok(Some("任何人"), &["add", &common::seed("001")]);
    // Without --user, the local administrator may manage users even when users exist.
    lib.ok(None, &["user", "grant", "无角色", "reviewer"]);
    lib.ok(Some("无角色"), &["list"]);
    lib.ok(None, &["user", "revoke", "无角色", "reviewer"]);
    lib.forbidden(Some("无角色"), &["list"]);
}

#[test]
fn passwords_are_stored_as_argon2id_hashes() {
    let lib = Lib(tempfile::tempdir().unwrap());
    let mut child = Command::new(BIN)
        .arg("--data")
        .arg(lib.0.path().join("data"))
        .args([
            "user",
            "add",
            "web",
            "--role",
            "planner",
            "--password-stdin",
        ])
        .env_remove("GUIHUA_DATA")
        .env_remove("GUIHUA_USER")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"correct horse battery\n")
        .unwrap();
    assert!(child.wait().unwrap().success());
    let conn = rusqlite::Connection::open(lib.0.path().join("data/guihua.sqlite")).unwrap();
    let hash: String = conn
        .query_row(
            "SELECT password_hash FROM users WHERE name = 'web'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains("correct horse"), "{hash}");
    // The listing never shows it.
    let json = lib.ok(None, &["user", "list", "--json"]);
    assert!(!json.contains("argon2"), "{json}");
}

#[test]
fn api_tokens_are_made_listed_and_revoked_by_administrators() {
    let lib = library();
    let token = lib.ok(
        Some("管理员"),
        &["token", "add", "林草局填报", "--label", "林草局数据导入"],
    );
    let token = token.trim();
    assert!(token.starts_with("guihua_") && token.len() == 71, "{token}");
    let list = lib.ok(Some("管理员"), &["token", "list"]);
    assert!(
        list.contains("林草局填报") && list.contains("林草局数据导入") && list.contains("有效")
    );
    assert!(!list.contains(token), "the token itself is never listed");
    let json = lib.ok(Some("管理员"), &["token", "list", "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0]["user"], "林草局填报");
    assert!(!json.contains(&token[7..]), "nor its hash's source");
    // Not an administrator: refused.
    lib.forbidden(Some("规划处"), &["token", "add", "规划处", "--label", "x"]);
    lib.forbidden(Some("人大审阅"), &["token", "list"]);
    // Unknown user, empty label: refused with a reason (exit 1).
    let o = lib.run(Some("管理员"), &["token", "add", "谁", "--label", "x"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no user '谁'"));
    let o = lib.run(Some("管理员"), &["token", "add", "规划处", "--label", " "]);
    assert_eq!(o.status.code(), Some(1));
    assert!(lib
        .ok(Some("管理员"), &["token", "revoke", "1"])
        .contains("token 1 revoked"));
    assert!(lib
        .ok(Some("管理员"), &["token", "revoke", "1"])
        .contains("revoked already"));
    assert!(lib
        .ok(Some("管理员"), &["token", "list"])
        .contains("已撤销"));
}

#[test]
fn add_keeps_the_text_every_line_number_points_to() {
    let lib = library();
    let db = rusqlite::Connection::open(lib.0.path().join("data/guihua.sqlite")).unwrap();
    let text: String = db
        .query_row("SELECT lines FROM plan_texts WHERE plan_id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let plan = lib.ok(None, &["show", "1", "--json"]);
    let plan: serde_json::Value = serde_json::from_str(&plan).unwrap();
    let lines: Vec<&str> = text.split('\n').collect();
    // Each indicator's line holds its name or, in a table of one cell per line, starts
    // its row: the name is on that line or within the row's next lines.
    let mut checked = 0;
    for i in plan["indicators"].as_array().unwrap() {
        let name = i["name"].as_str().unwrap();
        let line = i["line"].as_u64().unwrap() as usize;
        let row = lines[line - 1..(line + 3).min(lines.len())].join(" ");
        let key: String = name.chars().take(4).collect();
        assert!(row.contains(&key), "{name} at line {line}: {row}");
        checked += 1;
    }
    assert!(checked >= 10, "{checked} indicators checked");
}
