//! The allowlist every URL in a rendered draft passes through.
//!
//! comrak's safe mode already drops `javascript:`, `vbscript:`, `file:` and `data:` URLs;
//! this is the second, stricter layer: only the schemes a news article needs survive, and
//! local images are resolved inside the drafts folder or dropped.

/// Schemes a link may use. Everything else (including unknown ones) is dropped. Besides the
/// web and mail, the ones that only hand a number or a chat address to an app the reader
/// chooses (`tel:`, `sms:`, `irc:`, `ircs:`; WordPress allows them in posts too). `ftp:` is
/// not among them: browsers no longer open it, so such a link would be dead for readers.
pub const LINK_SCHEMES: [&str; 7] = ["http", "https", "mailto", "tel", "sms", "irc", "ircs"];
/// Schemes an image may use.
const IMAGE_SCHEMES: [&str; 2] = ["http", "https"];

/// What replaces a refused URL: a harmless in-page anchor.
pub const BLOCKED_URL: &str = "#blocked-url";

/// The URL's scheme, lowercased, or `None` for a relative reference.
///
/// A scheme is only a scheme if it has RFC 3986's syntax — a letter, then letters, digits,
/// `+`, `-`, `.` — before the first `:` (which must come before any `/`, `?`, `#`). That is
/// also what browsers parse (WHATWG URL: "scheme start state"), so `10:30-notes.md` or
/// `2026-11-26:chart.png` are relative paths to a browser and to us.
///
/// Browsers ignore ASCII tabs and newlines anywhere and control characters and spaces
/// around a URL (`java\tscript:`); the check drops every ASCII control and whitespace
/// character first, which can only make more strings look like schemes (then refused by
/// the allowlists), never fewer.
pub fn scheme_of(url: &str) -> Option<String> {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_control() && !c.is_ascii_whitespace() && *c != '\u{0}')
        .take(64)
        .collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    if cleaned.as_bytes()[end] != b':' {
        return None;
    }
    let scheme = &cleaned[..end];
    is_scheme(scheme).then(|| scheme.to_ascii_lowercase())
}

/// RFC 3986 §3.1: `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
fn is_scheme(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// The href to write for a link's destination.
pub fn link_href(url: &str) -> String {
    match scheme_of(url) {
        None => url.to_owned(),
        Some(s) if s == "mailto" => mailto_href(url),
        Some(s) if LINK_SCHEMES.contains(&s.as_str()) => url.to_owned(),
        Some(_) => BLOCKED_URL.to_owned(),
    }
}

/// `my%20photo.jpg` → `my photo.jpg` (Markdown URLs are percent-encoded; files are not).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && s.is_char_boundary(i + 3) {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// Header fields a `mailto:` link may fill in; the rest are dropped.
const MAILTO_FIELDS: [&str; 2] = ["subject", "body"];

/// A `mailto:` link keeps its address, subject and body only: some mail clients honour
/// `attach=`/`attachment=` (a file from the reader's disk attached to the mail) and
/// `cc`/`bcc` add recipients the reader does not see in the link's text.
fn mailto_href(url: &str) -> String {
    let Some((address, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or("");
            let key = percent_decode(key).to_ascii_lowercase();
            MAILTO_FIELDS.contains(&key.trim())
        })
        .collect();
    if kept.is_empty() {
        address.to_owned()
    } else {
        format!("{address}?{}", kept.join("&"))
    }
}

/// What a remote image's src becomes while remote images are held back: an in-page
/// anchor, so nothing is requested; the preview's stylesheet frames such an image and its
/// alt text stays visible.
pub const REMOTE_IMAGE_HELD: &str = "#remote-image-not-loaded";

/// Resolves local image paths inside the drafts folder, and holds back remote ones.
#[derive(Debug, Clone, Default)]
pub struct ImagePolicy {
    /// Prefix for local images (the app's asset protocol, ending in `/`). `None` keeps
    /// the path as written, which works for HTML saved beside the draft.
    pub asset_base: Option<String>,
    /// The draft's folder relative to the drafts folder, `/`-separated, `""` at the top.
    pub draft_dir: String,
    /// Whether `http(s)` images load. Off by default: the draft comes from a shared
    /// folder, and a remote image tells its server who opened the draft, when, and
    /// from where, and can make the viewer's machine reach intranet hosts.
    pub remote: bool,
    /// The hosts of the remote images held back so far (shared by clones, so every
    /// render path of one preview reports into the same list).
    pub held: HeldImages,
    /// Local images already on a portal: the src as written in the draft → the portal's
    /// URL. Publishing fills it, so a raw HTML `<img>` points at its upload as a Markdown
    /// image does; the preview leaves it empty.
    pub uploaded: std::sync::Arc<std::collections::HashMap<String, String>>,
}

/// The remote images a render held back: how many, and their distinct hosts in
/// first-seen order.
#[derive(Debug, Clone, Default)]
pub struct HeldImages(std::sync::Arc<std::sync::Mutex<(usize, Vec<String>)>>);

impl HeldImages {
    fn note(&self, host: String) {
        // A poisoned lock only means another render panicked; the list is still a list.
        let mut held = self.0.lock().unwrap_or_else(|e| e.into_inner());
        held.0 += 1;
        if !held.1.contains(&host) {
            held.1.push(host);
        }
    }

    /// The hosts noted so far.
    pub fn hosts(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).1.clone()
    }

    /// How many images were held back so far (an image met twice counts twice).
    pub fn count(&self) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).0
    }

    /// Notes what another list held back (`count` images from `hosts`), as if its images
    /// were met here: the incremental preview keeps each piece's list and replays them in
    /// the body's order, which gives the whole body's list.
    pub(crate) fn absorb(&self, count: usize, hosts: &[String]) {
        // the incremental render absorbs every piece's, most of them none
        if count == 0 && hosts.is_empty() {
            return;
        }
        let mut held = self.0.lock().unwrap_or_else(|e| e.into_inner());
        held.0 += count;
        for host in hosts {
            if !held.1.contains(host) {
                held.1.push(host.clone());
            }
        }
    }
}

