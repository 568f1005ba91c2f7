//! Hostile input: files as they arrive from wikis, chat, terminals and careless copies.
//! For each: no panic, the expected diagnostic with its file and line, the other files
//! built, nothing written outside the output folder, and no script in any page (the
//! pages are parsed as HTML, not grepped).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::support::Archive;

/// A file, and the diagnostic it must get: (code, line), or `None` when it must build
/// cleanly.
struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    expect: Option<(&'static str, usize)>,
    /// Whether it still becomes an incident page.
    builds: bool,
}

fn case(
    name: &'static str,
    bytes: impl Into<Vec<u8>>,
    expect: Option<(&'static str, usize)>,
    builds: bool,
) -> Case {
    Case {
        name,
        bytes: bytes.into(),
        expect,
        builds,
    }
}

/// Nine levels of nine aliases each: 9^9 strings if expanded.
fn alias_bomb() -> String {
    let mut yaml = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut previous = 'a';
    for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
        let refs = vec![format!("*{previous}"); 9].join(",");
        yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
        previous = name;
    }
    yaml.push_str("title: *i\n---\n# Bomb\n");
    yaml
}

fn cases() -> Vec<Case> {
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "# Wide title\n\nRoot Cause: UTF-16.\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    vec![
        // Encodings and line ends.
        case("latin1.md", b"# Caf\xe9 outage\n\nRoot Cause: na\xefve retry.\n".to_vec(), Some(("not-utf8", 1)), true),
        case("cp1252.md", b"# Quotes\n\nSummary: the \x93smart\x94 quotes \x96 and \x80.\n".to_vec(), Some(("not-utf8", 3)), true),
        case("bom.md", b"\xef\xbb\xbf# Bom title\n\nRoot Cause: a BOM.\n".to_vec(), None, true),
        case("utf16.md", utf16, None, true),
        case("crlf.md", "# CRLF\r\n\r\nRoot Cause: Windows.\r\n", None, true),
        case("lone-cr.md", "# Lone CR\rRoot Cause: old Mac.\r", None, true),
        case("nul.md", b"# Looks like text\n\x00\x01\x02".to_vec(), Some(("binary-file", 1)), false),
        case("image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec(), Some(("binary-file", 1)), false),
        // Frontmatter.
        case("unclosed.md", "---\ntitle: Never closed\n# Heading\n", Some(("frontmatter-unclosed", 1)), true),
        case("bad-yaml.md", "---\ntitle: [unclosed\n---\n# Bad YAML\n", Some(("frontmatter-invalid", 3)), true),
        case("types.md", "---\ntitle: [a, b]\ndate: {x: 1}\n---\n# Types\n", Some(("frontmatter-type", 2)), true),
        case("bomb.md", alias_bomb(), Some(("frontmatter-invalid", 1)), true),
        case("huge-scalar.md", format!("---\ntitle: \"{}\"\n---\n", "x".repeat(1_000_000)), None, true),
        // Markdown.
        case("quotes.md", format!("# Quotes\n\n{}deep\n", "> ".repeat(5_000)), None, true),
        case("lists.md", format!("# Lists\n\n{}", (0..1_000).map(|i| format!("{}- item\n", "  ".repeat(i))).collect::<String>()), None, true),
        case("brackets.md", format!("# Brackets\n\n{}{}\n", "[".repeat(50_000), "](".repeat(20_000)), None, true),
        case("long-line.md", format!("# Long line\n\n{}\n", "word ".repeat(400_000)), None, true),
        case("too-big.md", "a".repeat(5 * 1024 * 1024), Some(("file-too-large", 1)), false),
        // Facts.
        case("dates.md", "# Dates\n\nStart: February 30, 2024, 25:61 UTC\nEnd: 0000-00-00\n\n## Timeline\n\n- 10:30: time with no date\n- 9999-12-31 23:59: the end of time\n", Some(("unreadable-date", 3)), true),
        case("overflow.md", "# Overflow\n\nDuration: 99999999999999999999 hours\nStart: 2024-06-07 10:00 UTC\nEnd: 9999-12-31 23:59 UTC\n", None, true),
        case("slash-id.md", "---\nid: \"../../outside\"\n---\n# Slash id\n", Some(("id-not-a-slug", 2)), true),
        case("backslash-id.md", "---\nid: 'a\\b\\..\\c'\n---\n# Backslash id\n", Some(("id-not-a-slug", 2)), true),
        case("control-id.md", "---\nid: \"\\u0007bell\\u001b[31m\"\n---\n# Control id\n", Some(("id-not-a-slug", 2)), true),
        case("punct-id.md", "---\nid: \"!!!\"\n---\n# Punctuation id\n", Some(("id-not-a-slug", 2)), true),
        // Script, however it is smuggled in.
        // Attachments: an image is copied; other kinds, which a browser may run script
        // in, are not, and are named in one warning at the first of them.
        case("ok.png", crate::png::png(3, 3, [0, 128, 0]), None, false),
        case("evil.html", "<script>alert(15)</script>", Some(("attachment-skipped", 1)), false),
        case("evil.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(13)\"><script>alert(14)</script></svg>", None, false),
        case("evil.xht", "<html xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(16)</script></html>", None, false),
        case("evil.rss", "<rss><channel><script xmlns=\"http://www.w3.org/1999/xhtml\">alert(17)</script></channel></rss>", None, false),
        case("bell\u{7}.png", crate::png::png(1, 1, [0, 0, 0]), Some(("attachment-skipped", 1)), false),
        case("xss.md", concat!(
            "---\ntitle: \"<script>alert('title')</script>\"\ntags: [\"\\\"><script>alert(1)</script>\"]\nservices: [\"<img src=x onerror=alert(2)>\"]\n---\n",
            "# <img src=x onerror=alert(3)>\n\n",
            "Root Cause: <script>alert(4)</script> <a href=\"jav&#x09;ascript:alert(5)\">x</a>\n\n",
            "[link](javascript:alert(6)) [data](data:text/html,<script>alert(7)</script>) ![img](x \"onerror=alert(8)\")\n\n",
            "<iframe srcdoc=\"<script>alert(9)</script>\"></iframe><svg><script>alert(10)</script></svg>\n\n",
            "<div style=\"position:fixed;inset:0;background:red\" onmouseover=\"alert(11)\">cover</div>\n\n",
            "![ok](ok.png) [svg](evil.svg) ![svg](evil.svg) <img src=\"evil.html\"> [page](evil.html)\n\n",
            "## Tasks\n\n- Task 1: <b onclick=alert(12)>fix</b> Owner: @\"><script>x</script> Due: 2024-07-01\n",
        ), None, true),
    ]
}

