//! Which revisions of a draft the store keeps: the retention policy and the byte budget.
//!
//! Every version saved or seen is stored, so a draft edited all day by another program
//! (a sync tool, a hostile colleague rewriting a 5 MB file a byte at a time) would grow
//! the index without end. After each new revision the store thins the draft's history:
//!
//! - everything from the last [`KEEP_ALL_DAYS`] days;
//! - then, up to [`KEEP_DAILY_DAYS`] days back, the last revision of each day (UTC);
//! - older, the last revision of each week;
//! - always the newest, and every revision written by a restore (a deliberate act the
//!   desk may need to retrace);
//!
//! and then, oldest first, drops kept revisions until the draft's revisions hold at most
//! [`BUDGET_BYTES`], never the newest. Days and weeks are fixed calendar buckets, not
//! counted from now, so a revision kept as its day's last stays kept as time passes until
//! its week is thinned in turn.

use super::{Revision, RevisionSource};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
const WEEK_MS: i64 = 7 * DAY_MS;

/// Every revision younger than this is kept.
pub const KEEP_ALL_DAYS: i64 = 7;
/// Up to this age, one revision a day; older, one a week.
pub const KEEP_DAILY_DAYS: i64 = 91;
/// Most bytes of text one draft's revisions may hold (the newest is kept regardless).
pub const BUDGET_BYTES: usize = 64 * 1024 * 1024;

