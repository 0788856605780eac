//! The plan as a table of cases: what was observed → what the publish does or what stops
//! it. No portal, no files.

use std::collections::BTreeMap;

use super::*;
use crate::byline::BylineOutcome;
use crate::media::PortalMedia;
use crate::outgoing::ImageKind;

const MARK: &str = "nr00000000000000000001";
const JOB: &str = "nr0000000000000000000f";

fn me(role: &str, caps: &[&str]) -> Me {
    Me {
        id: 3,
        login: "desk".into(),
        name: "Desk".into(),
        roles: vec![role.into()],
        capabilities: caps
            .iter()
            .map(|c| ((*c).to_owned(), true))
            .collect::<BTreeMap<_, _>>(),
    }
}

fn editor() -> Me {
    me(
        "editor",
        &["publish_posts", "upload_files", "edit_others_posts"],
    )
}

fn content(marker: &str) -> String {
    format!(
        "<!-- wp:paragraph {{\"{MARKER_ATTR}\":\"{marker}\"}} -->\n<p>x</p>\n<!-- /wp:paragraph -->"
    )
}

fn post(marker: &str, modified: &str) -> PortalPost {
    PortalPost {
        title: "Talks stall".into(),
        status: "publish".into(),
        modified_gmt: modified.into(),
        link: "https://news.example.org/talks/".into(),
        content_raw: content(marker),
    }
}

fn image(written: &str, featured: bool, alt: &str) -> ImageFile {
    ImageFile {
        written: written.into(),
        abs: written.into(),
        alt: alt.into(),
        featured,
        bytes: bytes::Bytes::new(),
        kind: ImageKind::Png,
    }
}

fn term(id: u64, name: &str) -> Term {
    Term {
        id,
        name: name.into(),
        slug: name.to_lowercase(),
    }
}

/// A draft "Talks stall" (approved, World, tag Minsk) that claims post 12 with our marker
/// and modified time, and a portal that shows post 12 as we left it.
fn observed() -> Observed {
    let text = "---\ntitle: Talks stall\nstatus: approved\ncategories: [World]\ntags: [Minsk]\n---\nBody\n";
    Observed {
        portal: "main".into(),
        base_url: "https://news.example.org".into(),
        user: "desk".into(),
        file: "/drafts/talks.md".into(),
        draft: Draft::parse(text).unwrap(),
        title: "Talks stall".into(),
        images: Vec::new(),
        record: Some(PortalRecord {
            name: "main".into(),
            url: "https://news.example.org".into(),
            post_id: Some(12),
            status: "publish".into(),
            modified_gmt: Some("2026-11-26T15:39:11".into()),
            marker: Some(MARK.into()),
            ..Default::default()
        }),
        job_marker: Some(JOB.into()),
        me: editor(),
        post: PostSeen {
            claimed: Some(12),
            on_portal: Some(post(MARK, "2026-11-26T15:39:11")),
            known: None,
            adoptable: None,
        },
        categories: vec![term(4, "World"), term(5, "Sport")],
        tags: vec![term(9, "Minsk")],
        media: MediaSeen::default(),
        native_footnotes: false,
        byline: Byline {
            outcome: BylineOutcome::NoAuthor,
            author_id: None,
            warning: None,
        },
    }
}

fn asked() -> Asked {
    Asked {
        status: None,
        overwrite: false,
        republish_new: false,
        now: time::macros::datetime!(2026-11-26 10:00 UTC),
    }
}

/// What the plan comes to, in one line per case: the post action or the stops' codes.
fn outcome(o: &Observed, a: &Asked) -> String {
    let p = plan(o, a);
    if !p.stops.is_empty() {
        let codes: Vec<&str> = p.stops.iter().map(PublishError::code).collect();
        return format!("stop {}", codes.join(","));
    }
    match p.target.post_id {
        Some(id) if p.target.adopted => format!("adopt {id} as {}", p.status),
        Some(id) => format!("update {id} as {} ({})", p.status, p.target.trusted_by),
        None => format!("create as {}", p.status),
    }
}

