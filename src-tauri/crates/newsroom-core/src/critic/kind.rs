//! What a mark is, and its delimiters: the bottom of `critic/`, used by the pairing
//! (`pair.rs`), the grammar (`mod.rs`) and the preview's tracked changes.

/// What a mark suggests.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkKind {
    Insertion,
    Deletion,
    Substitution,
    Highlight,
    Comment,
}

impl MarkKind {
    pub(crate) fn opener(self) -> &'static str {
        match self {
            MarkKind::Insertion => "{++",
            MarkKind::Deletion => "{--",
            MarkKind::Substitution => "{~~",
            MarkKind::Highlight => "{==",
            MarkKind::Comment => "{>>",
        }
    }

    pub(crate) fn closer(self) -> &'static str {
        match self {
            MarkKind::Insertion => "++}",
            MarkKind::Deletion => "--}",
            MarkKind::Substitution => "~~}",
            MarkKind::Highlight => "==}",
            MarkKind::Comment => "<<}",
        }
    }

    pub(super) fn index(self) -> usize {
        self as usize
    }

    /// The first letter of a mark's id (`i3f2a9c1b`).
    pub(super) fn id_prefix(self) -> char {
        match self {
            MarkKind::Insertion => 'i',
            MarkKind::Deletion => 'd',
            MarkKind::Substitution => 's',
            MarkKind::Highlight => 'h',
            MarkKind::Comment => 'c',
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MarkKind::Insertion => "insertion",
            MarkKind::Deletion => "deletion",
            MarkKind::Substitution => "substitution",
            MarkKind::Highlight => "highlight",
            MarkKind::Comment => "comment",
        }
    }
}

/// A delimiter of a mark, relative to the scanned body, for the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Delimiter {
    pub at: usize,
    pub len: usize,
    pub role: DelimiterRole,
}

/// What a delimiter does in the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DelimiterRole {
    Open(MarkKind),
    /// A substitution's `~>`.
    Separator,
    Close(MarkKind),
}
