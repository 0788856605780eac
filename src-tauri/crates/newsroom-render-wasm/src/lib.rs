//! The preview renderer for the app's page, built for `wasm32-unknown-unknown`.
//!
//! Why: a keystroke's preview spent ≈ 18 ms in Tauri's IPC while the window repaints (1 ms
//! on an idle window), for a render that takes Rust ≈ 1 ms (5,000 words). Running the very
//! same core code ([`newsroom_core::render::render_draft`]) in the page removes the round
//! trip. `render_preview` over IPC stays the reference and the fallback.
//!
//! The interface is a few plain exports, no bindings generator: the page asks
//! [`input_buffer`] for room, writes `asset base ‖ path ‖ text` into it as UTF-8, calls
//! [`render`] with the three lengths and two flags (source positions; remote images, the
//! user's choice for this draft, `0` holds them back), and reads [`output_len`] bytes at
//! [`output_ptr`]: JSON, `{"ok": Preview}` (the IPC command's answer, same shape, but its
//! `html` empty) or `{"err": "…"}`, then the preview's HTML as UTF-8, the last
//! [`output_html_len`] bytes. Both buffers are reused across calls, so a keystroke allocates
//! nothing new once the largest draft has been seen.
//!
//! The module keeps the last preview's state between calls ([`IncrementalPreview`]), so a
//! keystroke re-renders only the pieces of the body it changed; the answer is still
//! [`newsroom_core::render::render_draft`]'s, byte for byte (the core's property test checks it).
//!
//! The page's own preview goes through [`render_page`] and [`render_edit`] instead
//! ([`PagePreview`]): the module keeps the text, so a keystroke sends only its edit, and
//! answers with only the pieces of the body that changed and the line shift below them
//! (`{"ok": Preview, "generation": n, "delta": {…}}`, the pieces' HTML after the JSON), or
//! the whole page when the page cannot follow (`{"ok": …, "generation": n, "pieces": […]}`,
//! the page's HTML after it). `render` stays for a one-off render (a revision checked), with
//! its own state, so it never disturbs the page's.
//!
//! [`front_matter`] reads a draft's front matter the same way (the text alone in the input
//! buffer): `{"ok": FrontMatter}` or `{"err": DraftError}`, the core's own reading, so the
//! page's metadata panel never needs a YAML parser of its own.

use std::cell::RefCell;

use newsroom_core::front_matter::FrontMatter;
use newsroom_core::render::{
    BodyDelta, IncrementalPreview, PageAnswer, PagePreview, Preview, TextEdit, url_policy,
};
use newsroom_core::{Draft, DraftError};
use utf16::{Utf16Index, utf16_len, utf16_to_byte};

mod utf16;

thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The HTML's length at the end of the last answer ([`output_html_len`]).
    static HTML_LEN: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// The last preview's pieces, reused by the next keystroke's.
    static PREVIEW: RefCell<IncrementalPreview> = RefCell::new(IncrementalPreview::new());
    /// The page's preview ([`render_page`], [`render_edit`]), the text it was last of and
    /// that text's UTF-16 offsets.
    static PAGE: RefCell<Page> = RefCell::new(Page::default());
}

/// What the module keeps of the page's preview between keystrokes.
#[derive(Default)]
struct Page {
    preview: PagePreview,
    text: String,
    index: Utf16Index,
}

/// What the page gets back.
#[derive(serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Ok(Preview),
    Err(String),
}

/// What [`front_matter`] answers.
#[derive(serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FrontMatterAnswer {
    Ok(FrontMatter),
    Err(DraftError),
}

/// The draft's front matter as the core reads it (`Draft::parse`): the same answer as the
/// app's `read_front_matter` command.
pub fn front_matter_request(text: &str) -> FrontMatterAnswer {
    match Draft::parse(text) {
        Ok(draft) => FrontMatterAnswer::Ok(draft.front_matter),
        Err(e) => FrontMatterAnswer::Err(e),
    }
}

/// Renders the draft at `path` (relative to the drafts folder, as the app's list gives it)
/// exactly as `Workspace::render` does, reusing what the previous call rendered. A path the
/// page should not have sent (absolute, leaving the folder) is an error, and the page asks
/// Rust over IPC instead, which then reports it properly.
pub fn render_request(
    asset_base: &str,
    path: &str,
    text: &str,
    sourcepos: bool,
    remote_images: bool,
) -> Answer {
    match url_policy::draft_relative(path) {
        Some(rel) => Answer::Ok(PREVIEW.with_borrow_mut(|preview| {
            preview.render_draft(&rel, text, Some(asset_base), sourcepos, remote_images)
        })),
        None => Answer::Err(outside_folder(path)),
    }
}