#[test]
fn which_post_with_which_status_or_what_stops_it() {
    type Case = (&'static str, fn(&mut Observed, &mut Asked), &'static str);
    let cases: Vec<Case> = vec![
        (
            "our post as we left it",
            |_, _| {},
            "update 12 as publish (marker)",
        ),
        (
            "nothing claimed: a new post, status from the draft",
            |o, _| {
                o.record = None;
                o.post = PostSeen::default();
            },
            "create as publish",
        ),
        (
            "nothing claimed, an interrupted attempt's post found",
            |o, _| {
                o.post = PostSeen {
                    adoptable: Some(40),
                    ..Default::default()
                }
            },
            "adopt 40 as publish",
        ),
        (
            "--republish-new ignores the claim",
            |o, a| {
                a.republish_new = true;
                o.post.adoptable = None;
            },
            "create as publish",
        ),
        (
            "a claim without our marker, unknown here",
            |o, _| o.post.on_portal = Some(post("nrsomebodyelse00000000", "2026-11-26T15:39:11")),
            "stop not_our_post",
        ),
        (
            "a claim without the marker, but published from here",
            |o, _| {
                o.post.on_portal = Some(post("nrsomebodyelse00000000", "2026-11-26T15:39:11"));
                o.post.known = Some(KnownPost {
                    origin: "published",
                    modified_gmt: None,
                });
            },
            "update 12 as publish (published)",
        ),
        (
            "the marker of another post's record does not count",
            |o, _| {
                if let Some(r) = o.record.as_mut() {
                    r.post_id = Some(99);
                }
            },
            "stop not_our_post",
        ),
        (
            "changed on the portal since our publish",
            |o, _| o.post.on_portal = Some(post(MARK, "2026-11-27T08:00:00")),
            "stop changed_on_portal",
        ),
        (
            "changed, but --overwrite",
            |o, a| {
                o.post.on_portal = Some(post(MARK, "2026-11-27T08:00:00"));
                a.overwrite = true;
            },
            "update 12 as publish (marker)",
        ),
        (
            "no modified time recorded counts as changed",
            |o, _| {
                if let Some(r) = o.record.as_mut() {
                    r.modified_gmt = None;
                }
            },
            "stop changed_on_portal",
        ),
        (
            "our own interrupted update (job marker) is not a change",
            |o, _| o.post.on_portal = Some(post(JOB, "2026-11-27T08:00:00")),
            "update 12 as publish (this job)",
        ),
        (
            "deleted on the portal",
            |o, _| o.post.on_portal = None,
            "stop deleted_on_portal",
        ),
        (
            "in the portal's trash",
            |o, _| {
                if let Some(p) = o.post.on_portal.as_mut() {
                    p.status = "trash".into();
                }
            },
            "stop deleted_on_portal",
        ),
        (
            "a contributor may not publish",
            |o, _| o.me = me("contributor", &[]),
            "stop forbidden",
        ),
        (
            "a contributor submits for review",
            |o, a| {
                o.me = me("contributor", &[]);
                a.status = Some(PostStatus::Pending);
            },
            "update 12 as pending (marker)",
        ),
        (
            "a future publish_at schedules",
            |o, _| {
                o.draft = Draft::parse(
                    "---\ntitle: T\nstatus: approved\ncategories: [World]\npublish_at: 2026-11-27T09:30:00+01:00\n---\nB\n",
                )
                .unwrap();
            },
            "update 12 as future (marker)",
        ),
        (
            "future asked without a date",
            |_, a| a.status = Some(PostStatus::Future),
            "stop invalid_argument",
        ),
        (
            "an unknown category",
            |o, _| o.categories = vec![term(5, "Sport")],
            "stop unknown_category",
        ),
        (
            "images need upload rights",
            |o, _| {
                o.me = me("editor", &["publish_posts"]);
                o.images = vec![image("images/a.png", false, "")];
                o.media.hashes = vec!["aa".into()];
            },
            "stop forbidden",
        ),
        (
            "every stop is listed, in order",
            |o, _| {
                o.me = me("contributor", &[]);
                o.post.on_portal = None;
                o.categories.clear();
            },
            "stop forbidden,deleted_on_portal,unknown_category",
        ),
    ];
    for (name, change, expected) in cases {
        let (mut o, mut a) = (observed(), asked());
        change(&mut o, &mut a);
        assert_eq!(outcome(&o, &a), expected, "case: {name}");
    }
}

#[test]
fn the_first_stop_is_the_error_and_the_summary_says_which_post() {
    let mut o = observed();
    let ok = plan(&o, &asked()).ready().unwrap();
    assert_eq!(
        ok.summary,
        "updates post 12, «Talks stall» as publish (the post carries this draft's marker)"
    );
    assert_eq!((ok.categories.clone(), ok.tags.clone()), (vec![4], vec![9]));
    o.post.on_portal = Some(post("nrother0000000000000000", "x"));
    let err = plan(&o, &asked()).ready().unwrap_err();
    assert_eq!(err.code(), "not_our_post");
    let msg = err.to_string();
    assert!(msg.contains("/drafts/talks.md"), "{msg}");
    assert!(msg.contains("post 12 «Talks stall»"), "{msg}");
}

