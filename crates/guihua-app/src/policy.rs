//! Who may do what: users, roles and the one policy every front end applies.
//!
//! A library without users belongs to whoever can open its file: the command line acts as
//! a local administrator. Once users exist, a front end acts *as* a user (the web
//! application after a login, the command line with `--user NAME`), and that user's roles
//! decide:
//!
//! | action | admin | planner | editor | reviewer |
//! |---|---|---|---|---|
//! | read plans, values, reports | ✓ | ✓ | ✓ | ✓ |
//! | write values and project status | ✓ | ✓ | own department's subjects | — |
//! | add and revise plans, links, assignments, departments | ✓ | ✓ | — | — |
//! | backups | ✓ | ✓ | — | — |
//! | users, roles, restore | ✓ | — | — | — |
//!
//! "Own department's subjects" are those assigned to the editor's department (as lead or
//! co-department) in the plan: a value for any other subject is refused row by row, with
//! the department that answers for it.

use std::collections::HashSet;

use guihua_store::{Actor, Membership, PlanId, Store, SubjectKind, UserRole, UserRow};

use crate::{Error, Result};

/// Who is acting.
#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    /// The library has no users: whoever opens it administers it (a name for the history).
    LocalAdmin(String),
    /// A stored user and their roles.
    User(UserRow),
}

/// What a front end is about to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    /// Monitoring values or project status (per subject: see [`crate::entry::may_write`]).
    WriteValues,
    /// Plans, links, assignments, departments.
    ManagePlans,
    Backup,
    ManageUsers,
    Restore,
    /// Internal remarks (内部意见) on plans and releases: reviewers (人大) and planners.
    Remark,
}

impl Principal {
    /// The name written to the history.
    pub fn name(&self) -> &str {
        match self {
            Principal::LocalAdmin(n) => n,
            Principal::User(u) => &u.name,
        }
    }

    /// Who is written to the history for this principal's changes: the name and, for a
    /// stored user, the account's id.
    pub fn actor<'a>(&'a self, why: Option<&'a str>) -> Actor<'a> {
        Actor {
            who: self.name(),
            why,
            user_id: match self {
                Principal::LocalAdmin(_) => None,
                Principal::User(u) => Some(u.id),
            },
        }
    }

    fn has(&self, role: UserRole) -> bool {
        match self {
            Principal::LocalAdmin(_) => role == UserRole::Admin,
            Principal::User(u) => u.memberships.iter().any(|m| m.role == role),
        }
    }

    /// The departments this principal edits for (editors only).
    pub fn departments(&self) -> Vec<&str> {
        match self {
            Principal::LocalAdmin(_) => Vec::new(),
            Principal::User(u) => u
                .memberships
                .iter()
                .filter(|m| m.role == UserRole::Editor)
                .filter_map(|m| m.department.as_deref())
                .collect(),
        }
    }