/// Why a path the page sent is refused: it does not name a draft inside the drafts folder.
fn outside_folder(path: &str) -> String {
    format!("{path}: not a path inside the drafts folder")
}

/// What the page's own preview gets back ([`render_page`], [`render_edit`]): `{"ok": …,
/// "generation": …, "pieces"|"delta": …}`, `{"resend": true}` or `{"err": "…"}`.
#[derive(serde::Serialize)]
#[serde(untagged)]
pub enum PageReply {
    /// `ok` with its `html` empty: the HTML (the page's, or the delta's pieces') follows
    /// the JSON.
    Ok {
        ok: Preview,
        generation: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        pieces: Option<Vec<usize>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        delta: Option<BodyDelta>,
    },
    /// The module does not hold the text the edit is for: the page sends the whole text.
    Resend {
        resend: bool,
    },
    Err {
        err: String,
    },
}

/// What the page sends: its whole text, or the edit of the text kept ([`apply_edit`]).
pub enum PageText<'a> {
    Whole(&'a str),
    Edited(TextEdit),
}

/// Renders the page's preview of its text (kept for [`render_edit`]) as a delta to the
/// answer `shown` when it can ([`PagePreview::render_edit`]); the HTML goes apart (the
/// second of the pair).
pub fn page_request(
    asset_base: &str,
    path: &str,
    text: PageText,
    sourcepos: bool,
    remote_images: bool,
    shown: u64,
) -> (PageReply, String) {
    let Some(rel) = url_policy::draft_relative(path) else {
        let err = outside_folder(path);
        return (PageReply::Err { err }, String::new());
    };
    PAGE.with_borrow_mut(
        |Page {
             preview: page,
             text: kept,
             index,
         }| {
            let edit = match text {
                PageText::Whole(text) => {
                    kept.clear();
                    kept.push_str(text);
                    *index = Utf16Index::of(kept);
                    None
                }
                PageText::Edited(edit) => Some(edit),
            };
            match page.render_edit(
                &rel,
                kept,
                edit,
                Some(asset_base),
                sourcepos,
                remote_images,
                shown,
            ) {
                PageAnswer::Whole {
                    mut preview,
                    pieces,
                } => {
                    let html = std::mem::take(&mut preview.html);
                    let generation = page.generation();
                    let reply = PageReply::Ok {
                        ok: preview,
                        generation,
                        pieces,
                        delta: None,
                    };
                    (reply, html)
                }
                PageAnswer::Delta { preview, mut delta } => {
                    let html = std::mem::take(&mut delta.html);
                    let generation = page.generation();
                    let reply = PageReply::Ok {
                        ok: preview,
                        generation,
                        pieces: None,
                        delta: Some(delta),
                    };
                    (reply, html)
                }
            }
        },
    )
}

/// The page's edit applied to the text kept: `from..to` (UTF-16 code units, as the page
/// counts) replaced by `insert`, giving a text of `len_after` units; the edit in bytes, or
/// `None` (nothing changed) when the page's answer `shown` is not the last one (the kept
/// text may not be the text it edited), or the range or the length does not fit it (a
/// page out of step is told to send its text, never shown a preview of another). Costs
/// what the edit touches, not the text's length ([`Utf16Index`]), but for the `memmove`
/// of the text after it.
pub fn apply_edit(
    from: usize,
    to: usize,
    insert: &str,
    len_after: usize,
    shown: u64,
) -> Option<TextEdit> {
    PAGE.with_borrow_mut(
        |Page {
             preview,
             text,
             index,
         }| {
            if shown == 0 || shown != preview.generation() || from > to {
                return None;
            }
            let start = index.byte_of(text, from)?;
            let end = utf16_to_byte(text, start, to - from)?;
            if index.units() - (to - from) + utf16_len(insert) != len_after {
                return None;
            }
            text.replace_range(start..end, insert);
            index.splice(text, start, end, to - from, insert);
            Some(TextEdit {
                at: start,
                removed: end - start,
                inserted: insert.len(),
            })
        },
    )
}

