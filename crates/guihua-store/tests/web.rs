//! What the web application keeps, on the bundled example plan: publication, releases,
//! sessions, public comments and ratings, and collection rounds from opening to approval.

use std::path::PathBuf;

use guihua_contract::Source;
use guihua_store::*;

mod backend;

const ME: Actor = Actor::local("规划处", None);

fn library(b: &backend::Backend) -> (SqlStore, PlanId) {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/shili-xian.txt"
    ));
    let read = guihua_read::read_path(&path).unwrap();
    let plan = guihua_parse::parse_document(&read.document);
    let source = Source {
        file: "shili-xian.txt".into(),
        format: read.format.as_str().into(),
        encoding: read.encoding.clone(),
        sha256: read.sha256.clone(),
    };
    let store = b.open();
    let Added::New { id, .. } = store.add_plan(&plan, &source, None, &ME).unwrap() else {
        panic!("new plan expected")
    };
    (store, id)
}

fn history_fields(store: &SqlStore, plan: PlanId, tbl: &str) -> Vec<(String, String)> {
    store
        .history(plan, None)
        .unwrap()
        .into_iter()
        .filter(|h| h.table == tbl)
        .map(|h| (h.field, h.new.unwrap_or_default()))
        .collect()
}

#[test]
fn plans_are_published_and_withdrawn_with_history() {
    backend::each(plans_are_published_and_withdrawn_with_history_on);
}