    /// May this principal do `action` at all?
    pub fn authorize(&self, action: Action) -> Result<()> {
        let admin = self.has(UserRole::Admin);
        let planner = admin || self.has(UserRole::Planner);
        let editor = planner || self.has(UserRole::Editor);
        let reader = editor || self.has(UserRole::Reviewer);
        let ok = match action {
            Action::Read => reader,
            Action::WriteValues => editor,
            Action::ManagePlans | Action::Backup => planner,
            Action::ManageUsers | Action::Restore => admin,
            Action::Remark => planner || self.has(UserRole::Reviewer),
        };
        if ok {
            return Ok(());
        }
        let roles = match self {
            Principal::LocalAdmin(_) => "admin".to_string(),
            Principal::User(u) if u.memberships.is_empty() => "no role".to_string(),
            Principal::User(u) => u
                .memberships
                .iter()
                .map(|m| Membership::label(m.role, m.department.as_deref()))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let what = match action {
            Action::Read => "read the library",
            Action::WriteValues => "enter monitoring values",
            Action::ManagePlans => "change plans, links, assignments or departments",
            Action::Backup => "make backups",
            Action::ManageUsers => "manage users",
            Action::Restore => "restore the library",
            Action::Remark => "read or write internal remarks",
        };
        Err(Error::Forbidden(format!(
            "{} ({roles}) may not {what}",
            self.name()
        )))
    }

    /// Which subjects of `plan` this principal may write values for: `None` for all.
    pub fn writable_subjects(
        &self,
        store: &dyn Store,
        plan: PlanId,
    ) -> Result<Option<HashSet<(SubjectKind, String)>>> {
        if self.has(UserRole::Admin) || self.has(UserRole::Planner) {
            return Ok(None);
        }
        let mine: HashSet<&str> = self.departments().into_iter().collect();
        Ok(Some(
            store
                .assignments(plan)?
                .into_iter()
                .filter(|a| mine.contains(a.department.as_str()))
                .map(|a| (a.kind, a.subject_id))
                .collect(),
        ))
    }
}

/// The principal a front end acts as. `as_user` is the user it was asked to act as (a
/// login, `--user`); `fallback` names a local administrator when none was asked for.
///
/// Without users in the library everyone is a local administrator. With users, asking to
/// act as a user that does not exist or is disabled is refused; not asking is the local
/// administrator (the command line on the library's own machine).
pub fn principal(store: &dyn Store, as_user: Option<&str>, fallback: &str) -> Result<Principal> {
    let users = store.users()?;
    let Some(name) = as_user.map(str::trim) else {
        return Ok(Principal::LocalAdmin(fallback.to_string()));
    };
    if users.is_empty() {
        return Ok(Principal::LocalAdmin(name.to_string()));
    }
    match users.into_iter().find(|u| u.name == name) {
        Some(u) if u.disabled => Err(Error::Forbidden(format!("user {name} is disabled"))),
        Some(u) => Ok(Principal::User(u)),
        None => Err(Error::Forbidden(format!(
            "no user {name} in this library (guihua user list)"
        ))),
    }
}

/// An argon2id hash (PHC string) of a password, with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    if password.chars().count() < 8 {
        return Err(Error::Invalid(
            "a password needs at least 8 characters".into(),
        ));
    }
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Invalid(format!("cannot hash the password: {e}")))
}

/// Does `password` match the stored hash? A user without a hash never logs in by password.
pub fn verify_password(user: &UserRow, password: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    let Some(h) = &user.password_hash else {
        return false;
    };
    PasswordHash::new(h)
        .map(|parsed| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use guihua_store::Membership;

    fn user(roles: &[(UserRole, Option<&str>)]) -> Principal {
        Principal::User(UserRow {
            id: 1,
            name: "u".into(),
            display: None,
            password_hash: None,
            created_at: String::new(),
            created_by: String::new(),
            disabled: false,
            memberships: roles
                .iter()
                .map(|(r, d)| Membership {
                    role: *r,
                    department: d.map(str::to_string),
                })
                .collect(),
        })
    }

    #[test]
    fn the_policy_table() {
        use Action::*;
        let actions = [Read, WriteValues, ManagePlans, Backup, ManageUsers, Restore];
        let cases: [(Principal, [bool; 6]); 6] = [
            (Principal::LocalAdmin("本机".into()), [true; 6]),
            (user(&[(UserRole::Admin, None)]), [true; 6]),
            (
                user(&[(UserRole::Planner, None)]),
                [true, true, true, true, false, false],
            ),
            (
                user(&[(UserRole::Editor, Some("市林草局"))]),
                [true, true, false, false, false, false],
            ),
            (
                user(&[(UserRole::Reviewer, None)]),
                [true, false, false, false, false, false],
            ),
            (user(&[]), [false; 6]),
        ];
        for (p, allowed) in &cases {
            for (a, ok) in actions.iter().zip(allowed) {
                assert_eq!(p.authorize(*a).is_ok(), *ok, "{p:?} {a:?}");
                if !ok {
                    assert!(matches!(p.authorize(*a), Err(Error::Forbidden(_))));
                }
            }
        }
    }

    #[test]
    fn passwords() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        let Principal::User(mut u) = user(&[]) else {
            unreachable!()
        };
        assert!(
            !verify_password(&u, "correct horse battery"),
            "no hash, no login"
        );
        u.password_hash = Some(h);
        assert!(verify_password(&u, "correct horse battery"));
        assert!(!verify_password(&u, "correct horse batterY"));
        assert!(hash_password("short").is_err());
    }
}
