//! Merging two versions of a draft the way a desk would, against their common base.
//!
//! - the body merges line-wise (the caller's line merge: `git merge-file`);
//! - the front matter merges key by key: a key changed on one side only takes that
//!   change; `tags` and `categories` take both sides' additions and removals; the
//!   `review:` trail is the union of both sides' entries in time order, and `status`
//!   follows the latest transition of that merged trail; the `portal:` bookkeeping keeps
//!   the record with the later `modified_gmt`;
//! - anything else changed differently on both sides is a true conflict: the caller keeps
//!   ours in the draft and writes theirs as a conflict copy. No conflict marker is ever
//!   part of a merged text.
//!
//! The merged front matter is written with the core's front-matter editing
//! (`front_matter_edit::apply` on our text), so the file keeps its format: YAML, TOML or
//! JSON, its quoting, comments, key order and line endings.

use newsroom_core::Draft;
use newsroom_core::front_matter_edit::{self, Change};
use newsroom_core::review::workflow::TRAIL_KEY;
use newsroom_core::yaml::Value;

use crate::error::Result;

/// Lists of terms merged as sets.
const SET_KEYS: &[&str] = &["tags", "categories"];
/// The publish bookkeeping: one record, the later one wins.
const PORTAL_KEY: &str = "portal";
const STATUS_KEY: &str = "status";

/// The result of merging one draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merged {
    /// The merged text.
    Clean(String),
    /// The sides disagree (`why` says where): keep ours, theirs becomes a conflict copy.
    Conflict { why: String },
}

/// Merges `ours` and `theirs` against `base` (`None` when both sides added the file).
/// `lines` is the three-way line merge (base, ours, theirs) → `None` on overlap.
pub fn merge_draft(
    base: Option<&str>,
    ours: &str,
    theirs: &str,
    lines: impl Fn(&str, &str, &str) -> Result<Option<String>>,
) -> Result<Merged> {
    if ours == theirs || base == Some(theirs) {
        return Ok(Merged::Clean(ours.to_owned()));
    }
    if base == Some(ours) {
        return Ok(Merged::Clean(theirs.to_owned()));
    }
    let whole_text = |why: &str| -> Result<Merged> {
        Ok(match lines(base.unwrap_or(""), ours, theirs)? {
            Some(text) => Merged::Clean(text),
            None => Merged::Conflict {
                why: why.to_owned(),
            },
        })
    };
    let (Ok(o), Ok(t)) = (Draft::parse(ours), Draft::parse(theirs)) else {
        return whole_text("the same lines changed on both sides (a draft that does not parse)");
    };
    let b = base.and_then(|b| Draft::parse(b).ok());
    if o.layout().format != t.layout().format
        || o.yaml_document().is_some() != t.yaml_document().is_some()
    {
        return whole_text("the same lines changed on both sides");
    }
    let base_body = b.as_ref().map_or("", Draft::body);
    let Some(body) = lines(base_body, o.body(), t.body())? else {
        return Ok(Merged::Conflict {
            why: "the same lines of the text changed on both sides".into(),
        });
    };
    // The front matter as text: changed on one side only, that side's lines are taken
    // as they are (its quoting and list style too).
    let head = |d: &Draft| d.text()[..d.layout().body_start].to_owned();
    let base_head = b.as_ref().map(head);
    let (ours_head, theirs_head) = (head(&o), head(&t));
    if theirs_head == ours_head || base_head.as_ref() == Some(&theirs_head) {
        return Ok(Merged::Clean(ours_head + &body));
    }
    if base_head.as_ref() == Some(&ours_head) {
        return Ok(Merged::Clean(theirs_head + &body));
    }
    let changes = match merge_front_matter(b.as_ref(), &o, &t) {
        Ok(changes) => changes,
        Err(key) => {
            return Ok(Merged::Conflict {
                why: format!("`{key}` changed differently on both sides"),
            });
        }
    };
    let mut text = String::with_capacity(ours.len() + body.len());
    text.push_str(&ours[..o.layout().body_start]);
    text.push_str(&body);
    if changes.is_empty() {
        return Ok(Merged::Clean(text));
    }
    let invalid =
        |e: newsroom_core::DraftError| newsroom_core::CoreError::InvalidArgument(e.to_string());
    let with_body = Draft::parse(&text).map_err(invalid)?;
    let merged = front_matter_edit::apply(&with_body, &changes).map_err(invalid)?;
    // When git's line merge of the front matter says the same, its text is kept: both
    // sides' lines as they wrote them, instead of the edit's style for a changed key.
    if let Some(line_head) = lines(base_head.as_deref().unwrap_or(""), &ours_head, &theirs_head)? {
        let candidate = line_head + &body;
        if let (Ok(a), Ok(m)) = (Draft::parse(&candidate), Draft::parse(&merged)) {
            if same_front_matter(&a, &m) {
                return Ok(Merged::Clean(candidate));
            }
        }
    }
    Ok(Merged::Clean(merged))
}