/// The host (and port, if any) of an `http(s)` URL, without user info, lower-cased:
/// what the preview's bar names.
pub fn host_of(url: &str) -> String {
    let after = url.split_once(':').map_or(url, |(_, rest)| rest);
    let after = after.trim_start_matches(['/', '\\']);
    let authority = after.split(['/', '\\', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host: String = host
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .take(253)
        .collect::<String>()
        .to_lowercase();
    if host.is_empty() {
        "unknown host".to_owned()
    } else {
        host
    }
}

impl ImagePolicy {
    /// The src to write for an image.
    pub fn image_src(&self, url: &str) -> String {
        if let Some(portal) = self.uploaded.get(url.trim()) {
            return portal.clone();
        }
        match scheme_of(url) {
            Some(s) if IMAGE_SCHEMES.contains(&s.as_str()) => {
                if self.remote {
                    return url.to_owned();
                }
                self.held.note(host_of(url));
                return REMOTE_IMAGE_HELD.to_owned();
            }
            Some(_) => return BLOCKED_URL.to_owned(),
            None => {}
        }
        if url.starts_with("//") || url.starts_with('\\') {
            return BLOCKED_URL.to_owned();
        }
        if url.starts_with('#') || url.is_empty() {
            return url.to_owned();
        }
        let Some(path) = resolve_inside(&self.draft_dir, url) else {
            return BLOCKED_URL.to_owned();
        };
        match &self.asset_base {
            None => url.to_owned(),
            Some(base) => format!("{base}{path}"),
        }
    }
}

impl ImagePolicy {
    /// The src for an image named by a *file path* (the front matter's `featured_image`),
    /// not a URL: each segment is percent-encoded first, so a file called `100%.png` or
    /// `a#b.png` is asked for by its own name. URLs with a scheme pass as they are.
    pub fn file_src(&self, path: &str) -> String {
        if scheme_of(path).is_some() {
            return self.image_src(path);
        }
        self.image_src(&encode_path(path))
    }
}

/// Percent-encodes what a URL path segment cannot hold (`/` and `\` stay separators).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'/' | b'\\'
                    | b'-'
                    | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
            );
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A draft's path given relative to the drafts folder, normalised (`a/./b.md` → `a/b.md`);
/// `None` for what would leave the folder or reach a hidden file or folder (`../x.md`,
/// `.git/x.md`) and for `\\` (a Windows separator would name another file there).
pub fn draft_relative(path: &str) -> Option<String> {
    if path.contains('\\') || path.starts_with('/') {
        return None;
    }
    let rel = resolve_inside("", path)?;
    (!crate::workspace_path::is_hidden_path(&rel)).then_some(rel)
}

/// Joins `dir` and a relative `url` and normalises `.`/`..`; `None` when the result would
/// leave the drafts folder. The query and fragment are dropped (files have none).
pub fn resolve_inside(dir: &str, url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for seg in path.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn draft_relative_normalises_and_keeps_inside() {
        assert_eq!(
            draft_relative("world/minsk.md").as_deref(),
            Some("world/minsk.md")
        );
        assert_eq!(
            draft_relative("./world/../world/minsk.md").as_deref(),
            Some("world/minsk.md")
        );
        for bad in [
            "../x.md",
            "world/../../x.md",
            "/etc/passwd",
            ".git/x.md",
            "a/.hidden/x.md",
            "a\\x.md",
        ] {
            assert_eq!(draft_relative(bad), None, "{bad}");
        }
    }

    use super::*;

    #[test]
    fn links_keep_web_and_mail_schemes_only() {
        assert_eq!(
            link_href("https://example.org/a?b#c"),
            "https://example.org/a?b#c"
        );
        assert_eq!(
            link_href("mailto:desk@example.org"),
            "mailto:desk@example.org"
        );
        assert_eq!(link_href("#fn-1"), "#fn-1");
        // mailto keeps address, subject and body; attachments and hidden recipients go
        assert_eq!(
            link_href("mailto:desk@example.org?subject=Tip&attach=/etc/passwd&body=Hi"),
            "mailto:desk@example.org?subject=Tip&body=Hi"
        );
        assert_eq!(
            link_href("MAILTO:desk@example.org?%61ttachment=~/.ssh/id_rsa&BCC=x@evil.example"),
            "MAILTO:desk@example.org"
        );
        assert_eq!(link_href("other-story.md"), "other-story.md");
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            "java\tscript:x",
            " javascript:x",
            "\u{1}javascript:x",
            "vbscript:x",
            "file:///etc/passwd",
            "data:text/html,x",
            "ftp://x",
            "chrome://settings",
        ] {
            assert_eq!(link_href(bad), BLOCKED_URL, "{bad:?}");
        }
    }

    #[test]
    fn a_scheme_has_rfc_3986_syntax() {
        for (url, scheme) in [
            ("https://x", Some("https")),
            ("HTTPS://x", Some("https")),
            ("web+news:x", Some("web+news")),
            ("a.b-c:x", Some("a.b-c")),
            ("C:\\x.jpg", Some("c")),
            ("java\tscript:x", Some("javascript")),
            ("10:30-notes.md", None),
            ("2026-11-26:chart.png", None),
            ("-x:y", None),
            (".x:y", None),
            ("+x:y", None),
            (":x", None),
            ("a_b:x", None),
            ("ünï:x", None),
            ("notes/10:30.md", None),
            ("?q=a:b", None),
            ("#a:b", None),
            ("plain.md", None),
        ] {
            assert_eq!(scheme_of(url).as_deref(), scheme, "{url:?}");
        }
    }

    #[test]
    fn relative_paths_with_a_colon_stay_relative() {
        assert_eq!(link_href("10:30-notes.md"), "10:30-notes.md");
        assert_eq!(
            link_href("2026-11-26:notes.md#top"),
            "2026-11-26:notes.md#top"
        );
        assert_eq!(link_href("world/10:30.md"), "world/10:30.md");
        let p = ImagePolicy {
            asset_base: Some("asset://localhost/".into()),
            draft_dir: "world".into(),
            ..Default::default()
        };
        assert_eq!(
            p.image_src("2026-11-26:chart.png"),
            "asset://localhost/world/2026-11-26:chart.png"
        );
        assert_eq!(
            p.file_src("images/2026-11-26:chart.png"),
            "asset://localhost/world/images/2026-11-26:chart.png"
        );
        assert_eq!(p.image_src("../../10:30.png"), BLOCKED_URL);
        // Something with a scheme's syntax is a scheme, whatever follows it.
        assert_eq!(link_href("notes:10.md"), BLOCKED_URL);
        assert_eq!(p.image_src("notes:chart.png"), BLOCKED_URL);
    }

    #[test]
    fn harmless_app_schemes_are_links() {
        for ok in [
            "tel:+375171234567",
            "sms:+375171234567",
            "irc://irc.example.org/news",
            "ircs://irc.example.org/news",
            "SMS:123",
        ] {
            assert_eq!(link_href(ok), ok);
        }
        let p = ImagePolicy::default();
        assert_eq!(p.image_src("tel:123"), BLOCKED_URL);
        assert_eq!(p.image_src("ftp://x/a.png"), BLOCKED_URL);
    }

    #[test]
    fn images_resolve_inside_the_folder() {
        let p = ImagePolicy {
            asset_base: Some("asset://localhost/".into()),
            draft_dir: "world".into(),
            remote: true,
            ..Default::default()
        };
        assert_eq!(
            p.image_src("images/map.png"),
            "asset://localhost/world/images/map.png"
        );
        assert_eq!(
            p.image_src("../images/map.png"),
            "asset://localhost/images/map.png"
        );
        assert_eq!(p.image_src("../../etc/passwd"), BLOCKED_URL);
        assert_eq!(
            p.image_src("https://cdn.example.org/x.jpg"),
            "https://cdn.example.org/x.jpg"
        );
        assert_eq!(p.image_src("javascript:alert(1)"), BLOCKED_URL);
        assert_eq!(
            p.image_src("data:image/svg+xml,<svg onload=alert(1)>"),
            BLOCKED_URL
        );
        assert_eq!(p.image_src("//evil.example/x.png"), BLOCKED_URL);
        let keep = ImagePolicy::default();
        assert_eq!(keep.image_src("images/a.jpg"), "images/a.jpg");
        assert_eq!(keep.image_src("../outside.jpg"), BLOCKED_URL);
    }

    #[test]
    fn file_paths_are_encoded_segment_by_segment() {
        let p = ImagePolicy {
            asset_base: Some("newsroom-asset://localhost/".into()),
            draft_dir: "world".into(),
            remote: true,
            ..Default::default()
        };
        assert_eq!(
            p.file_src("images/100%.png"),
            "newsroom-asset://localhost/world/images/100%25.png"
        );
        assert_eq!(
            p.file_src("images/a#b?.png"),
            "newsroom-asset://localhost/world/images/a%23b%3F.png"
        );
        assert_eq!(
            p.file_src("images/Minsk hall é.jpg"),
            "newsroom-asset://localhost/world/images/Minsk%20hall%20%C3%A9.jpg"
        );
        assert_eq!(
            p.file_src("https://cdn.example.org/x.jpg"),
            "https://cdn.example.org/x.jpg"
        );
        assert_eq!(p.file_src("javascript:alert(1)"), BLOCKED_URL);
        assert_eq!(p.file_src("../../etc/passwd"), BLOCKED_URL);
    }

    #[test]
    fn remote_images_are_held_back_by_default_and_their_hosts_noted() {
        let p = ImagePolicy::default();
        assert_eq!(
            p.image_src("https://cdn.example.org/x.jpg"),
            REMOTE_IMAGE_HELD
        );
        assert_eq!(
            p.image_src("HTTP://Intranet.local:8080/a.png"),
            REMOTE_IMAGE_HELD
        );
        assert_eq!(
            p.file_src("https://cdn.example.org/y.jpg"),
            REMOTE_IMAGE_HELD
        );
        assert_eq!(
            p.image_src("http://user:pw@tracker.example/p.gif"),
            REMOTE_IMAGE_HELD
        );
        assert_eq!(p.image_src("images/a.jpg"), "images/a.jpg");
        assert_eq!(
            p.held.hosts(),
            ["cdn.example.org", "intranet.local:8080", "tracker.example"]
        );
        assert_eq!(p.held.count(), 4);
        // Clones (the render's closures, the sanitiser) report into the same list.
        p.clone().image_src("https:\\\\other.example\\x.png");
        assert_eq!(
            p.held.hosts().last().map(String::as_str),
            Some("other.example")
        );
        let allowed = ImagePolicy {
            remote: true,
            ..Default::default()
        };
        assert_eq!(
            allowed.image_src("https://cdn.example.org/x.jpg"),
            "https://cdn.example.org/x.jpg"
        );
        assert!(allowed.held.hosts().is_empty());
    }

    #[test]
    fn a_host_is_read_as_a_person_would() {
        assert_eq!(host_of("https://a.example/x"), "a.example");
        assert_eq!(host_of("https://u@A.Example:81?x"), "a.example:81");
        assert_eq!(host_of("https:///"), "unknown host");
    }
}
