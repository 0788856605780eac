//! Publishing against a mock WordPress (wiremock) that gives the answers the real one
//! gave: `tests/fixtures/wordpress/*.json`, recorded from the test site by `record.py`
//! there (two are written by hand from WordPress's source, and say so). No WordPress is
//! needed: these tests always run, and each says what must and must not be sent
//! (`expect(n)` is checked when the server drops).

#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use newsroom_core::Workspace;
use newsroom_core::front_matter_edit::Change;
use newsroom_publish::client::ClientOptions;
use newsroom_publish::media::media_marker;
use newsroom_publish::profile::{Credentials, Portal, Secret};
use newsroom_publish::{
    PublishError, PublishOptions, PublishOutcome, PublishRequest, Published, Publisher, Store,
    WriteBack,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn fixture(name: &str) -> Value {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/wordpress")
        .join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap()
}

/// The recorded answer `name`: status, body (JSON, or the HTML page as it came).
fn answer(name: &str) -> ResponseTemplate {
    let f = fixture(name);
    let t = ResponseTemplate::new(f["status"].as_u64().unwrap() as u16);
    match &f["body"] {
        Value::String(text) => t.set_body_raw(
            text.clone(),
            f["content_type"].as_str().unwrap_or("text/html"),
        ),
        body => t.set_body_json(body),
    }
}

fn body(name: &str) -> Value {
    fixture(name)["body"].clone()
}

/// A drafts folder with `a.md` (one image, a category the recorded portal has, a new tag).
struct Desk {
    dir: tempfile::TempDir,
    root: PathBuf,
    image: Vec<u8>,
}

impl Desk {
    fn new(front: &str) -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("drafts");
        std::fs::create_dir_all(root.join("images")).unwrap();
        let root = root.canonicalize().unwrap();
        let image = common::png(8, 8, "mock");
        std::fs::write(root.join("images/a.png"), &image).unwrap();
        std::fs::write(
            root.join("a.md"),
            format!(
                "---\ntitle: Talks stall\n{front}---\nThe talks stalled.\n\n![Map](images/a.png)\n"
            ),
        )
        .unwrap();
        Desk { dir, root, image }
    }

    fn publisher(&self, url: &str, attempts: u32) -> Publisher {
        let creds = Credentials {
            portal: Portal {
                name: "mock".into(),
                url: url.into(),
                user: "editor".into(),
            },
            password: Secret::new(String::from("abcd efgh ijkl mnop qrst uvwx")),
        };
        let options = PublishOptions {
            client: ClientOptions {
                timeout: Duration::from_secs(1),
                upload_timeout: Duration::from_secs(1),
                connect_timeout: Duration::from_secs(1),
                get_retries: 0,
            },
            attempts,
            retry_base: Duration::from_millis(20),
            retry_max: Duration::from_millis(40),
            index_path: Some(self.dir.path().join("index.sqlite3")),
            ..Default::default()
        };
        let store = Store::open(&self.dir.path().join("publish.sqlite3")).unwrap();
        Publisher::new(store, Arc::new(move |_| Ok(creds.clone())), options)
    }

    fn request(&self) -> PublishRequest {
        PublishRequest {
            root: self.root.clone(),
            path: "a.md".into(),
            ..Default::default()
        }
    }

    fn draft(&self) -> String {
        std::fs::read_to_string(self.root.join("a.md")).unwrap()
    }
}

/// An approved draft with a category the recorded portal has and the tag the recorded
/// create made (so a retry finds it in the cache, as it would on the real portal).
fn draft_front() -> String {
    format!(
        "status: approved\ncategories: [Business]\ntags: [{}]\n",
        body("tag_created")["name"].as_str().unwrap()
    )
}

/// The reads of a publish of a new draft, answered as the test site answered them.
async fn portal_reads(server: &MockServer) {
    portal_reads_but_tags(server).await;
    Mock::given(method("GET"))
        .and(path("/wp-json/wp/v2/tags"))
        .respond_with(answer("tags_search_empty"))
        .mount(server)
        .await;
}

/// The same, with the draft's tag on the portal already (its search finds it).
async fn portal_reads_tag_exists(server: &MockServer) {
    portal_reads_but_tags(server).await;
    Mock::given(method("GET"))
        .and(path("/wp-json/wp/v2/tags"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([body("tag_created")])))
        .mount(server)
        .await;
}