/// Same keys with the same values (order aside).
fn same_front_matter(a: &Draft, b: &Draft) -> bool {
    let (ka, kb) = (keys(a), keys(b));
    ka.len() == kb.len()
        && ka
            .iter()
            .all(|k| a.front_matter_value(k) == b.front_matter_value(k))
}

/// The top-level keys of a draft's front matter, in file order.
fn keys(d: &Draft) -> Vec<String> {
    match d.yaml_document().map(|doc| &doc.root) {
        Some(Value::Map(entries)) => entries.iter().map(|(k, _)| k.clone()).collect(),
        _ => Vec::new(),
    }
}

/// The changes that turn our front matter into the merged one, or the key both sides
/// changed differently.
fn merge_front_matter(b: Option<&Draft>, o: &Draft, t: &Draft) -> Result<Vec<Change>, String> {
    let mut all = keys(o);
    for k in keys(t) {
        if !all.contains(&k) {
            all.push(k);
        }
    }
    let value = |d: Option<&Draft>, k: &str| d.and_then(|d| d.front_matter_value(k)).cloned();
    let mut merged: Vec<(String, Option<Value>)> = Vec::new();
    let mut trail_merged = false;
    let mut status_conflict = false;
    for key in &all {
        let (bv, ov, tv) = (value(b, key), value(Some(o), key), value(Some(t), key));
        let m = if ov == tv || bv == tv {
            ov
        } else if bv == ov {
            tv
        } else if SET_KEYS.contains(&key.as_str()) {
            Some(merge_set(bv.as_ref(), ov.as_ref(), tv.as_ref()).ok_or_else(|| key.clone())?)
        } else if key == TRAIL_KEY {
            trail_merged = true;
            Some(merge_trail(ov.as_ref(), tv.as_ref()).ok_or_else(|| key.clone())?)
        } else if key == PORTAL_KEY {
            later_portal(ov, tv).ok_or_else(|| key.clone())?
        } else if key == STATUS_KEY {
            status_conflict = true;
            ov
        } else {
            return Err(key.clone());
        };
        merged.push((key.clone(), m));
    }
    if trail_merged || status_conflict {
        let last_to = merged
            .iter()
            .find(|(k, _)| k == TRAIL_KEY)
            .and_then(|(_, v)| match v {
                Some(Value::List(items)) => items.last().and_then(|e| e.get("to")).cloned(),
                _ => None,
            });
        match (last_to, status_conflict) {
            (Some(to), _) => {
                if let Some(slot) = merged.iter_mut().find(|(k, _)| k == STATUS_KEY) {
                    slot.1 = Some(to);
                } else {
                    merged.push((STATUS_KEY.to_owned(), Some(to)));
                }
            }
            (None, true) => return Err(STATUS_KEY.to_owned()),
            (None, false) => {}
        }
    }
    Ok(merged
        .into_iter()
        .filter(|(k, v)| o.front_matter_value(k) != v.as_ref())
        .map(|(k, v)| match v {
            Some(v) => Change::Set(k, v),
            None => Change::Remove(k),
        })
        .collect())
}

fn items(v: Option<&Value>) -> Option<Vec<Value>> {
    match v {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::List(items)) => Some(items.clone()),
        Some(_) => None,
    }
}

/// Ours, less what theirs removed from the base, plus what theirs added (in their order).
fn merge_set(b: Option<&Value>, o: Option<&Value>, t: Option<&Value>) -> Option<Value> {
    let (b, o, t) = (items(b)?, items(o)?, items(t)?);
    let mut out: Vec<Value> = o
        .into_iter()
        .filter(|x| !b.contains(x) || t.contains(x))
        .collect();
    for x in t {
        if !b.contains(&x) && !out.contains(&x) {
            out.push(x);
        }
    }
    Some(Value::List(out))
}

/// When a trail entry was made, for ordering (RFC 3339; unreadable times sort last).
fn entry_time(entry: &Value) -> i128 {
    entry
        .get("at")
        .and_then(Value::scalar_text)
        .and_then(|at| newsroom_core::front_matter::parse_rfc3339(&at).ok())
        .map_or(i128::MAX, |t| t.unix_timestamp_nanos())
}

/// Both sides' entries, each once, in time order (a stable sort: equal times keep ours first).
fn merge_trail(o: Option<&Value>, t: Option<&Value>) -> Option<Value> {
    let (o, t) = (items(o)?, items(t)?);
    let mut out = o;
    for e in t {
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out.sort_by_key(entry_time);
    Some(Value::List(out))
}

/// The portal record with the later `modified_gmt` (WordPress's UTC time without an
/// offset, which orders as text); `None` when that does not decide.
fn later_portal(o: Option<Value>, t: Option<Value>) -> Option<Option<Value>> {
    let when = |v: &Option<Value>| {
        v.as_ref()
            .and_then(|v| v.get("modified_gmt"))
            .and_then(Value::scalar_text)
    };
    match (when(&o), when(&t)) {
        (Some(a), Some(b)) if a > b => Some(o),
        (Some(a), Some(b)) if b > a => Some(t),
        (Some(_), None) => Some(o),
        (None, Some(_)) => Some(t),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