/// Renders the page's preview of the `text_len` bytes of text after asset base and path in
/// the input buffer (see [`render`] for the rest): the text is kept for [`render_edit`].
/// `shown`: the number of the answer the page shows (0: none). Returns the answer's length.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn render_page(
    asset_len: usize,
    path_len: usize,
    text_len: usize,
    sourcepos: u32,
    remote_images: u32,
    shown: u32,
) -> usize {
    let (reply, html) = with_request(asset_len, path_len, text_len, |asset, path, text| {
        page_request(
            asset,
            path,
            PageText::Whole(text),
            sourcepos != 0,
            remote_images != 0,
            u64::from(shown),
        )
    });
    write_page_reply(&reply, &html)
}

/// Renders the page's preview after an edit of the text kept (the last [`render_page`]'s
/// or [`render_edit`]'s): UTF-16 code units `from..to` of it replaced by the `insert_len`
/// bytes after asset base and path in the input buffer, the page's text now `len_after`
/// units long. `{"resend": …}` when the module does not hold the text the page edited
/// ([`apply_edit`]). Returns the answer's length.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // a flat C interface: one number per argument
pub extern "C" fn render_edit(
    asset_len: usize,
    path_len: usize,
    from: usize,
    to: usize,
    insert_len: usize,
    len_after: usize,
    sourcepos: u32,
    remote_images: u32,
    shown: u32,
) -> usize {
    let (reply, html) = with_request(asset_len, path_len, insert_len, |asset, path, insert| {
        // a path refused is refused before the edit is applied: the kept text and the
        // preview's stay the same text (the edit given to the preview is from its last)
        if url_policy::draft_relative(path).is_none() {
            let err = outside_folder(path);
            return (PageReply::Err { err }, String::new());
        }
        let Some(edit) = apply_edit(from, to, insert, len_after, u64::from(shown)) else {
            return (PageReply::Resend { resend: true }, String::new());
        };
        page_request(
            asset,
            path,
            PageText::Edited(edit),
            sourcepos != 0,
            remote_images != 0,
            u64::from(shown),
        )
    });
    write_page_reply(&reply, &html)
}

/// Splits the request in the input buffer into asset base, path and text (UTF-8 each) and
/// answers it with `answer`, or with an error.
fn with_request(
    asset_len: usize,
    path_len: usize,
    text_len: usize,
    answer: impl FnOnce(&str, &str, &str) -> (PageReply, String),
) -> (PageReply, String) {
    INPUT.with_borrow(|input| {
        let request = asset_len
            .checked_add(path_len)
            .and_then(|n| n.checked_add(text_len))
            .and_then(|end| input.get(..end));
        let Some(request) = request else {
            let err = "request larger than the input buffer".into();
            return (PageReply::Err { err }, String::new());
        };
        let (asset, rest) = request.split_at(asset_len);
        let (path, text) = rest.split_at(path_len);
        match (
            std::str::from_utf8(asset),
            std::str::from_utf8(path),
            std::str::from_utf8(text),
        ) {
            (Ok(asset), Ok(path), Ok(text)) => answer(asset, path, text),
            _ => (
                PageReply::Err {
                    err: "request is not UTF-8".into(),
                },
                String::new(),
            ),
        }
    })
}

/// The reply's JSON, then `html` as it is; its length.
fn write_page_reply(reply: &PageReply, html: &str) -> usize {
    let json = write_answer(reply);
    OUTPUT.with_borrow_mut(|out| out.extend_from_slice(html.as_bytes()));
    HTML_LEN.set(html.len());
    json + html.len()
}

/// A buffer of at least `len` bytes for the page to write the request into; its address.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn input_buffer(len: usize) -> usize {
    INPUT.with_borrow_mut(|input| {
        if input.len() < len {
            input.resize(len, 0);
        }
        input.as_ptr() as usize
    })
}

