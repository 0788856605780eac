//! One change to a draft's front matter, the unit of every metadata edit. Kept apart from
//! `front_matter_edit` so that the readers and writers of each format (YAML, TOML, JSON)
//! can take changes without reaching the draft above them.

use crate::yaml::Value;

/// One change to a draft's front matter.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Set(String, Value),
    Remove(String),
}

impl Change {
    pub fn set(key: impl Into<String>, value: Value) -> Self {
        Change::Set(key.into(), value)
    }

    pub fn set_text(key: impl Into<String>, value: impl Into<String>) -> Self {
        Change::Set(key.into(), Value::Str(value.into()))
    }

    pub fn set_list<I: IntoIterator<Item = S>, S: Into<String>>(
        key: impl Into<String>,
        items: I,
    ) -> Self {
        Change::Set(
            key.into(),
            Value::List(items.into_iter().map(|s| Value::Str(s.into())).collect()),
        )
    }

    pub(crate) fn key(&self) -> &str {
        match self {
            Change::Set(k, _) | Change::Remove(k) => k,
        }
    }
}
