//! Property: metadata edits never change the body, whatever the body and front matter.

#![allow(clippy::unwrap_used)] // test helpers fail loudly

use newsroom_core::Draft;
use newsroom_core::front_matter_edit::{Change, apply};
use newsroom_core::yaml::Value;
use proptest::prelude::*;

fn body_strategy() -> impl Strategy<Value = String> {
    // Bodies that look like trouble: fences, `---` lines, CRLF, BOMs, YAML-ish lines.
    let line = prop_oneof![
        Just("---".to_string()),
        Just("...".to_string()),
        Just("title: not front matter".to_string()),
        Just(String::new()),
        Just("> quote".to_string()),
        "[ -~]{0,40}",
        "\\PC{0,20}",
    ];
    (prop::collection::vec(line, 0..12), any::<bool>()).prop_map(|(lines, crlf)| {
        let le = if crlf { "\r\n" } else { "\n" };
        lines.join(le)
    })
}

fn value_strategy() -> impl Strategy<Value = Value> {
    prop_oneof![
        "\\PC{0,30}".prop_map(Value::Str),
        prop::collection::vec("\\PC{1,15}", 0..4)
            .prop_map(|v| Value::List(v.into_iter().map(Value::Str).collect())),
        any::<i64>().prop_map(Value::Int),
        Just(Value::Bool(true)),
    ]
}

fn change_strategy() -> impl Strategy<Value = Change> {
    let key = prop_oneof![
        Just("title"),
        Just("tags"),
        Just("categories"),
        Just("excerpt"),
        Just("x-desk-note"),
        Just("portal"),
        Just("slug"),
    ];
    prop_oneof![
        (key.clone(), value_strategy()).prop_map(|(k, v)| Change::Set(k.to_string(), v)),
        key.prop_map(|k| Change::Remove(k.to_string())),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn edits_keep_the_body(
        body in body_strategy(),
        with_front_matter in any::<bool>(),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        changes in prop::collection::vec(change_strategy(), 1..5),
    ) {
        let le = if crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        if bom { text.push('\u{feff}'); }
        if with_front_matter {
            text.push_str(&format!("---{le}title: Minsk talks{le}# a comment{le}tags: [Belarus]{le}x-desk-note: keep{le}---{le}"));
        }
        text.push_str(&body);
        // Only drafts that parse can be edited; skip the rest (e.g. a body that is empty).
        let Ok(draft) = Draft::parse(&text) else { return Ok(()) };
        // A body that begins with `---` and no front matter would become front matter:
        // those are exactly the drafts whose body must still come through unchanged.
        let new_text = match apply(&draft, &changes) {
            Ok(t) => t,
            Err(e) => {
                // Refusing is allowed only for a value of the wrong type for a known key
                // (`excerpt: [a, b]`), with a message that says so.
                prop_assert!(e.message.contains("should be"), "{e}");
                return Ok(());
            }
        };
        let reparsed = Draft::parse(&new_text).expect("edited draft parses");
        prop_assert_eq!(reparsed.body(), draft.body());
        prop_assert_eq!(reparsed.layout().bom, draft.layout().bom);
        // Every change took effect.
        let mut expected: Vec<(String, Option<Value>)> = Vec::new();
        for c in &changes {
            let (k, v) = match c { Change::Set(k, v) => (k.clone(), Some(v.clone())), Change::Remove(k) => (k.clone(), None) };
            expected.retain(|(ek, _)| *ek != k);
            expected.push((k, v));
        }
        for (k, v) in expected {
            prop_assert_eq!(reparsed.front_matter_value(&k), v.as_ref(), "key {}", k);
        }
        // Keys nobody touched are still there.
        if with_front_matter && !changes.iter().any(|c| matches!(c, Change::Set(k, _) | Change::Remove(k) if k == "x-desk-note")) {
            prop_assert_eq!(reparsed.front_matter_value("x-desk-note"), Some(&Value::Str("keep".into())));
        }
    }
}

/// Found by the property above (seed cc b43eded2…): a front matter that is one anchored
/// scalar (`&0,`), not a mapping. Setting a key must either refuse with a message that
/// says what the key should be, or give a draft whose front matter has the key.
#[test]
fn a_front_matter_that_is_an_anchored_scalar_is_edited_or_refused_clearly() {
    let text = "---\n&0, \n---";
    let Ok(draft) = Draft::parse(text) else {
        return;
    };
    match apply(
        &draft,
        &[Change::Set("title".into(), Value::Str(String::new()))],
    ) {
        Ok(new_text) => {
            let reparsed = Draft::parse(&new_text).expect("edited draft parses");
            assert_eq!(reparsed.body(), draft.body());
            assert_eq!(
                reparsed.front_matter_value("title"),
                Some(&Value::Str(String::new())),
                "{new_text:?}"
            );
        }
        Err(e) => assert!(e.message.contains("should be"), "{e}"),
    }
}