/// The revisions of one draft to delete under the policy, given all of them and the
/// time now. Pure, so the clock is the caller's and tests choose it.
pub fn to_prune(revisions: &[Revision], now_ms: i64, budget_bytes: usize) -> Vec<i64> {
    let mut newest_first: Vec<&Revision> = revisions.iter().collect();
    newest_first.sort_by_key(|r| std::cmp::Reverse((r.created_ms, r.id)));

    // Calendar days and weeks already represented by a newer revision.
    let mut days = std::collections::HashSet::new();
    let mut weeks = std::collections::HashSet::new();
    let mut kept: Vec<&Revision> = Vec::with_capacity(newest_first.len());
    let mut pruned = Vec::new();
    for (i, rev) in newest_first.iter().enumerate() {
        let age = now_ms.saturating_sub(rev.created_ms);
        let day = rev.created_ms.div_euclid(DAY_MS);
        let week = rev.created_ms.div_euclid(WEEK_MS);
        let pinned = i == 0 || rev.source == RevisionSource::Restore;
        let keep = if pinned || age < KEEP_ALL_DAYS * DAY_MS {
            true
        } else if age < KEEP_DAILY_DAYS * DAY_MS {
            !days.contains(&day)
        } else {
            !weeks.contains(&week)
        };
        days.insert(day);
        weeks.insert(week);
        if keep {
            kept.push(rev);
        } else {
            pruned.push(rev.id);
        }
    }

    let mut held: usize = kept.iter().map(|r| r.bytes).sum();
    // Oldest first; `kept[0]` is the newest and stays.
    for rev in kept.iter().skip(1).rev() {
        if held <= budget_bytes {
            break;
        }
        held -= rev.bytes;
        pruned.push(rev.id);
    }
    pruned
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-02 12:00 UTC.
    const NOW: i64 = 1_796_212_800_000;
    const HOUR_MS: i64 = 60 * 60 * 1000;

    fn rev(id: i64, created_ms: i64, source: RevisionSource, bytes: usize) -> Revision {
        Revision {
            id,
            hash: format!("h{id}"),
            created_ms,
            source,
            bytes,
            words: 0,
        }
    }

    fn survivors(revs: &[Revision], now: i64, budget: usize) -> Vec<i64> {
        let pruned = to_prune(revs, now, budget);
        let mut ids: Vec<i64> = revs
            .iter()
            .map(|r| r.id)
            .filter(|id| !pruned.contains(id))
            .collect();
        ids.sort_unstable();
        ids
    }

    #[test]
    fn the_last_week_is_kept_whole() {
        // One save an hour for the last six days.
        let revs: Vec<_> = (0..144)
            .map(|h| rev(h, NOW - h * HOUR_MS, RevisionSource::Save, 100))
            .collect();
        assert!(to_prune(&revs, NOW, BUDGET_BYTES).is_empty());
    }

    #[test]
    fn older_history_thins_to_the_last_of_each_day_then_of_each_week() {
        // Four saves a day (at 01, 07, 13 and 19 h UTC) for 200 days.
        let midnight = NOW.div_euclid(DAY_MS) * DAY_MS;
        let mut revs = Vec::new();
        for day in 0..200 {
            for (k, hour) in [1, 7, 13, 19].into_iter().enumerate() {
                let at = midnight - day * DAY_MS + hour * HOUR_MS;
                if at <= NOW {
                    revs.push(rev(day * 4 + k as i64, at, RevisionSource::Save, 10));
                }
            }
        }
        let kept = survivors(&revs, NOW, BUDGET_BYTES);
        let last_in = |r: &Revision, bucket: i64| {
            revs.iter()
                .filter(|o| o.created_ms.div_euclid(bucket) == r.created_ms.div_euclid(bucket))
                .all(|o| o.created_ms <= r.created_ms)
        };
        for r in &revs {
            let age = NOW - r.created_ms;
            let expected = if age < KEEP_ALL_DAYS * DAY_MS {
                true
            } else if age < KEEP_DAILY_DAYS * DAY_MS {
                last_in(r, DAY_MS)
            } else {
                last_in(r, WEEK_MS)
            };
            assert_eq!(
                kept.contains(&r.id),
                expected,
                "revision {} aged {age} ms",
                r.id
            );
        }
        // Days 7 to 90 keep their 19 h save only; about 16 weeks keep one each.
        assert!(kept.contains(&(30 * 4 + 3)) && !kept.contains(&(30 * 4 + 2)));
        let weekly = kept.iter().filter(|id| **id >= KEEP_DAILY_DAYS * 4).count();
        assert!((15..=17).contains(&weekly), "{weekly}");
    }

    #[test]
    fn thinning_is_stable_as_time_passes() {
        // What is kept now is still kept an hour later, unless its week has been thinned.
        let revs: Vec<_> = (0..400)
            .map(|h| rev(h, NOW - h * 7 * HOUR_MS, RevisionSource::External, 1))
            .collect();
        let now_kept = survivors(&revs, NOW, BUDGET_BYTES);
        let remaining: Vec<_> = revs
            .iter()
            .filter(|r| now_kept.contains(&r.id))
            .cloned()
            .collect();
        let later = survivors(&remaining, NOW + HOUR_MS, BUDGET_BYTES);
        assert_eq!(later, survivors(&revs, NOW + HOUR_MS, BUDGET_BYTES));
    }

    #[test]
    fn the_newest_and_restores_survive_thinning() {
        let revs = vec![
            rev(1, NOW - 300 * DAY_MS, RevisionSource::Save, 10),
            rev(2, NOW - 300 * DAY_MS + 1, RevisionSource::Restore, 10),
            rev(3, NOW - 300 * DAY_MS + 2, RevisionSource::Save, 10),
            rev(4, NOW - 200 * DAY_MS, RevisionSource::External, 10),
        ];
        // 3 is the last of its week, 2 is a restore, 4 the newest (however old).
        assert_eq!(survivors(&revs, NOW, BUDGET_BYTES), vec![2, 3, 4]);
    }

    #[test]
    fn the_budget_drops_the_oldest_first_and_never_the_newest() {
        let revs: Vec<_> = (0..10)
            .map(|i| rev(i, NOW - (10 - i) * HOUR_MS, RevisionSource::Save, 100))
            .collect();
        assert_eq!(survivors(&revs, NOW, 350), vec![7, 8, 9]);
        assert_eq!(survivors(&revs, NOW, 1_000), (0..10).collect::<Vec<_>>());
        // A newest revision larger than the budget is all that is left.
        let mut big = revs.clone();
        big.push(rev(10, NOW, RevisionSource::Save, 5_000));
        assert_eq!(survivors(&big, NOW, 1_000), vec![10]);
    }
}