#[test]
fn every_hostile_file_gets_its_diagnostic_and_the_rest_still_build() {
    let archive = Archive::new();
    archive.write("good.md", "# Good one\n\nRoot Cause: nothing odd.\n");
    for case in cases() {
        std::fs::write(archive.content().join(case.name), &case.bytes).unwrap();
    }
    let before = files_outside_output(archive.path());

    let run = archive.run(&["build", "--today", "2024-09-10", "--format", "json", "-v"]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.assert_code(1); // errors (binary, too large, bad YAML), the rest built

    let diagnostics: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for case in cases() {
        let of_file: Vec<(String, u64)> = diagnostics
            .iter()
            .filter(|d| d["path"] == case.name)
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["line"].as_u64().unwrap(),
                )
            })
            .collect();
        match case.expect {
            Some((code, line)) => assert!(
                of_file.contains(&(code.to_string(), line as u64)),
                "{}: expected {code} at line {line}, got {of_file:?}",
                case.name
            ),
            None => assert!(
                of_file
                    .iter()
                    .all(|(code, _)| code != "frontmatter-invalid" && code != "binary-file"),
                "{}: {of_file:?}",
                case.name
            ),
        }
    }

    let json: Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let built: BTreeSet<&str> = json["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["source"].as_str().unwrap())
        .collect();
    assert!(built.contains("good.md"));
    assert!(archive
        .read("incidents/good/index.html")
        .contains("Good one"));
    for case in cases() {
        assert_eq!(
            built.contains(case.name),
            case.builds,
            "{} built?",
            case.name
        );
    }
    // What was decoded reads right.
    assert!(archive
        .read("incidents/latin1/index.html")
        .contains("Café outage"));
    assert!(archive
        .read("incidents/cp1252/index.html")
        .contains("“smart” quotes – and €"));
    assert!(archive
        .read("incidents/utf16/index.html")
        .contains("Wide title"));
    assert!(archive
        .read("incidents/lone-cr/index.html")
        .contains("old Mac"));

    // Ids became safe folders inside the output; nothing was written anywhere else.
    for id in json["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
    {
        assert!(
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
                && !id.contains(".."),
            "unsafe id {id:?}"
        );
    }
    // Beside the output folder, only the build's lock file (see site.md) may appear.
    let mut after = files_outside_output(archive.path());
    after.remove(&(".public.pmsite-lock".to_string(), 0));
    assert_eq!(after, before, "files outside public/ changed");

    for (page, html) in pages(&archive.public()) {
        assert_no_script(&page, &html);
    }
    assert!(archive.public().join("files/ok.png").is_file());
    let copied: Vec<_> = std::fs::read_dir(archive.public().join("files"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(copied, ["ok.png"], "only the harmless attachment is copied");

    // Bounded memory: the whole hostile archive (a 5 MB file refused, a 2 MB line, a
    // million-byte title, a YAML bomb) is built within a small fixed budget.
    let peak = run
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("pmsite:    peak "))
        .and_then(|l| l.trim().strip_suffix(" MiB"))
        .map(|n| n.trim().parse::<f64>().unwrap())
        .expect("-v prints the peak memory");
    // About 130 MiB on two cores.
    eprintln!("hostile archive: peak memory {peak} MiB");
    assert!(peak < 256.0, "peak memory {peak} MiB");
}

#[test]
fn the_size_limit_can_be_raised_in_the_config() {
    let archive = Archive::new();
    archive.write(
        "big.md",
        &format!("# Big\n\n{}\n", "A long pasted log line.\n".repeat(250_000)),
    );
    let run = archive.build(&[]);
    run.assert_code(1);
    assert!(run.stderr.contains("big.md:1:1: error: file is larger than 4 MiB (`max_file_size` in pmsite.toml); skipped"), "{}", run.stderr);
    std::fs::write(
        archive.path().join("pmsite.toml"),
        "max_file_size = 16777216\n",
    )
    .unwrap();
    archive.build(&[]).assert_code(0);
    assert!(archive
        .read("incidents/big/index.html")
        .contains("A long pasted log line."));
}

#[test]
fn the_tree_itself_can_be_hostile() {
    let archive = Archive::new();
    archive.write("good.md", "# Good one\n\nRoot Cause: nothing odd.\n");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "# Secret\n").unwrap();
    std::os::unix::fs::symlink(outside.path(), archive.content().join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        archive.content().join("secret.md"),
    )
    .unwrap();
    std::fs::create_dir(archive.content().join("sub")).unwrap();
    std::os::unix::fs::symlink(archive.content(), archive.content().join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(
        "/nonexistent/file.md",
        archive.content().join("dangling.md"),
    )
    .unwrap();

    // The output folder inside the content folder: not read as content.
    let run = archive.build(&["--output", "content/site"]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    for expected in [
        "elsewhere:1:1: warning: symbolic link to a folder outside the content folder: skipped",
        "secret.md:1:1: warning: symbolic link points outside the content folder: skipped",
        "sub/loop:1:1: warning: symbolic link loop: skipped",
        "dangling.md:1:1: warning: cannot read",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
    let site = archive.content().join("site");
    assert!(site.join("incidents/good/index.html").is_file());
    assert!(
        !site.join("incidents/secret").exists(),
        "a link out was followed"
    );
    // Building again does not read the previous site as postmortems.
    let again = archive.build(&["--output", "content/site"]);
    assert!(!again.stderr.contains("site/"), "{}", again.stderr);

    // The content folder inside the output folder: refused, since the build replaces it.
    std::fs::create_dir_all(archive.path().join("public/pm")).unwrap();
    std::fs::write(archive.path().join("public/pm/a.md"), "# A\n").unwrap();
    let run = archive.build(&["--content", "public/pm", "--output", "public", "--force"]);
    run.assert_code(2);
    assert!(
        archive.path().join("public/pm/a.md").is_file(),
        "nothing was lost"
    );
    assert!(
        run.stderr.contains("must not contain the content folder"),
        "{}",
        run.stderr
    );

    // An empty content folder builds an empty site.
    let empty = Archive::new();
    let run = empty.build(&[]);
    run.assert_code(0);
    assert!(run.stderr.contains("0 incidents"), "{}", run.stderr);
    assert!(empty.public().join("index.html").is_file());
}

/// Every file under `dir` except the output folder, with its size.
fn files_outside_output(dir: &Path) -> BTreeSet<(String, u64)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.file_name() != "public")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (relative, e.metadata().unwrap().len())
        })
        .collect()
}