async fn portal_reads_but_tags(server: &MockServer) {
    for (route, name) in [
        ("/wp-json/wp/v2/users/me", "users_me_editor"),
        ("/wp-json/wp/v2/categories", "categories"),
        (
            "/wp-json/wp/v2/block-types/core/footnotes",
            "footnotes_block_type",
        ),
    ] {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(answer(name))
            .mount(server)
            .await;
    }
}

async fn empty_searches(server: &MockServer) {
    for (route, name) in [
        ("/wp-json/wp/v2/posts", "posts_search_empty"),
        ("/wp-json/wp/v2/media", "media_search_empty"),
    ] {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(answer(name))
            .mount(server)
            .await;
    }
}

/// `POST route` answered with `name`, sent exactly `times` times.
async fn writes(server: &MockServer, route: &str, name: &str, times: u64) {
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(answer(name))
        .expect(times)
        .named(format!("POST {route}"))
        .mount(server)
        .await;
}

/// Nothing may be written.
async fn no_writes(server: &MockServer) {
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .named("any POST")
        .mount(server)
        .await;
}

fn published(outcome: PublishOutcome) -> Published {
    match outcome {
        PublishOutcome::Published(p) => p,
        other => panic!("expected a published post, got {other:?}"),
    }
}

/// The app's open workspace, counting the write-backs it takes.
struct OpenFolder {
    ws: Mutex<Workspace>,
    taken: AtomicUsize,
}

impl WriteBack for OpenFolder {
    fn record_publication(
        &self,
        root: &std::path::Path,
        path: &str,
        changes: &[Change],
    ) -> newsroom_publish::Result<bool> {
        let took = self.ws.record_publication(root, path, changes)?;
        if took {
            self.taken.fetch_add(1, Ordering::SeqCst);
        }
        Ok(took)
    }
}

#[tokio::test]
async fn a_publish_creates_one_post_and_writes_back_through_the_open_workspace_quietly() {
    let server = MockServer::start().await;
    portal_reads(&server).await;
    empty_searches(&server).await;
    writes(&server, "/wp-json/wp/v2/tags", "tag_created", 1).await;
    writes(&server, "/wp-json/wp/v2/media", "media_uploaded", 1).await;
    writes(&server, "/wp-json/wp/v2/posts", "post_created", 1).await;

    let desk = Desk::new(&draft_front());
    let (ws, _) =
        Workspace::open_with_index(&desk.root, &desk.dir.path().join("index.sqlite3")).unwrap();
    let heard = Arc::new(Mutex::new(Vec::new()));
    let h2 = heard.clone();
    let watcher = ws
        .watch(move |batch| h2.lock().unwrap().extend(batch))
        .unwrap();
    let open = Arc::new(OpenFolder {
        ws: Mutex::new(ws),
        taken: AtomicUsize::new(0),
    });
    let publisher = desk
        .publisher(&server.uri(), 1)
        .with_write_back(open.clone());
    let p = published(
        publisher
            .publish(desk.request(), common::no_progress())
            .await
            .unwrap(),
    );
    let post = body("post_created");
    assert_eq!(p.post_id, post["id"].as_u64().unwrap());
    assert!(p.created && !p.adopted);
    assert_eq!((p.images_uploaded, p.images_reused), (1, 0));
    assert_eq!(
        open.taken.load(Ordering::SeqCst),
        1,
        "written through the open workspace"
    );
    let text = desk.draft();
    assert!(text.contains(&format!("post_id: {}", p.post_id)), "{text}");
    assert!(text.contains(&format!(
        "modified_gmt: {}",
        post["modified_gmt"].as_str().unwrap()
    )));
    // the payload: category id from the recorded list, the created tag, the image's id
    let sent = server.received_requests().await.unwrap();
    let create = sent
        .iter()
        .find(|r| r.method.as_str() == "POST" && r.url.path() == "/wp-json/wp/v2/posts")
        .unwrap();
    let payload: Value = serde_json::from_slice(&create.body).unwrap();
    let business = body("categories")
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Business")
        .unwrap()["id"]
        .clone();
    assert_eq!(payload["categories"], json!([business]));
    assert_eq!(payload["tags"], json!([body("tag_created")["id"]]));
    assert_eq!(payload["status"], "publish");
    let media_id = body("media_uploaded")["id"].as_u64().unwrap();
    assert!(
        payload["content"]
            .as_str()
            .unwrap()
            .contains(&format!("wp-image-{media_id}")),
        "{payload}"
    );

    // The watcher does not hear the app's own write-back as a colleague's change …
    tokio::time::sleep(Duration::from_millis(700)).await;
    watcher.flush();
    assert!(
        heard.lock().unwrap().iter().all(|c| c.path != "a.md"),
        "{:?}",
        heard.lock().unwrap()
    );
    // … but does hear a colleague's (so the silence above means something).
    std::fs::write(desk.root.join("a.md"), text.replace("stalled", "resumed")).unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    watcher.flush();
    assert!(heard.lock().unwrap().iter().any(|c| c.path == "a.md"));
}

