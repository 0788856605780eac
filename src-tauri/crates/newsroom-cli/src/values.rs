//! The closed sets of the command line as clap `ValueEnum`s, so that `--help`, the man
//! page and shell completion list every value with what it means. The core's types have
//! no clap in them (the core is also built for WebAssembly); these wrappers add it, and
//! their exhaustive `match`es make a new status a compile error here until it is described.
//!
//! Values are parsed by the core's own `FromStr` ([`CoreValue`]): as lenient as the app
//! (`In_Review` is `in-review`) and with its messages ("use reporter, editor or desk").

use std::marker::PhantomData;

use clap::ValueEnum;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use newsroom_core::front_matter::Status;
use newsroom_core::review::workflow::Role;
use newsroom_publish::PostStatus;

/// A value listed by its `ValueEnum` (help, man page, completion) and parsed by the
/// core's `FromStr`.
pub trait FromCore: Sized {
    fn from_core(s: &str) -> Result<Self, String>;
}

impl FromCore for StatusArg {
    fn from_core(s: &str) -> Result<Self, String> {
        s.parse().map(StatusArg)
    }
}

impl FromCore for RoleArg {
    fn from_core(s: &str) -> Result<Self, String> {
        s.parse().map(RoleArg)
    }
}

impl FromCore for PostStatusArg {
    fn from_core(s: &str) -> Result<Self, String> {
        s.parse()
            .map(PostStatusArg)
            .map_err(|e: newsroom_publish::PublishError| e.to_string())
    }
}

/// The clap value parser of a [`FromCore`] value: `#[arg(value_parser = CoreValue::<RoleArg>::new())]`.
#[derive(Clone)]
pub struct CoreValue<T>(PhantomData<fn() -> T>);

impl<T> CoreValue<T> {
    pub fn new() -> Self {
        CoreValue(PhantomData)
    }
}

impl<T: ValueEnum + FromCore + Clone + Send + Sync + 'static> TypedValueParser for CoreValue<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let name = arg.map_or_else(|| "value".to_owned(), |a| a.to_string());
        let text = value.to_str().ok_or_else(|| {
            clap::Error::raw(ErrorKind::InvalidUtf8, format!("{name}: not UTF-8\n")).with_cmd(cmd)
        })?;
        T::from_core(text).map_err(|msg| {
            clap::Error::raw(ErrorKind::InvalidValue, format!("{name}: {msg}\n")).with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            T::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

/// A draft's status in the review workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusArg(pub Status);

impl ValueEnum for StatusArg {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            StatusArg(Status::Draft),
            StatusArg(Status::InReview),
            StatusArg(Status::ChangesRequested),
            StatusArg(Status::Approved),
            StatusArg(Status::Scheduled),
            StatusArg(Status::Published),
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self.0 {
            Status::Draft => "being written; only its reporter works on it",
            Status::InReview => "submitted, waiting for an editor",
            Status::ChangesRequested => "sent back to the reporter with a note",
            Status::Approved => "approved by an editor, waiting for the desk",
            Status::Scheduled => "on the portal, to appear at its publish_at time",
            Status::Published => "on the portal",
        };
        Some(PossibleValue::new(self.0.as_str()).help(help))
    }
}

/// Who is acting in the review workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleArg(pub Role);

impl ValueEnum for RoleArg {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            RoleArg(Role::Reporter),
            RoleArg(Role::Editor),
            RoleArg(Role::Desk),
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self.0 {
            Role::Reporter => "writes drafts and submits them for review",
            Role::Editor => "approves drafts or requests changes",
            Role::Desk => "publishes and schedules approved pieces",
        };
        Some(PossibleValue::new(self.0.as_str()).help(help))
    }
}

/// The status a post gets on the portal (WordPress's own names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PostStatusArg(pub PostStatus);

impl ValueEnum for PostStatusArg {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            PostStatusArg(PostStatus::Draft),
            PostStatusArg(PostStatus::Pending),
            PostStatusArg(PostStatus::Publish),
            PostStatusArg(PostStatus::Future),
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self.0 {
            PostStatus::Draft => "a draft on the portal, not public",
            PostStatus::Pending => "waiting for review on the portal",
            PostStatus::Publish => "public now",
            PostStatus::Future => "public at the draft's publish_at time",
        };
        Some(PossibleValue::new(self.0.as_str()).help(help))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_and_role_is_offered_under_the_name_the_core_parses() {
        let statuses: Vec<Status> = StatusArg::value_variants().iter().map(|s| s.0).collect();
        assert_eq!(statuses, Status::ALL.to_vec());
        let roles: Vec<Role> = RoleArg::value_variants().iter().map(|r| r.0).collect();
        assert_eq!(roles, Role::ALL.to_vec());
        for s in StatusArg::value_variants() {
            let name = s.to_possible_value().unwrap().get_name().to_owned();
            assert_eq!(name.parse::<Status>(), Ok(s.0));
        }
        for r in RoleArg::value_variants() {
            let name = r.to_possible_value().unwrap().get_name().to_owned();
            assert_eq!(name.parse::<Role>(), Ok(r.0));
        }
        for p in PostStatusArg::value_variants() {
            let name = p.to_possible_value().unwrap().get_name().to_owned();
            assert_eq!(name.parse::<PostStatus>().ok(), Some(p.0));
        }
        // as lenient as the app
        assert_eq!(
            StatusArg::from_core("In_Review"),
            Ok(StatusArg(Status::InReview))
        );
        assert!(
            RoleArg::from_core("chief")
                .unwrap_err()
                .contains("reporter, editor or desk")
        );
    }
}