fn plans_are_published_and_withdrawn_with_history_on(b: &backend::Backend) {
    let (store, id) = library(b);
    assert_eq!(store.published_plans().unwrap(), Vec::<PlanId>::new());
    assert!(store.set_published(id, true, &ME).unwrap());
    assert!(
        !store.set_published(id, true, &ME).unwrap(),
        "already published"
    );
    assert_eq!(store.published_plans().unwrap(), vec![id]);
    assert!(store.set_published(id, false, &ME).unwrap());
    assert_eq!(store.published_plans().unwrap(), Vec::<PlanId>::new());
    assert!(
        store.set_published(id, true, &ME).unwrap(),
        "published again"
    );
    assert_eq!(
        history_fields(&store, id, "publications"),
        [
            ("published", "yes"),
            ("published", "no"),
            ("published", "yes")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // A deleted plan is no longer public.
    store.delete_plan(id, &ME).unwrap();
    assert_eq!(store.published_plans().unwrap(), Vec::<PlanId>::new());
    assert!(matches!(
        store.set_published(999, true, &ME),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn a_release_is_kept_as_run_and_published_once() {
    backend::each(a_release_is_kept_as_run_and_published_once_on);
}

fn a_release_is_kept_as_run_and_published_once_on(b: &backend::Backend) {
    let (store, id) = library(b);
    let new = NewRelease {
        plan_id: id,
        year: 2023,
        kind: "midterm",
        document: b"{\"schema\":\"guihua.evaluation/1\"}",
        narrative: Some("主要成效：……"),
        html: b"<html>report</html>",
        docx: b"PK docx",
    };
    let rid = store.add_release(&new, &ME).unwrap();
    assert!(matches!(
        store.add_release(
            &NewRelease {
                kind: "weekly",
                ..new.clone()
            },
            &ME
        ),
        Err(StoreError::Invalid(_))
    ));
    let list = store.releases(id).unwrap();
    assert_eq!(list.len(), 1);
    assert!(!list[0].is_public(), "a new release is a draft");
    assert_eq!(list[0].narrative.as_deref(), Some("主要成效：……"));
    let (_, html) = store.release_part(rid, ReleasePart::Html).unwrap();
    assert_eq!(html, b"<html>report</html>");
    let (_, docx) = store.release_part(rid, ReleasePart::Docx).unwrap();
    assert_eq!(docx, b"PK docx");
    assert!(matches!(
        store.set_release_published(rid, false, &ME),
        Err(StoreError::Conflict(_))
    ));
    store.set_release_published(rid, true, &ME).unwrap();
    assert!(store.releases(id).unwrap()[0].is_public());
    assert!(matches!(
        store.set_release_published(rid, true, &ME),
        Err(StoreError::Conflict(_))
    ));
    store.set_release_published(rid, false, &ME).unwrap();
    let r = &store.releases(id).unwrap()[0];
    assert!(!r.is_public() && r.withdrawn_at.is_some());
    assert!(
        matches!(
            store.set_release_published(rid, true, &ME),
            Err(StoreError::Conflict(_))
        ),
        "a withdrawn release stays withdrawn"
    );
    // The content cannot be changed, even behind the store's back.
    let err = b
        .raw_execute(&format!(
            "UPDATE releases SET report_html = x'00' WHERE id = {rid}"
        ))
        .unwrap_err();
    assert!(err.contains("kept as it was run"), "{err}");
    assert!(matches!(
        store.release_part(rid + 1, ReleasePart::Document),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn sessions_live_until_ended_or_expired() {
    backend::each(sessions_live_until_ended_or_expired_on);
}

fn sessions_live_until_ended_or_expired_on(b: &backend::Backend) {
    let (store, _) = library(b);
    let uid = store.add_user("wang", None, None, &ME).unwrap();
    store.add_session("hash-a", uid, "csrf-a", 3600).unwrap();
    store.add_session("hash-b", uid, "csrf-b", -1).unwrap();
    let s = store.session("hash-a").unwrap().unwrap();
    assert_eq!((s.user_id, s.csrf.as_str()), (uid, "csrf-a"));
    assert_eq!(store.session("hash-b").unwrap(), None, "expired");
    assert_eq!(store.session("nothing").unwrap(), None);
    store.end_session("hash-a").unwrap();
    assert_eq!(store.session("hash-a").unwrap(), None, "logged out");
    store.end_session("hash-a").unwrap();
}

#[test]
fn comments_wait_for_moderation_and_are_rate_limited() {
    backend::each(comments_wait_for_moderation_and_are_rate_limited_on);
}

fn comments_wait_for_moderation_and_are_rate_limited_on(b: &backend::Backend) {
    let (store, id) = library(b);
    let c = NewComment {
        plan_id: id,
        subject: CommentSubject::Indicator,
        subject_id: Some("i1"),
        body: "  希望公开更多分年度数据。  ",
        author: Some("市民"),
        contact: Some("13800000000"),
        address: "addr-1",
    };
    let first = store.add_comment(&c, 2).unwrap();
    store
        .add_comment(
            &NewComment {
                subject: CommentSubject::Plan,
                subject_id: None,
                ..c.clone()
            },
            2,
        )
        .unwrap();
    let err = store.add_comment(&c, 2).unwrap_err();
    assert!(matches!(err, StoreError::Limited(_)), "{err}");
    // Another address is not limited by the first.
    store
        .add_comment(
            &NewComment {
                address: "addr-2",
                ..c.clone()
            },
            2,
        )
        .unwrap();
    for (bad, why) in [
        (
            NewComment {
                body: "   ",
                ..c.clone()
            },
            "empty",
        ),
        (
            NewComment {
                subject_id: Some("i999"),
                address: "addr-3",
                ..c.clone()
            },
            "no such indicator",
        ),
        (
            NewComment {
                subject_id: None,
                address: "addr-3",
                ..c.clone()
            },
            "which indicator",
        ),
    ] {
        assert!(store.add_comment(&bad, 2).is_err(), "{why}");
    }
    let pending = store
        .comments(Some(id), Some(CommentState::Pending))
        .unwrap();
    assert_eq!(pending.len(), 3);
    assert_eq!(pending[0].body, "希望公开更多分年度数据。");
    assert_eq!(pending[0].contact.as_deref(), Some("13800000000"));
    let json = serde_json::to_string(&pending[0]).unwrap();
    assert!(
        !json.contains("13800000000"),
        "contact never leaves: {json}"
    );
    assert!(matches!(
        store.moderate(first, false, None, &ME),
        Err(StoreError::Invalid(_))
    ));
    store.moderate(first, true, None, &ME).unwrap();
    assert!(matches!(
        store.moderate(first, false, Some("重复"), &ME),
        Err(StoreError::Conflict(_))
    ));
    store
        .moderate(pending[1].id, false, Some("与规划无关"), &ME)
        .unwrap();
    let published = store
        .comments(Some(id), Some(CommentState::Published))
        .unwrap();
    assert_eq!(published.iter().map(|c| c.id).collect::<Vec<_>>(), [first]);
    let rejected = store.comments(None, Some(CommentState::Rejected)).unwrap();
    assert_eq!(rejected[0].reason.as_deref(), Some("与规划无关"));
    assert_eq!(
        history_fields(&store, id, "comments"),
        [("state", "published"), ("state", "rejected")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
}

#[test]
fn one_rating_per_address() {
    backend::each(one_rating_per_address_on);
}

fn one_rating_per_address_on(b: &backend::Backend) {
    let (store, id) = library(b);
    assert!(store.rate(id, Rating::Satisfied, "a").unwrap());
    assert!(
        !store.rate(id, Rating::Dissatisfied, "a").unwrap(),
        "the first counts"
    );
    assert!(store.rate(id, Rating::Fair, "b").unwrap());
    assert!(store.rate(id, Rating::Satisfied, "c").unwrap());
    assert_eq!(
        store.ratings(id).unwrap(),
        RatingCounts {
            satisfied: 2,
            fair: 1,
            dissatisfied: 0
        }
    );
}

#[test]
fn a_round_from_opening_to_approval() {
    backend::each(a_round_from_opening_to_approval_on);
}

fn a_round_from_opening_to_approval_on(b: &backend::Backend) {
    let (store, id) = library(b);
    let deps = vec!["县统计局".to_string(), "县林业局".to_string()];
    assert!(matches!(
        store.open_round(id, 2023, "2024-02-30", &deps, &ME),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.open_round(id, 2023, "2024-03-31", &[], &ME),
        Err(StoreError::Invalid(_))
    ));
    let rid = store
        .open_round(id, 2023, "2024-03-31", &deps, &ME)
        .unwrap();
    assert!(matches!(
        store.open_round(id, 2023, "2024-04-30", &deps, &ME),
        Err(StoreError::Conflict(_))
    ));
    let subs = store.submissions(rid).unwrap();
    assert_eq!(
        subs.iter()
            .map(|s| s.department.as_str())
            .collect::<Vec<_>>(),
        ["县林业局", "县统计局"]
    );
    let stats = &subs[1];
    assert_eq!((stats.state, stats.revision), (SubmissionState::Open, 1));
    let item = SubmissionItem {
        kind: SubjectKind::Indicator,
        subject_id: "i1".into(),
        value: Some(321.5),
        source: Some("统计公报".into()),
        progress: Some("稳步推进".into()),
        confirmed: false,
    };
    assert!(matches!(
        store.save_items(stats.id, std::slice::from_ref(&item), 7, &ME),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.save_items(
            stats.id,
            &[SubmissionItem {
                subject_id: "i999".into(),
                ..item.clone()
            }],
            1,
            &ME
        ),
        Err(StoreError::NotFound(_))
    ));
    let rev = store
        .save_items(stats.id, std::slice::from_ref(&item), 1, &ME)
        .unwrap();
    assert_eq!(rev, 2);
    let rev = store
        .save_items(
            stats.id,
            &[SubmissionItem {
                value: Some(330.0),
                ..item.clone()
            }],
            rev,
            &ME,
        )
        .unwrap();
    assert!(
        matches!(
            store.decide(stats.id, true, None, rev, &ME),
            Err(StoreError::Conflict(_))
        ),
        "not submitted yet"
    );
    store.submit(stats.id, rev, &ME).unwrap();
    assert!(
        matches!(
            store.save_items(stats.id, std::slice::from_ref(&item), rev + 1, &ME),
            Err(StoreError::Conflict(_))
        ),
        "submitted: no more changes"
    );
    assert!(
        matches!(
            store.decide(stats.id, false, None, rev + 1, &ME),
            Err(StoreError::Invalid(_))
        ),
        "returning needs a note"
    );
    store
        .decide(stats.id, false, Some("请核对数据来源"), rev + 1, &ME)
        .unwrap();
    assert!(
        store.observations(Some(id)).unwrap().is_empty(),
        "returned: nothing observed"
    );
    let s = &store.submissions(rid).unwrap()[1];
    assert_eq!(s.state, SubmissionState::Returned);
    assert_eq!(s.decision_note.as_deref(), Some("请核对数据来源"));
    assert_eq!(s.items[0].value, Some(330.0));
    store.submit(s.id, s.revision, &ME).unwrap();
    let applied = store.decide(s.id, true, None, s.revision + 1, &ME).unwrap();
    assert_eq!(applied.inserted, 1);
    let obs = store.observations(Some(id)).unwrap();
    assert_eq!(obs.len(), 1);
    assert_eq!(
        (obs[0].subject_id.as_str(), obs[0].year, obs[0].value),
        ("i1", 2023, 330.0)
    );
    assert_eq!(obs[0].source.as_deref(), Some("统计公报"));
    assert_eq!(obs[0].note.as_deref(), Some("稳步推进"));
    let why = store
        .history(id, Some("indicator:i1"))
        .unwrap()
        .into_iter()
        .filter(|h| h.table == "observations" && h.field == "value")
        .map(|h| h.why.unwrap_or_default())
        .collect::<Vec<_>>();
    assert_eq!(why.len(), 1);
    assert!(
        why[0].contains(&format!("round {rid} (县统计局)")),
        "{why:?}"
    );
    assert!(
        matches!(
            store.decide(s.id, true, None, s.revision + 2, &ME),
            Err(StoreError::Conflict(_))
        ),
        "approved once"
    );
    store.close_round(rid, &ME).unwrap();
    let forestry = &store.submissions(rid).unwrap()[0];
    assert!(
        matches!(
            store.save_items(forestry.id, std::slice::from_ref(&item), 1, &ME),
            Err(StoreError::Conflict(_))
        ),
        "closed round"
    );
    assert!(matches!(
        store.close_round(rid, &ME),
        Err(StoreError::Conflict(_))
    ));
    // A new round for the same year may be opened once the old one is closed.
    store
        .open_round(id, 2023, "2024-05-31", &deps, &ME)
        .unwrap();
    assert_eq!(store.rounds(Some(id)).unwrap().len(), 2);
}

#[test]
fn the_content_version_moves_with_what_public_pages_show() {
    backend::each(the_content_version_moves_with_what_public_pages_show_on);
}

fn the_content_version_moves_with_what_public_pages_show_on(b: &backend::Backend) {
    let (store, id) = library(b);
    let v0 = store.content_version().unwrap();
    assert!(v0 > 0, "adding the plan counted");
    // Staff-only writes leave it.
    store.add_department("统计局", &ME).unwrap();
    store.add_session(&"a".repeat(64), 1, "csrf", 3600).ok();
    assert_eq!(store.content_version().unwrap(), v0);
    // Publication, a value, a comment, a rating move it; reading does not.
    store.set_published(id, true, &ME).unwrap();
    let v1 = store.content_version().unwrap();
    assert!(v1 > v0);
    let _ = store.observations(Some(id)).unwrap();
    assert_eq!(store.content_version().unwrap(), v1);
    store
        .apply(
            &[Change::Observe {
                plan_id: id,
                kind: SubjectKind::Indicator,
                subject_id: "i7".into(),
                year: 2023,
                value: 21.0,
                source: None,
                note: None,
                expected_revision: None,
            }],
            &ME,
        )
        .unwrap();
    let v2 = store.content_version().unwrap();
    assert!(v2 > v1);
    store.rate(id, Rating::Satisfied, "addr").unwrap();
    let v3 = store.content_version().unwrap();
    assert!(v3 > v2);
    // Another process (another connection to the same file) sees the same number.
    let other = b.open();
    assert_eq!(other.content_version().unwrap(), v3);
    other.set_published(id, false, &ME).unwrap();
    assert!(
        store.content_version().unwrap() > v3,
        "a write elsewhere is seen"
    );
}

#[test]
fn api_tokens_act_as_their_user_until_revoked() {
    backend::each(api_tokens_act_as_their_user_until_revoked_on);
}

fn api_tokens_act_as_their_user_until_revoked_on(b: &backend::Backend) {
    let (store, _id) = library(b);
    let uid = store.add_user("script", None, None, &ME).unwrap();
    let id = store
        .add_api_token(uid, "hash-1", "统计局导入脚本", &ME)
        .unwrap();
    assert!(matches!(
        store.add_api_token(uid, "hash-1", "again", &ME),
        Err(StoreError::Db(_)) | Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.add_api_token(uid + 100, "hash-2", "nobody", &ME),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.api_token_user("hash-1").unwrap(), Some(uid));
    assert_eq!(store.api_token_user("hash-x").unwrap(), None);
    let listed = store.api_tokens().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].label, "统计局导入脚本");
    assert!(listed[0].last_used.is_some(), "use is noted");
    assert!(store.revoke_api_token(id, &ME).unwrap());
    assert!(!store.revoke_api_token(id, &ME).unwrap(), "revoked already");
    assert_eq!(store.api_token_user("hash-1").unwrap(), None);
    assert_eq!(
        store.api_tokens().unwrap()[0].revoked_by.as_deref(),
        Some("规划处")
    );
    assert!(matches!(
        store.revoke_api_token(999, &ME),
        Err(StoreError::NotFound(_))
    ));
}