/// One publish against a portal whose `route` answers `name`; the error it ends with.
async fn refused(front: &str, setup: impl AsyncFnOnce(&MockServer)) -> PublishError {
    let server = MockServer::start().await;
    setup(&server).await;
    let desk = Desk::new(front);
    let before = desk.draft();
    let err = desk
        .publisher(&server.uri(), 2)
        .publish(desk.request(), common::no_progress())
        .await
        .unwrap_err();
    assert_eq!(desk.draft(), before, "the draft is untouched");
    err
}

#[tokio::test]
async fn wordpress_error_answers_become_errors_that_say_what_to_do() {
    // 401 for a wrong application password: this WordPress says `rest_not_logged_in`
    let err = refused(&draft_front(), async |s: &MockServer| {
        Mock::given(method("GET"))
            .and(path("/wp-json/wp/v2/users/me"))
            .respond_with(answer("error_401_wrong_application_password"))
            .expect(1)
            .mount(s)
            .await;
        no_writes(s).await;
    })
    .await;
    assert_eq!(err.code(), "auth_header_stripped", "{err}");
    assert!(err.to_string().contains("editor"), "{err}");

    // 403 `rest_cannot_create` on the upload: nothing else is written after it
    let err = refused(&draft_front(), async |s: &MockServer| {
        portal_reads(s).await;
        empty_searches(s).await;
        writes(s, "/wp-json/wp/v2/tags", "tag_created", 1).await;
        writes(
            s,
            "/wp-json/wp/v2/media",
            "error_403_rest_cannot_create_media",
            1,
        )
        .await;
        writes(s, "/wp-json/wp/v2/posts", "post_created", 0).await;
    })
    .await;
    assert_eq!(err.code(), "forbidden", "{err}");
    assert!(err.to_string().contains("upload images"), "{err}");

    // 404 `rest_post_invalid_id` for the post the draft claims: deleted, nothing sent
    let err = refused(
        "status: approved\ncategories: [Business]\nportal:\n  name: mock\n  post_id: 12\n",
        async |s: &MockServer| {
            portal_reads(s).await;
            Mock::given(method("GET"))
                .and(path("/wp-json/wp/v2/posts/12"))
                .respond_with(answer("error_404_rest_post_invalid_id"))
                .expect(1)
                .mount(s)
                .await;
            empty_searches(s).await;
            no_writes(s).await;
        },
    )
    .await;
    assert_eq!(err.code(), "deleted_on_portal", "{err}");
    assert!(err.to_string().contains("--republish-new"), "{err}");

    // 400 `rest_invalid_param`: which parameter and why (from `data.params`); not retried
    let err = refused(&draft_front(), async |s: &MockServer| {
        portal_reads(s).await;
        empty_searches(s).await;
        writes(s, "/wp-json/wp/v2/tags", "tag_created", 1).await;
        writes(s, "/wp-json/wp/v2/media", "media_uploaded", 1).await;
        writes(s, "/wp-json/wp/v2/posts", "error_400_rest_invalid_param", 1).await;
    })
    .await;
    assert_eq!(err.code(), "rejected", "{err}");
    let msg = err.to_string();
    assert!(msg.contains("rest_invalid_param"), "{msg}");
    assert!(msg.contains("status: status is not one of"), "{msg}");

    // 413 from the web server (an HTML page, not JSON): too large, said so, not retried
    let err = refused(&draft_front(), async |s: &MockServer| {
        portal_reads(s).await;
        empty_searches(s).await;
        writes(s, "/wp-json/wp/v2/tags", "tag_created", 1).await;
        writes(s, "/wp-json/wp/v2/media", "error_413_html", 1).await;
        writes(s, "/wp-json/wp/v2/posts", "post_created", 0).await;
    })
    .await;
    assert_eq!(err.code(), "rejected", "{err}");
    assert!(err.to_string().contains("too large"), "{err}");

    // an HTML page where the REST API should be (both address forms): not the REST API
    let err = refused(&draft_front(), async |s: &MockServer| {
        Mock::given(method("GET"))
            .respond_with(answer("html_page_not_found"))
            .expect(2)
            .mount(s)
            .await;
        no_writes(s).await;
    })
    .await;
    assert_eq!(err.code(), "rest_api_not_found", "{err}");
}