/// Renders the request in the input buffer: `asset_len` bytes of asset base, `path_len` of
/// path, `text_len` of text; `sourcepos` and `remote_images` are flags (non-zero is on).
/// Returns the answer's length (see [`output_ptr`]).
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn render(
    asset_len: usize,
    path_len: usize,
    text_len: usize,
    sourcepos: u32,
    remote_images: u32,
) -> usize {
    let answer = INPUT.with_borrow(|input| {
        let request = asset_len
            .checked_add(path_len)
            .and_then(|n| n.checked_add(text_len))
            .and_then(|end| input.get(..end));
        let Some(request) = request else {
            return Answer::Err("request larger than the input buffer".into());
        };
        let (asset, rest) = request.split_at(asset_len);
        let (path, text) = rest.split_at(path_len);
        match (
            std::str::from_utf8(asset),
            std::str::from_utf8(path),
            std::str::from_utf8(text),
        ) {
            (Ok(asset), Ok(path), Ok(text)) => {
                render_request(asset, path, text, sourcepos != 0, remote_images != 0)
            }
            _ => Answer::Err("request is not UTF-8".into()),
        }
    });
    // The HTML goes after the JSON as it is, not as a JSON string: serde escaping it and
    // the page's `JSON.parse` of it cost ≈ 1 ms at 50,000 words, more than the render.
    let (answer, html) = match answer {
        Answer::Ok(mut preview) => {
            let html = std::mem::take(&mut preview.html);
            (Answer::Ok(preview), html)
        }
        err => (err, String::new()),
    };
    let json = write_answer(&answer);
    OUTPUT.with_borrow_mut(|out| out.extend_from_slice(html.as_bytes()));
    HTML_LEN.set(html.len());
    json + html.len()
}

/// How many of the last answer's bytes, at its end, are the preview's HTML (UTF-8, not
/// JSON): the page puts them in as `html` of the JSON before them, which has `""` there.
/// Zero for any other answer.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn output_html_len() -> usize {
    HTML_LEN.get()
}

/// Reads the front matter of the `text_len` bytes of text in the input buffer. Returns the
/// answer's length (see [`output_ptr`]).
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn front_matter(text_len: usize) -> usize {
    let answer = INPUT.with_borrow(|input| match input.get(..text_len) {
        None => FrontMatterAnswer::Err(DraftError::whole_file(
            "request larger than the input buffer",
        )),
        Some(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => front_matter_request(text),
            Err(_) => FrontMatterAnswer::Err(DraftError::whole_file("request is not UTF-8")),
        },
    });
    write_answer(&answer)
}

