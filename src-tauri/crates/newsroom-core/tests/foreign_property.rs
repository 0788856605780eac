//! Property: metadata edits to TOML and JSON front matter (Hugo's) never change the body,
//! take effect, keep the file's format and leave untouched keys as they were.

#![allow(clippy::unwrap_used)] // test helpers fail loudly

use newsroom_core::Draft;
use newsroom_core::front_matter_edit::{Change, apply};
use newsroom_core::yaml::Value;
use proptest::prelude::*;

fn body_strategy() -> impl Strategy<Value = String> {
    // Bodies that look like trouble: fences of every format, braces, CRLF.
    let line = prop_oneof![
        Just("+++".to_string()),
        Just("---".to_string()),
        Just("}".to_string()),
        Just("{".to_string()),
        Just("title = \"not front matter\"".to_string()),
        Just(String::new()),
        "[ -~]{0,40}",
        "\\PC{0,20}",
    ];
    prop::collection::vec(line, 0..10).prop_map(|lines| lines.join("\n"))
}

fn value_strategy() -> impl Strategy<Value = Value> {
    let scalar = prop_oneof![
        "\\PC{0,30}".prop_map(Value::Str),
        any::<i64>().prop_map(Value::Int),
        any::<bool>().prop_map(Value::Bool),
    ];
    prop_oneof![
        scalar.clone(),
        prop::collection::vec("\\PC{1,15}", 0..4)
            .prop_map(|v| Value::List(v.into_iter().map(Value::Str).collect())),
        prop::collection::vec(("[a-z_]{1,8}", scalar), 1..4).prop_map(|entries| {
            let mut seen = std::collections::HashSet::new();
            Value::Map(
                entries
                    .into_iter()
                    .filter(|(k, _)| seen.insert(k.clone()))
                    .collect(),
            )
        }),
    ]
}

fn change_strategy() -> impl Strategy<Value = Change> {
    let key = prop_oneof![
        Just("title"),
        Just("tags"),
        Just("author"),
        Just("x-desk-note"),
        Just("portal"),
        Just("draft"),
        Just("params"),
        Just("quoted key"),
    ];
    prop_oneof![
        (key.clone(), value_strategy()).prop_map(|(k, v)| Change::Set(k.to_string(), v)),
        key.prop_map(|k| Change::Remove(k.to_string())),
    ]
}

const TOML: &str = "+++\n# hugo new\ntitle = \"Harbour strike\"\ndraft = true # for now\nauthors = [\"A\", \"B\"]\nx-desk-note = \"keep\"\n\n[params]\n  source = \"wire\"\n+++\n";
const JSON: &str = "{\n    \"title\": \"Harbour strike\",\n    \"draft\": true,\n    \"authors\": [\"A\", \"B\"],\n    \"x-desk-note\": \"keep\",\n    \"params\": {\"source\": \"wire\"}\n}\n";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn toml_and_json_edits_keep_the_body_and_the_format(
        body in body_strategy(),
        json in any::<bool>(),
        crlf in any::<bool>(),
        changes in prop::collection::vec(change_strategy(), 1..5),
    ) {
        let front = if json { JSON } else { TOML };
        let mut text = format!("{front}{body}");
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let draft = Draft::parse(&text).unwrap();
        let new_text = match apply(&draft, &changes) {
            Ok(t) => t,
            Err(e) => {
                // Refusing is allowed only for a value of the wrong type for a known key.
                prop_assert!(e.message.contains("should be"), "{e}");
                return Ok(());
            }
        };
        let reparsed = Draft::parse(&new_text).expect("edited draft parses");
        prop_assert_eq!(reparsed.body(), draft.body());
        prop_assert_eq!(reparsed.layout().format, draft.layout().format);
        prop_assert_eq!(reparsed.layout().line_ending, draft.layout().line_ending);
        if crlf {
            prop_assert!(!new_text.replace("\r\n", "").contains('\n'), "{new_text:?}");
        }
        let mut expected: Vec<(String, Option<Value>)> = Vec::new();
        for c in &changes {
            let (k, v) = match c {
                Change::Set(k, v) => (k.clone(), Some(v.clone())),
                Change::Remove(k) => (k.clone(), None),
            };
            expected.retain(|(ek, _)| *ek != k);
            expected.push((k, v));
        }
        for (k, v) in &expected {
            prop_assert_eq!(reparsed.front_matter_value(k), v.as_ref(), "key {} in {:?}", k, new_text);
        }
        if !expected.iter().any(|(k, _)| k == "x-desk-note") {
            prop_assert_eq!(reparsed.front_matter_value("x-desk-note"), Some(&Value::Str("keep".into())));
        }
        // Applying the same changes again writes nothing.
        prop_assert_eq!(apply(&reparsed, &changes).unwrap(), new_text);
    }
}