#[test]
fn tags_the_portal_lacks_are_to_be_created_and_the_byline_warns() {
    let mut o = observed();
    o.draft = Draft::parse(
        "---\ntitle: T\ncategories: [world]\ntags: [minsk, Talks]\nauthor: Ana\n---\nB\n",
    )
    .unwrap();
    o.byline = Byline {
        outcome: BylineOutcome::MayNotAssign,
        author_id: None,
        warning: Some("byline: …".into()),
    };
    let p = plan(&o, &asked());
    assert!(p.stops.is_empty(), "{:?}", p.stops);
    assert_eq!(p.categories, vec![4], "case and slug do not matter");
    assert_eq!(p.tags, vec![9]);
    assert_eq!(p.tags_to_create, vec!["Talks".to_owned()]);
    assert_eq!(p.warnings, vec!["byline: …".to_owned()]);
    assert_eq!(p.author, None);
    o.byline = Byline {
        outcome: BylineOutcome::Assigned,
        author_id: Some(8),
        warning: None,
    };
    assert_eq!(plan(&o, &asked()).author, Some(8));
}

#[test]
fn images_are_reused_only_when_they_carry_our_marker_for_those_bytes() {
    let media = |id: u64, marked: Option<&str>, alt: &str| PortalMedia {
        id,
        url: format!("https://news.example.org/u/{id}.png"),
        alt: alt.into(),
        marked: marked.map(str::to_owned),
    };
    let mut o = observed();
    o.images = vec![
        image("images/a.png", false, ""),      // verified candidate, ours
        image("images/b.png", false, ""),      // candidate is somebody else's attachment
        image("images/c.png", true, "Minsk"),  // found by marker; featured, alt differs
        image("images/c-copy.png", false, ""), // same bytes as c
        image("images/d.png", false, ""),      // nowhere: upload
    ];
    o.media = MediaSeen {
        hashes: ["aa", "bb", "cc", "cc", "dd"].map(String::from).to_vec(),
        candidates: [("aa".to_owned(), 1), ("bb".to_owned(), 2)].into(),
        verified: [
            (1, media(1, Some("aa"), "")),
            (2, media(2, None, "their alt")),
        ]
        .into(),
        by_marker: [("cc".to_owned(), media(3, Some("cc"), "old"))].into(),
    };
    let steps = plan(&o, &asked()).image_steps;
    let got: Vec<(Vec<String>, ImageAction)> =
        steps.into_iter().map(|s| (s.paths, s.action)).collect();
    let reuse = |id: u64, set_alt: Option<&str>| ImageAction::Reuse {
        id,
        url: format!("https://news.example.org/u/{id}.png"),
        set_alt: set_alt.map(str::to_owned),
    };
    assert_eq!(
        got,
        vec![
            (vec!["images/a.png".to_owned()], reuse(1, None)),
            (vec!["images/b.png".to_owned()], ImageAction::Upload),
            (
                vec!["images/c.png".to_owned(), "images/c-copy.png".to_owned()],
                reuse(3, Some("Minsk"))
            ),
            (vec!["images/d.png".to_owned()], ImageAction::Upload),
        ]
    );
}

#[test]
fn raw_html_images_are_planned_with_the_markdown_ones_each_file_once() {
    // Read through the same door as a publish: the Markdown image and the raw `<img>`
    // of one file are one image; a copy with the same bytes is one upload.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join("world/images")).unwrap();
    std::fs::write(root.join("world/images/a.png"), b"\x89PNG\r\n\x1a\nA").unwrap();
    std::fs::write(root.join("world/images/a-copy.png"), b"\x89PNG\r\n\x1a\nA").unwrap();
    std::fs::write(root.join("world/images/c.gif"), b"GIF89a-c").unwrap();
    std::fs::write(
        root.join("world/talks.md"),
        "---\ntitle: Talks stall\nstatus: approved\ncategories: [World]\n---\n![Map](images/a.png)\n\n<figure>\n<img src=\"images/a.png\" alt=\"again\">\n<img src=\"images/a-copy.png\"><img src=\"images/c.gif\" alt=\"C\">\n<img src=\"https://cdn.example/r.png\">\n</figure>\n",
    )
    .unwrap();
    let (draft, _) = crate::local::read_draft(&root, "world/talks.md").unwrap();
    let files = crate::local::local_image_files(&draft, &root, "world/talks.md").unwrap();
    let mut o = observed();
    o.media.hashes = files
        .iter()
        .map(|f| newsroom_core::files::content_hash(&f.bytes))
        .collect();
    o.images = files;
    let p = plan(&o, &asked());
    assert!(p.stops.is_empty(), "{:?}", p.stops);
    assert!(
        p.summary.contains(", with 3 local image(s)"),
        "{}",
        p.summary
    );
    let got: Vec<(Vec<String>, ImageAction)> = p
        .image_steps
        .into_iter()
        .map(|s| (s.paths, s.action))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                vec!["images/a.png".to_owned(), "images/a-copy.png".to_owned()],
                ImageAction::Upload
            ),
            (vec!["images/c.gif".to_owned()], ImageAction::Upload),
        ]
    );
}