#[tokio::test]
async fn a_500_on_upload_is_retried_then_left_in_the_outbox() {
    let server = MockServer::start().await;
    portal_reads_tag_exists(&server).await;
    empty_searches(&server).await;
    writes(&server, "/wp-json/wp/v2/tags", "tag_created", 0).await;
    writes(
        &server,
        "/wp-json/wp/v2/media",
        "error_500_critical_error",
        2,
    )
    .await;
    writes(&server, "/wp-json/wp/v2/posts", "post_created", 0).await;
    let desk = Desk::new(&draft_front());
    let before = desk.draft();
    let outcome = desk
        .publisher(&server.uri(), 2)
        .publish(desk.request(), common::no_progress())
        .await
        .unwrap();
    let PublishOutcome::Queued { code, message, .. } = outcome else {
        panic!("expected the outbox, got {outcome:?}")
    };
    assert_eq!(code, "server_error");
    assert!(message.contains("critical error"), "{message}");
    assert_eq!(desk.draft(), before);
}

/// Answers the first request late (after the client gave up: the answer is lost, though
/// the "portal" did the work), every later one at once; counts them.
struct LostFirst {
    late: ResponseTemplate,
    then: ResponseTemplate,
    seen: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl Respond for LostFirst {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut seen = self.seen.lock().unwrap();
        seen.push(request.body.clone());
        if seen.len() == 1 {
            self.late.clone()
        } else {
            self.then.clone()
        }
    }
}

/// A search that finds nothing until `made` holds something, then finds `found(made)`.
struct FoundAfter {
    made: Arc<Mutex<Vec<Vec<u8>>>>,
    found: fn(&[u8]) -> Value,
}

impl Respond for FoundAfter {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let made = self.made.lock().unwrap();
        match made.first() {
            Some(first) => ResponseTemplate::new(200).set_body_json(json!([(self.found)(first)])),
            None => ResponseTemplate::new(200).set_body_json(json!([])),
        }
    }
}

