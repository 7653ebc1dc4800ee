//! Staff sign-in (登录): passwords checked against their argon2id hashes, sessions kept in
//! the library (only the hash of the cookie's token is stored, so a copy of the library
//! holds no live session), a form token (CSRF) bound to each session, and a throttle on
//! failed sign-ins.
//!
//! Every failure says the same thing ("wrong name or password"), whether the name is
//! unknown, the account disabled or the password wrong: the sign-in form must not tell a
//! stranger which accounts exist.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use guihua_store::{Store, UserRow};
use sha2::{Digest, Sha256};

use crate::policy::{verify_password, Principal};
use crate::{Error, Result};

/// How long a session lives (a working day).
pub const SESSION_SECONDS: i64 = 8 * 3600;

/// A fresh random token: 32 bytes from the operating system, as hex.
pub fn random_token() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    hex(&b)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The SHA-256 of a token, as stored.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A keyed pseudonym of a client address (for rate limits and one rating per address):
/// the address itself is never stored.
pub fn pseudonym(secret: &str, address: &str) -> String {
    let mut h = Sha256::new();
    h.update(secret.as_bytes());
    h.update([0]);
    h.update(address.as_bytes());
    hex(&h.finalize()[..16])
}

/// A signed-in session: the cookie's token (give it to the browser, never store it) and the
/// form token every form of this session must carry.
#[derive(Debug, Clone)]
pub struct Login {
    pub token: String,
    pub csrf: String,
    pub user: UserRow,
}

const WRONG: &str = "wrong name or password";

/// Sign in with a name and password.
pub fn login(store: &dyn Store, name: &str, password: &str) -> Result<Login> {
    let user = store
        .users()?
        .into_iter()
        .find(|u| u.name == name.trim())
        .filter(|u| !u.disabled);
    // Verify against something even for an unknown name, so the answer takes as long.
    let Some(user) = user else {
        let _ = crate::policy::hash_password("timing-equaliser");
        return Err(Error::Forbidden(WRONG.into()));
    };
    if !verify_password(&user, password) {
        return Err(Error::Forbidden(WRONG.into()));
    }
    let token = random_token();
    let csrf = random_token();
    store.add_session(&token_hash(&token), user.id, &csrf, SESSION_SECONDS)?;
    Ok(Login { token, csrf, user })
}

/// The principal and form token of a live session, if the token is one.
pub fn session(store: &dyn Store, token: &str) -> Result<Option<(Principal, String)>> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(s) = store.session(&token_hash(token))? else {
        return Ok(None);
    };
    let user = store
        .users()?
        .into_iter()
        .find(|u| u.id == s.user_id && !u.disabled);
    Ok(user.map(|u| (Principal::User(u), s.csrf)))
}

/// End a session.
pub fn logout(store: &dyn Store, token: &str) -> Result<()> {
    Ok(store.end_session(&token_hash(token))?)
}

/// Does a submitted form token match the session's? (Constant time.)
pub fn csrf_ok(expected: &str, given: &str) -> bool {
    expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Failed sign-ins per key (an address, a name) in a sliding window: after `limit` failures
/// within `window`, further attempts are refused until the oldest falls out. The clock is
/// the caller's (`now`), so the rule is testable and the application layer keeps none.
#[derive(Debug)]
pub struct Throttle {
    limit: usize,
    window: Duration,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Throttle {
    pub fn new(limit: usize, window: Duration) -> Throttle {
        Throttle {
            limit,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Start a sign-in attempt for `key`: refused when `limit` attempts (failed, or still
    /// running) fall within the window; otherwise the attempt is counted at once — in the
    /// same lock — so simultaneous attempts cannot all pass the check. A successful
    /// sign-in takes its attempt back ([`Throttle::succeeded`]). Keys are cut to 100
    /// characters, and the map is pruned when large: memory stays bounded.
    pub fn attempt(&self, key: &str, now: Instant) -> Result<()> {
        let key: String = key.chars().take(100).collect();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 10_000 {
            map.retain(|_, v| v.iter().any(|t| now.duration_since(*t) < self.window));
        }
        let v = map.entry(key).or_default();
        v.retain(|t| now.duration_since(*t) < self.window);
        if v.len() >= self.limit {
            return Err(Error::Limited(format!(
                "too many failed sign-ins; try again in {} minutes",
                self.window.as_secs().div_ceil(60)
            )));
        }
        v.push(now);
        Ok(())
    }

    /// The attempt started at `now` succeeded: it does not count against the key.
    pub fn succeeded(&self, key: &str, now: Instant) {
        let key: String = key.chars().take(100).collect();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = map.get_mut(&key) {
            if let Some(i) = v.iter().rposition(|t| *t == now) {
                v.remove(i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert!(csrf_ok(&a, &a.clone()));
        assert!(!csrf_ok(&a, &random_token()));
        assert!(!csrf_ok(&a, ""));
        assert_ne!(pseudonym("k", "1.2.3.4"), pseudonym("k2", "1.2.3.4"));
        assert_eq!(pseudonym("k", "1.2.3.4"), pseudonym("k", "1.2.3.4"));
    }

    #[test]
    fn the_throttle_refuses_after_the_limit_within_the_window() {
        let t = Throttle::new(3, Duration::from_secs(600));
        let t0 = Instant::now();
        // Three attempts at once (none finished yet): the fourth is refused.
        for i in 0..3 {
            t.attempt("a", t0 + Duration::from_secs(i)).unwrap();
        }
        assert!(matches!(
            t.attempt("a", t0 + Duration::from_secs(10)),
            Err(Error::Limited(_))
        ));
        t.attempt("b", t0 + Duration::from_secs(10)).unwrap();
        t.attempt("a", t0 + Duration::from_secs(601)).unwrap();
        // A success takes its attempt back.
        let s = Throttle::new(1, Duration::from_secs(600));
        s.attempt("c", t0).unwrap();
        s.succeeded("c", t0);
        s.attempt("c", t0 + Duration::from_secs(1)).unwrap();
        assert!(s.attempt("c", t0 + Duration::from_secs(2)).is_err());
        // Long keys are cut: one key, not a megabyte each.
        let long = "x".repeat(1_000_000);
        s.attempt(&long, t0).unwrap();
        assert!(
            s.attempt(&format!("{long}y"), t0).is_err(),
            "the same first 100 characters"
        );
    }
}
