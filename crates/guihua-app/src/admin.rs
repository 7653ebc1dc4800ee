//! Managing the library: catalogue links, removing plans, departments, users and roles,
//! backups and restore — each authorised here by the one policy, so a front end that
//! forgets to ask cannot write. (Data entry is [`crate::entry`], imports
//! [`crate::import`].)

use std::path::{Path, PathBuf};

use guihua_store::{PlanRow, Store, SubjectKind, UserRole};

use crate::policy::{Action, Principal};
use crate::subjects::Subjects;
use crate::{Error, Result};

/// Link a plan's indicator to a catalogue entry (`catalog` an id or name), or with `None`
/// keep it out of the catalogue. Written as read: another writer's link in between is a
/// conflict. Returns the plan, the indicator id and the catalogue id set.
pub fn link(
    store: &dyn Store,
    principal: &Principal,
    why: Option<&str>,
    plan: &str,
    indicator: &str,
    catalog: Option<&str>,
) -> Result<(PlanRow, String, Option<&'static str>)> {
    principal.authorize(Action::ManagePlans)?;
    let row = store.resolve(plan)?;
    let subjects = Subjects::load(store, row.clone())?;
    let (_, id) = subjects
        .resolve(indicator, &[SubjectKind::Indicator])
        .map_err(Error::NotFound)?;
    let catalog = match catalog {
        Some(c) => Some(
            guihua_catalog::lookup(c)
                .ok_or_else(|| {
                    Error::NotFound(format!(
                        "{c} is not in the indicator catalogue (guihua indicator catalogue)"
                    ))
                })?
                .id,
        ),
        None => None,
    };
    let read = store
        .indicators(row.id)?
        .into_iter()
        .find(|i| i.id == id)
        .and_then(|i| i.link)
        .map_or(0, |l| l.revision);
    store.set_link(row.id, &id, catalog, Some(read), &principal.actor(why))?;
    Ok((row, id, catalog))
}

/// Remove a plan (soft: its data and history stay).
pub fn remove_plan(
    store: &dyn Store,
    principal: &Principal,
    why: Option<&str>,
    plan: &str,
) -> Result<PlanRow> {
    principal.authorize(Action::ManagePlans)?;
    let row = store.resolve(plan)?;
    store.delete_plan(row.id, &principal.actor(why))?;
    Ok(row)
}

/// Add a department; `false` when it exists already.
pub fn add_department(
    store: &dyn Store,
    principal: &Principal,
    why: Option<&str>,
    name: &str,
) -> Result<bool> {
    principal.authorize(Action::ManagePlans)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::Invalid("empty department name".into()));
    }
    crate::input::text(name).map_err(Error::Invalid)?;
    Ok(store.add_department(name, &principal.actor(why))?)
}

/// A user name people can type and read: 1–64 characters, no spaces or control
/// characters.
fn check_user_name(name: &str) -> Result<()> {
    let n = name.chars().count();
    if n == 0 || n > 64 || name.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(Error::Invalid(format!(
            "'{}' is not a user name: 1–64 characters without spaces or control characters",
            crate::output::terminal(name)
        )));
    }
    Ok(())
}

/// Add a user, optionally with a password (stored as an argon2id hash) and a first role.
pub fn add_user(
    store: &dyn Store,
    principal: &Principal,
    why: Option<&str>,
    name: &str,
    display: Option<&str>,
    password: Option<&str>,
    role: Option<(UserRole, Option<&str>)>,
) -> Result<i64> {
    principal.authorize(Action::ManageUsers)?;
    check_user_name(name)?;
    // The first role is checked before the user is created: no user left half-made.
    if let Some((role, department)) = role {
        if (role == UserRole::Editor) != department.is_some() {
            return Err(Error::Invalid(
                "a department editor needs a department; other roles take none".into(),
            ));
        }
    }
    if let Some(d) = display {
        crate::input::text(d).map_err(Error::Invalid)?;
    }
    let hash = password.map(crate::policy::hash_password).transpose()?;
    let actor = principal.actor(why);
    let id = store.add_user(name, display, hash.as_deref(), &actor)?;
    if let Some((role, department)) = role {
        store.grant(name, role, department, &actor)?;
    }
    Ok(id)
}