#[tokio::test]
async fn lost_answers_to_the_upload_and_the_create_leave_one_attachment_and_one_post() {
    let server = MockServer::start().await;
    portal_reads_tag_exists(&server).await;
    writes(&server, "/wp-json/wp/v2/tags", "tag_created", 0).await;
    let uploads = Arc::new(Mutex::new(Vec::new()));
    let creates = Arc::new(Mutex::new(Vec::new()));
    let late = |name: &str| answer(name).set_delay(Duration::from_millis(2500));
    Mock::given(method("POST"))
        .and(path("/wp-json/wp/v2/media"))
        .respond_with(LostFirst {
            late: late("media_uploaded"),
            then: answer("media_uploaded"),
            seen: uploads.clone(),
        })
        .expect(1)
        .named("the one upload")
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/wp-json/wp/v2/posts"))
        .respond_with(LostFirst {
            late: late("post_created"),
            then: answer("post_created"),
            seen: creates.clone(),
        })
        .expect(1)
        .named("the one create")
        .mount(&server)
        .await;
    let post_id = body("post_created")["id"].as_u64().unwrap();
    Mock::given(method("POST"))
        .and(path(format!("/wp-json/wp/v2/posts/{post_id}")))
        .respond_with(answer("post_created"))
        .expect(1)
        .named("the adopted post's update")
        .mount(&server)
        .await;
    // the media library finds what the lost upload made, by its marker (hash of the bytes)
    Mock::given(method("GET"))
        .and(path("/wp-json/wp/v2/media"))
        .respond_with(FoundAfter {
            made: uploads.clone(),
            found: |_| {
                let mut item = body("media_uploaded");
                let sha = newsroom_core::files::content_hash(&common::png(8, 8, "mock"));
                item["description"]["raw"] = json!(format!(
                    "Uploaded by Newsroom. newsroom:{}",
                    media_marker(&sha)
                ));
                item
            },
        })
        .mount(&server)
        .await;
    // the posts search finds what the lost create made, by the job marker it carries
    Mock::given(method("GET"))
        .and(path_regex("^/wp-json/wp/v2/posts$"))
        .respond_with(FoundAfter {
            made: creates.clone(),
            found: |sent| {
                let sent: Value = serde_json::from_slice(sent).unwrap();
                json!({"id": body("post_created")["id"], "content": {"raw": sent["content"]}})
            },
        })
        .mount(&server)
        .await;

    let desk = Desk::new(&draft_front());
    assert_eq!(desk.image, common::png(8, 8, "mock"));
    let p = published(
        desk.publisher(&server.uri(), 3)
            .publish(desk.request(), common::no_progress())
            .await
            .unwrap(),
    );
    assert_eq!(p.post_id, post_id);
    assert!(
        p.adopted,
        "the third attempt completes the post the second one made"
    );
    assert_eq!(
        (p.images_uploaded, p.images_reused),
        (0, 1),
        "found, not uploaded again"
    );
    assert_eq!(uploads.lock().unwrap().len(), 1);
    assert_eq!(creates.lock().unwrap().len(), 1);
    assert!(desk.draft().contains(&format!("post_id: {post_id}")));
}