fn write_answer(answer: &impl serde::Serialize) -> usize {
    HTML_LEN.set(0);
    OUTPUT.with_borrow_mut(|out| {
        out.clear();
        if serde_json::to_writer(&mut *out, answer).is_err() {
            out.clear();
            out.extend_from_slice(br#"{"err":"answer could not be written"}"#);
        }
        out.len()
    })
}

/// Where the last answer starts (valid until the next call to [`render`]).
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn output_ptr() -> usize {
    OUTPUT.with_borrow(|out| out.as_ptr() as usize)
}

/// The last answer's length in bytes.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn output_len() -> usize {
    OUTPUT.with_borrow(Vec::len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsroom_core::render;

    fn request(asset: &str, path: &str, text: &str) -> serde_json::Value {
        request_with(asset, path, text, 0)
    }

    fn request_with(asset: &str, path: &str, text: &str, remote: u32) -> serde_json::Value {
        let bytes = [asset.as_bytes(), path.as_bytes(), text.as_bytes()].concat();
        let at = input_buffer(bytes.len());
        assert_ne!(at, 0);
        INPUT.with_borrow_mut(|input| input[..bytes.len()].copy_from_slice(&bytes));
        let len = render(asset.len(), path.len(), text.len(), 1, remote);
        assert_eq!(len, output_len());
        let out = OUTPUT.with_borrow(|o| o.clone());
        let (json, html) = out.split_at(len - output_html_len());
        let mut answer: serde_json::Value =
            serde_json::from_slice(json).expect("the answer is JSON");
        if let Some(ok) = answer.get_mut("ok") {
            assert_eq!(ok["html"], "", "the HTML follows the JSON");
            ok["html"] = std::str::from_utf8(html).expect("UTF-8").into();
        } else {
            assert!(html.is_empty());
        }
        answer
    }

    #[test]
    fn the_answer_is_the_workspace_preview_as_json() {
        let text = "---\ntitle: Talks in Minsk\ncategories: [World]\n---\nDelegates met.\n\n<script>alert(1)</script>\n";
        let got = request("newsroom-asset://localhost/", "world/minsk.md", text);
        let want = render::render_draft(
            "world/minsk.md",
            text,
            Some("newsroom-asset://localhost/"),
            true,
            false,
        );
        assert_eq!(got["ok"], serde_json::to_value(&want).expect("serialises"));
        assert!(!got["ok"]["html"].as_str().unwrap_or("").contains("<script"));
    }

    #[test]
    fn keystroke_after_keystroke_the_answer_is_the_full_render() {
        let mut text = "---\ntitle: T\n---\nOne.\n\nTwo ![m](https://cdn.example/m.png).\n\n- a\n- b\n\n## Three\n\nFour.\n".to_owned();
        let edits = [
            (text.find("Two").unwrap(), "x"),
            (text.find("## Three").unwrap(), "- c\n\n"),
            (text.find("Four").unwrap(), "```\n"),
            (text.find("One").unwrap(), "[^1] "),
            (text.len(), "\n[^1]: A note.\n"),
        ];
        for (remote, (at, insert)) in [0, 1].into_iter().cycle().zip(edits) {
            text.insert_str(at.min(text.len()), insert);
            let got = request_with("a/", "world/x.md", &text, remote);
            let want = render::render_draft("world/x.md", &text, Some("a/"), true, remote != 0);
            assert_eq!(
                got["ok"],
                serde_json::to_value(&want).expect("serialises"),
                "{text}"
            );
        }
    }

    #[test]
    fn remote_images_follow_the_flag() {
        let text = "![Map](https://cdn.example/m.png)\n";
        let held = request_with("a/", "x.md", text, 0);
        assert_eq!(
            held["ok"]["remote_images"],
            serde_json::json!(["cdn.example"])
        );
        assert!(!held["ok"]["html"].as_str().unwrap().contains("https://cdn"));
        let loaded = request_with("a/", "x.md", text, 1);
        assert_eq!(loaded["ok"]["remote_images"], serde_json::json!([]));
        assert!(
            loaded["ok"]["html"]
                .as_str()
                .unwrap()
                .contains("src=\"https://cdn.example/m.png\"")
        );
    }

    #[test]
    fn a_path_outside_the_folder_is_refused() {
        let got = request("a/", "../secret.md", "x");
        assert!(
            got["err"]
                .as_str()
                .is_some_and(|e| e.contains("../secret.md")),
            "{got}"
        );
    }

    fn front_matter_of(text: &str) -> serde_json::Value {
        let at = input_buffer(text.len());
        assert_ne!(at, 0);
        INPUT.with_borrow_mut(|input| input[..text.len()].copy_from_slice(text.as_bytes()));
        let len = front_matter(text.len());
        let out = OUTPUT.with_borrow(|o| o[..len].to_vec());
        serde_json::from_slice(&out).expect("the answer is JSON")
    }

    #[test]
    fn front_matter_is_the_core_s_reading() {
        let text = "---\ntitle: ~\nauthor: null\nslug: 1.50\ncategories: {a: b}\n---\nBody\n";
        let got = front_matter_of(text);
        let want = match front_matter_request(text) {
            FrontMatterAnswer::Ok(fm) => serde_json::json!({ "ok": fm }),
            FrontMatterAnswer::Err(e) => serde_json::json!({ "err": e }),
        };
        assert_eq!(got, want);
        let ok = front_matter_of("---\ntitle: ~\nslug: 1.50\n---\nBody\n");
        assert_eq!(ok["ok"]["title"], serde_json::Value::Null);
        // a plain 1.50 is a YAML number: the core reads it as 1.5, and so does the page now
        assert_eq!(ok["ok"]["slug"], "1.5");
        let broken = front_matter_of("---\ntitle: [\n---\nBody\n");
        assert!(broken["err"]["line"].is_number(), "{broken}");
    }

    /// The page's request: the whole text, or an edit (`from`, `to`, inserted); the reply
    /// with its HTML.
    fn page(
        text_or_edit: Result<&str, (usize, usize, &str, usize)>,
        shown: u64,
    ) -> (serde_json::Value, String) {
        let (asset, path) = ("a/", "world/x.md");
        let body = match text_or_edit {
            Ok(text) => text,
            Err((_, _, insert, _)) => insert,
        };
        let bytes = [asset.as_bytes(), path.as_bytes(), body.as_bytes()].concat();
        input_buffer(bytes.len());
        INPUT.with_borrow_mut(|input| input[..bytes.len()].copy_from_slice(&bytes));
        let shown = u32::try_from(shown).unwrap_or(0);
        let len = match text_or_edit {
            Ok(_) => render_page(asset.len(), path.len(), body.len(), 1, 0, shown),
            Err((from, to, _, len_after)) => render_edit(
                asset.len(),
                path.len(),
                from,
                to,
                body.len(),
                len_after,
                1,
                0,
                shown,
            ),
        };
        let out = OUTPUT.with_borrow(|o| o.clone());
        let (json, html) = out.split_at(len - output_html_len());
        let reply = serde_json::from_slice(json).expect("the answer is JSON");
        (reply, String::from_utf8(html.to_vec()).expect("UTF-8"))
    }

    #[test]
    fn the_page_sends_edits_and_gets_the_changed_pieces() {
        let text = "---\ntitle: T\n---\nCafé “one” 🙂.\n\nTwo 🙂.\n\nThree.\n";
        let (first, html) = page(Ok(text), 0);
        assert_eq!(
            html,
            render::render_draft("world/x.md", text, Some("a/"), true, false).html
        );
        assert_eq!(first["pieces"], serde_json::json!([1, 3, 5]));
        let g = first["generation"].as_u64().unwrap();
        // "Two" becomes "Too": UTF-16 offsets, the emoji two units
        let at = text[..text.find("Two").unwrap()].encode_utf16().count() + 1;
        let units = text.encode_utf16().count();
        // a length that does not fit: the page is out of step, nothing is changed
        let (wrong, _) = page(Err((at, at + 1, "o", units + 1)), g);
        assert_eq!(wrong, serde_json::json!({"resend": true}));
        let (reply, html) = page(Err((at, at + 1, "o", units)), g);
        let edited = text.replace("Two", "Too");
        assert_eq!(reply["delta"]["start"], 1);
        assert_eq!(reply["delta"]["removed"], 1);
        assert_eq!(reply["delta"]["shift"], 0);
        assert_eq!(reply["ok"]["html"], "");
        let full = render::render_draft("world/x.md", &edited, Some("a/"), true, false);
        assert!(
            html.starts_with("<p data-sourcepos=\"3:1-") && html.contains(">Too 🙂.</p>"),
            "{html}"
        );
        assert!(full.html.contains(&html));
        assert_eq!(
            reply["ok"]["stats"],
            serde_json::to_value(full.stats).unwrap()
        );
        // an edit for an answer the module did not give last: the whole text, please
        let (stale, _) = page(Err((0, 0, "x", units + 1)), g);
        assert_eq!(stale, serde_json::json!({"resend": true}));
        let g = reply["generation"].as_u64().unwrap();
        let (past_end, _) = page(Err((10_000, 10_001, "x", units)), g);
        assert_eq!(past_end, serde_json::json!({"resend": true}));
        // a new paragraph above moves the pieces below by two lines
        let (whole, _) = page(Ok(&edited), 0);
        let g = whole["generation"].as_u64().unwrap();
        let at = edited.encode_utf16().count() - "Three.\n".len();
        let (moved, html) = page(
            Err((at, at, "New.\n\n", edited.encode_utf16().count() + 6)),
            g,
        );
        assert_eq!(moved["delta"]["shift"], 2, "{moved}");
        assert_eq!(html, "<p data-sourcepos=\"5:1-5:4\">New.</p>\n");
    }

    #[test]
    fn an_edit_with_a_refused_path_changes_nothing() {
        let text = "One.\n\nTwo.\n";
        let (first, _) = page(Ok(text), 0);
        let g = first["generation"].as_u64().unwrap();
        let units = text.len();
        // the same edit twice, the first time with a path the module refuses
        let bytes = ["a/".as_bytes(), b"../x.md", b"!"].concat();
        input_buffer(bytes.len());
        INPUT.with_borrow_mut(|input| input[..bytes.len()].copy_from_slice(&bytes));
        render_edit(2, 7, 3, 3, 1, units + 1, 1, 0, u32::try_from(g).unwrap());
        let out = OUTPUT.with_borrow(|o| String::from_utf8_lossy(o).into_owned());
        assert!(out.contains("not a path inside"), "{out}");
        let (reply, html) = page(Err((3, 3, "!", units + 1)), g);
        assert_eq!(reply["delta"]["start"], 0, "{reply}");
        let edited = "One!.\n\nTwo.\n";
        let full = render::render_draft("world/x.md", edited, Some("a/"), true, false);
        assert!(
            html.contains(">One!.</p>") && full.html.contains(&html),
            "{html}"
        );
    }

    #[test]
    fn lengths_beyond_the_buffer_are_refused_not_read() {
        input_buffer(4);
        render(2, 2, 1 << 30, 0, 0);
        let out = OUTPUT.with_borrow(|o| String::from_utf8_lossy(o).into_owned());
        assert!(out.contains("larger than the input buffer"), "{out}");
    }
}