fn pages(site: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let page = e
                .path()
                .strip_prefix(site)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (page, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// The page, parsed as a browser would, has no way to run script: no inline or foreign
/// scripts, no event handlers, no script URLs, no frames, objects, forms or inline styles.
fn assert_no_script(page: &str, html: &str) {
    let document = scraper::Html::parse_document(html);
    for element in document
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let tag = element.value().name();
        assert!(
            !["iframe", "frame", "object", "embed", "base", "applet"].contains(&tag),
            "{page}: <{tag}>"
        );
        if tag == "form" {
            // The site's own search and filter forms, which stay on the site.
            let action = element.value().attr("action").unwrap_or_default();
            assert!(!action.contains(':'), "{page}: a form to {action}");
        }
        if tag == "script" {
            let src = element
                .value()
                .attr("src")
                .unwrap_or_else(|| panic!("{page}: an inline script: {}", element.html()));
            assert!(
                !src.contains("://")
                    && src.ends_with(".js")
                    && element.text().all(|t| t.trim().is_empty()),
                "{page}: script {src}"
            );
        }
        for (name, value) in element.value().attrs() {
            assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "{page}: {name}={value} on <{tag}>"
            );
            assert!(
                name != "style" && name != "srcdoc",
                "{page}: {name} on <{tag}>"
            );
            let squeezed: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            assert!(
                !(squeezed.starts_with("javascript:")
                    || squeezed.starts_with("vbscript:")
                    || squeezed.starts_with("data:text/html")),
                "{page}: {name}={value} on <{tag}>"
            );
        }
    }
}