#[tokio::test]
async fn a_raw_html_image_is_uploaded_once_with_the_markdown_one_and_its_src_rewritten() {
    let server = MockServer::start().await;
    portal_reads(&server).await;
    empty_searches(&server).await;
    writes(&server, "/wp-json/wp/v2/tags", "tag_created", 1).await;
    // `images/a.png` (Markdown and raw) and its copy (same bytes): one upload.
    writes(&server, "/wp-json/wp/v2/media", "media_uploaded", 1).await;
    writes(&server, "/wp-json/wp/v2/posts", "post_created", 1).await;

    let desk = Desk::new(&draft_front());
    std::fs::write(desk.root.join("images/copy.png"), &desk.image).unwrap();
    std::fs::write(
        desk.root.join("a.md"),
        format!(
            "---\ntitle: Talks stall\n{}---\nThe talks stalled.\n\n![Map](images/a.png)\n\n<figure>\n<img src=\"images/a.png\" alt=\"Map &amp; key\">\n<img alt=\"Copy\" src=\"images/copy.png\" onerror=\"x()\">\n<img src=\"https://cdn.example/remote.png\" alt=\"Remote\">\n<figcaption>Both maps</figcaption>\n</figure>\n",
            draft_front()
        ),
    )
    .unwrap();
    let p = published(
        desk.publisher(&server.uri(), 1)
            .publish(desk.request(), common::no_progress())
            .await
            .unwrap(),
    );
    assert_eq!((p.images_uploaded, p.images_reused), (1, 0));
    let sent = server.received_requests().await.unwrap();
    let create = sent
        .iter()
        .find(|r| r.method.as_str() == "POST" && r.url.path() == "/wp-json/wp/v2/posts")
        .unwrap();
    let payload: Value = serde_json::from_slice(&create.body).unwrap();
    let content = payload["content"].as_str().unwrap();
    let url = body("media_uploaded")["source_url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!content.contains("images/"), "{content}");
    assert!(!content.contains("onerror"), "{content}");
    assert_eq!(content.matches(url.as_str()).count(), 3, "{content}");
    assert!(
        content.contains(&format!(
            "<!-- wp:html -->\n<figure>\n<img src=\"{url}\" alt=\"Map &amp; key\">\n<img alt=\"Copy\" src=\"{url}\">\n<img src=\"https://cdn.example/remote.png\" alt=\"Remote\">\n<figcaption>Both maps</figcaption>\n</figure>\n<!-- /wp:html -->"
        )),
        "{content}"
    );
}

#[tokio::test]
async fn a_raw_html_image_outside_the_folder_stops_before_any_request() {
    let server = MockServer::start().await;
    no_writes(&server).await;
    let desk = Desk::new(&draft_front());
    std::fs::write(
        desk.root.join("a.md"),
        format!(
            "---\ntitle: Talks stall\n{}---\nText.\n\n<p><img src=\"../../etc/passwd.png\"></p>\n",
            draft_front()
        ),
    )
    .unwrap();
    let err = desk
        .publisher(&server.uri(), 1)
        .publish(desk.request(), common::no_progress())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "image");
    let msg = err.to_string();
    assert!(
        msg.contains("a.md:9: image `../../etc/passwd.png`") && msg.contains("outside"),
        "{msg}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_img_inside_a_paragraph_is_uploaded_and_its_src_rewritten() {
    let server = MockServer::start().await;
    portal_reads(&server).await;
    empty_searches(&server).await;
    writes(&server, "/wp-json/wp/v2/tags", "tag_created", 1).await;
    writes(&server, "/wp-json/wp/v2/media", "media_uploaded", 1).await;
    writes(&server, "/wp-json/wp/v2/posts", "post_created", 1).await;

    let desk = Desk::new(&draft_front());
    std::fs::write(
        desk.root.join("a.md"),
        format!(
            "---\ntitle: Talks stall\n{}---\nThe map <img src=\"images/a.png\" alt=\"Map &amp; key\" onerror=\"x()\"> shows the border, as does <img src=\"https://cdn.example/remote.png\" alt=\"Remote\">.\n",
            draft_front()
        ),
    )
    .unwrap();
    let p = published(
        desk.publisher(&server.uri(), 1)
            .publish(desk.request(), common::no_progress())
            .await
            .unwrap(),
    );
    assert_eq!((p.images_uploaded, p.images_reused), (1, 0));
    let sent = server.received_requests().await.unwrap();
    let upload = sent
        .iter()
        .find(|r| r.method.as_str() == "POST" && r.url.path() == "/wp-json/wp/v2/media")
        .unwrap();
    assert!(
        upload
            .body
            .windows(desk.image.len())
            .any(|w| w == desk.image.as_slice()),
        "the file's own bytes are uploaded"
    );
    let form = String::from_utf8_lossy(&upload.body);
    assert!(
        form.contains("\r\n\r\nMap & key\r\n"),
        "its alt text goes along: {form}"
    );
    let create = sent
        .iter()
        .find(|r| r.method.as_str() == "POST" && r.url.path() == "/wp-json/wp/v2/posts")
        .unwrap();
    let payload: Value = serde_json::from_slice(&create.body).unwrap();
    let content = payload["content"].as_str().unwrap();
    let url = body("media_uploaded")["source_url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        content.contains(&format!(
            "<p>The map <img src=\"{url}\" alt=\"Map &amp; key\"> shows the border, as does <img src=\"https://cdn.example/remote.png\" alt=\"Remote\">.</p>"
        )),
        "{content}"
    );
    assert!(
        !content.contains("images/") && !content.contains("onerror"),
        "{content}"
    );
}

#[tokio::test]
async fn an_img_inside_a_paragraph_outside_the_folder_stops_before_any_request() {
    let server = MockServer::start().await;
    no_writes(&server).await;
    let desk = Desk::new(&draft_front());
    std::fs::write(
        desk.root.join("a.md"),
        format!(
            "---\ntitle: Talks stall\n{}---\nText.\n\nSee <img src=\"../../etc/passwd.png\"> here.\n",
            draft_front()
        ),
    )
    .unwrap();
    let err = desk
        .publisher(&server.uri(), 1)
        .publish(desk.request(), common::no_progress())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "image");
    let msg = err.to_string();
    assert!(
        msg.contains("a.md:9: image `../../etc/passwd.png`") && msg.contains("outside"),
        "{msg}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}