/// Grant (`true`) or revoke a role; `false` when nothing changed.
pub fn set_role(
    store: &dyn Store,
    principal: &Principal,
    why: Option<&str>,
    user: &str,
    role: UserRole,
    department: Option<&str>,
    grant: bool,
) -> Result<bool> {
    principal.authorize(Action::ManageUsers)?;
    let actor = principal.actor(why);
    Ok(if grant {
        store.grant(user, role, department, &actor)?
    } else {
        store.revoke(user, role, department, &actor)?
    })
}

/// Write a consistent copy of the library to `to` (never over an existing file).
pub fn backup(store: &dyn Store, principal: &Principal, to: &Path) -> Result<()> {
    principal.authorize(Action::Backup)?;
    Ok(store.backup(to)?)
}

/// Replace the library with a backup; returns where the replaced library is kept.
pub fn restore(
    store: &dyn Store,
    principal: &Principal,
    why: Option<&str>,
    from: &Path,
) -> Result<PathBuf> {
    principal.authorize(Action::Restore)?;
    Ok(store.restore(from, &principal.actor(why))?)
}

/// The prefix of every API token (so a leaked one is recognisable in logs and scanners).
pub const TOKEN_PREFIX: &str = "guihua_";

/// Make an API token for a user (administrators): the token acts as that user, with the
/// user's roles, on the JSON API (`Authorization: Bearer …`). Answers its id and the token
/// itself — shown this once; the library keeps only its hash.
pub fn add_token(
    store: &dyn Store,
    principal: &Principal,
    user: &str,
    label: &str,
) -> Result<(i64, String)> {
    principal.authorize(Action::ManageUsers)?;
    let label = label.trim();
    crate::input::text(label).map_err(Error::Invalid)?;
    if label.is_empty() || label.chars().count() > 100 {
        return Err(Error::Invalid(
            "a token needs a label of 1–100 characters (what the script is for)".into(),
        ));
    }
    let row = store
        .users()?
        .into_iter()
        .find(|u| u.name == user)
        .ok_or_else(|| Error::NotFound(format!("no user '{user}'")))?;
    if row.disabled {
        return Err(Error::Invalid(format!("user '{user}' is disabled")));
    }
    let token = format!("{TOKEN_PREFIX}{}", crate::session::random_token());
    let id = store.add_api_token(
        row.id,
        &crate::session::token_hash(&token),
        label,
        &principal.actor(None),
    )?;
    Ok((id, token))
}

/// Every API token (administrators).
pub fn tokens(store: &dyn Store, principal: &Principal) -> Result<Vec<guihua_store::ApiToken>> {
    principal.authorize(Action::ManageUsers)?;
    Ok(store.api_tokens()?)
}

/// Revoke an API token (administrators); `false` when it was revoked already.
pub fn revoke_token(store: &dyn Store, principal: &Principal, id: i64) -> Result<bool> {
    principal.authorize(Action::ManageUsers)?;
    Ok(store.revoke_api_token(id, &principal.actor(None))?)
}

/// The principal an API token acts as: `None` for anything that is not a live token of an
/// enabled user (a malformed, unknown or revoked token, a disabled user).
pub fn token_principal(store: &dyn Store, token: &str) -> Result<Option<Principal>> {
    let Some(hexpart) = token.strip_prefix(TOKEN_PREFIX) else {
        return Ok(None);
    };
    if hexpart.len() != 64 || !hexpart.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(uid) = store.api_token_user(&crate::session::token_hash(token))? else {
        return Ok(None);
    };
    Ok(store
        .users()?
        .into_iter()
        .find(|u| u.id == uid && !u.disabled)
        .map(Principal::User))
}
