//! Images and other files beside the postmortems are copied below `files/`, and the
//! postmortems' links to them lead to the copies.

use std::fs;

use crate::png::png;
use crate::support::{Archive, TODAY};

const POSTMORTEM: &str = "# Replica failover\n\
\n\
## Summary\n\
\n\
![Replica lag](img/replica-lag.png \"lag\") and the [architecture](../shared/arch%20v2.png).\n\
The [runbook](./runbook.pdf#page=2) was out of date.\n\
\n\
## Resolution\n\
\n\
![From elsewhere](https://example.com/graph.png), [missing](img/missing.png),\n\
[outside](../../secret.txt), [diagram](diagram.svg).\n";

/// An archive with one postmortem and files beside it, some of them not to be copied.
fn archive() -> Archive {
    let archive = Archive::new();
    archive.write("2024/db.md", POSTMORTEM);
    let content = archive.content();
    let put = |relative: &str, bytes: &[u8]| {
        let path = content.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    };
    put("2024/img/replica-lag.png", &png(120, 40, [200, 40, 40]));
    put("shared/arch v2.png", &png(2, 2, [0, 0, 255]));
    put(
        "2024/runbook.pdf",
        b"%PDF-1.4\n% not a real PDF, copied as it is\n",
    );
    put(
        "2024/diagram.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
    );
    put("2024/notes.html", b"<script>alert(2)</script>");
    put("2024/.hidden.png", b"hidden");
    put("2024/_private.log", b"ignored by the default `ignore` list");
    fs::write(
        archive.path().join("secret.txt"),
        "beside the content folder",
    )
    .unwrap();
    archive
}

#[test]
fn files_beside_postmortems_are_copied_and_their_links_lead_to_the_copies() {
    let archive = archive();
    let run = archive.build(&[]);
    run.assert_code(0);
    assert_eq!(
        run.diagnostics(),
        [
            "2024/diagram.svg:1:1: warning: 2 files not copied into the site, as only images, PDFs and text are (png, jpg, jpeg, gif, webp, avif, pdf, txt, csv, json, log): a browser could run script in another kind; `raw_html = \"allow\"` in pmsite.toml copies every file: 2024/diagram.svg, 2024/notes.html",
        ]
    );

    // Copied byte for byte, at their paths in the content folder.
    for relative in [
        "2024/img/replica-lag.png",
        "shared/arch v2.png",
        "2024/runbook.pdf",
    ] {
        assert_eq!(
            fs::read(archive.public().join("files").join(relative)).unwrap(),
            fs::read(archive.content().join(relative)).unwrap(),
            "{relative}"
        );
    }
    let mut copied: Vec<String> = walkdir::WalkDir::new(archive.public().join("files"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(archive.public())
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    copied.sort();
    assert_eq!(
        copied,
        [
            "files/2024/img/replica-lag.png",
            "files/2024/runbook.pdf",
            "files/shared/arch v2.png",
        ],
        "no hidden, ignored, script-bearing or outside file"
    );

    let page = archive.read("incidents/2024-db/index.html");
    for expected in [
        "<img src=\"../../files/2024/img/replica-lag.png\" alt=\"Replica lag\" title=\"lag\" />",
        "<a href=\"../../files/shared/arch%20v2.png\">architecture</a>",
        "<a href=\"../../files/2024/runbook.pdf#page=2\">runbook</a>",
        // Not copied, so left as written: the link checker reports them.
        "<a href=\"https://example.com/graph.png\">From elsewhere</a>",
        "<a href=\"img/missing.png\">missing</a>",
        "<a href=\"../../secret.txt\">outside</a>",
        "<a href=\"diagram.svg\">diagram</a>",
    ] {
        assert!(page.contains(expected), "{expected} in\n{page}");
    }

    let check = archive.run(&["check", "--format", "short", "--today", TODAY]);
    check.assert_code(0);
    let broken: Vec<&str> = check
        .diagnostics()
        .into_iter()
        .filter(|d| d.contains("leads nowhere"))
        .collect();
    assert_eq!(
        broken,
        [
            "2024/db.md:10:1: warning: the link `img/missing.png` leads nowhere: there is no incidents/2024-db/img/missing.png",
            "2024/db.md:11:1: warning: the link `../../secret.txt` leads nowhere: there is no secret.txt",
            "2024/db.md:11:1: warning: the link `diagram.svg` leads nowhere: there is no incidents/2024-db/diagram.svg",
        ]
    );
}

#[test]
fn trusted_authors_get_svg_and_html_copied_and_a_base_url_makes_links_absolute() {
    let archive = archive();
    fs::write(archive.path().join("pmsite.toml"), "raw_html = \"allow\"\n").unwrap();
    archive
        .build(&["--base-url", "https://example.com/pm/"])
        .assert_code(0);
    assert!(archive.public().join("files/2024/diagram.svg").is_file());
    assert!(archive.public().join("files/2024/notes.html").is_file());
    let page = archive.read("incidents/2024-db/index.html");
    assert!(
        page.contains("<img src=\"https://example.com/pm/files/2024/img/replica-lag.png\""),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"https://example.com/pm/files/2024/diagram.svg\">diagram</a>"),
        "{page}"
    );
}
