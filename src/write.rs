//! Writes the rendered site: the only code that touches the output folder. Files go to a
//! staging folder beside it; only when all are written does it replace the old site (the
//! old folder is renamed aside, the staging folder renamed into place, then the old one
//! deleted), so a failed build leaves the previous site as it was and pages of removed
//! incidents disappear.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::render::{FileContent, RenderedSite};

/// The file that marks a folder as pmsite's to replace.
pub const MARKER: &str = ".pmsite";

/// Replaces `output` with `site`. An existing `output` that is not empty and has no
/// marker is refused unless `force`.
pub fn write_site(output: &Path, site: &RenderedSite, force: bool) -> Result<()> {
    replace_site(output, site, force).map_err(|error| match error {
        Error::Io { path, source } => Error::Write {
            output: output.to_path_buf(),
            path,
            source,
        },
        other => other,
    })
}

fn replace_site(output: &Path, site: &RenderedSite, force: bool) -> Result<()> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    // One build at a time replaces this folder; the lock goes when `_lock` is dropped,
    // or when the process dies.
    let _lock = lock_output(&parent.join(format!(".{name}.pmsite-lock")), output)?;
    check_replaceable(output, force)?;
    let staging = parent.join(format!(".{name}.pmsite-staging-{}", std::process::id()));
    let old = parent.join(format!(".{name}.pmsite-old-{}", std::process::id()));

    let result = fill(&staging, site).and_then(|()| swap(&staging, output, &old));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Takes the lock file beside the output folder, or says who holds it.
fn lock_output(lock_path: &Path, output: &Path) -> Result<fs::File> {
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path)
        .map_err(|e| Error::io(lock_path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(Error::Usage(format!(
            "another pmsite build is writing {} right now (it holds {}); run this one when it has finished",
            output.display(),
            lock_path.display()
        ))),
        Err(fs::TryLockError::Error(e)) => Err(Error::io(lock_path, e)),
    }
}

fn check_replaceable(output: &Path, force: bool) -> Result<()> {
    let metadata = match fs::symlink_metadata(output) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(output, e)),
    };
    if !metadata.is_dir() {
        return Err(Error::Usage(format!(
            "output {} exists and is not a folder",
            output.display()
        )));
    }
    if force || output.join(MARKER).is_file() {
        return Ok(());
    }
    let mut entries = fs::read_dir(output).map_err(|e| Error::io(output, e))?;
    if entries.next().is_none() {
        return Ok(());
    }
    Err(Error::ForeignOutput(output.to_path_buf()))
}

fn fill(staging: &Path, site: &RenderedSite) -> Result<()> {
    if staging.exists() {
        fs::remove_dir_all(staging).map_err(|e| Error::io(staging, e))?;
    }
    fs::create_dir_all(staging).map_err(|e| Error::io(staging, e))?;
    let paths = site
        .files
        .keys()
        .map(|relative| inside(staging, relative))
        .collect::<Result<Vec<_>>>()?;
    let folders: BTreeSet<&Path> = paths.iter().filter_map(|p| p.parent()).collect();
    // One folder per incident: created from several threads too (create_dir_all
    // tolerates a shared parent being created at the same time).
    folders
        .into_par_iter()
        .try_for_each(|folder| fs::create_dir_all(folder).map_err(|e| Error::io(folder, e)))?;
    // Writing thousands of small files is faster from several threads.
    paths
        .par_iter()
        .zip(site.files.values().collect::<Vec<_>>())
        .try_for_each(|(path, content)| write_file(path, content))?;
    let marker = staging.join(MARKER);
    fs::write(
        &marker,
        "This folder is written by pmsite and replaced on every build.\n",
    )
    .map_err(|e| Error::io(&marker, e))
}

fn write_file(path: &Path, content: &FileContent) -> Result<()> {
    let file = fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, file);
    content
        .write_to(&mut out)
        .and_then(|()| std::io::Write::flush(&mut out))
        .map_err(|e| Error::io(path, e))
}

/// Joins a rendered file's path to the output folder, refusing anything that could
/// land outside it.
fn inside(root: &Path, relative: &str) -> Result<PathBuf> {
    let path = Path::new(relative);
    let safe = !relative.is_empty()
        && !relative.contains('\\')
        && path.components().all(|c| matches!(c, Component::Normal(_)));
    if !safe {
        return Err(Error::Usage(format!(
            "refusing to write `{relative}`: not a plain path inside the output folder"
        )));
    }
    Ok(root.join(path))
}

fn swap(staging: &Path, output: &Path, old: &Path) -> Result<()> {
    let had_output = output.exists();
    if had_output {
        if old.exists() {
            fs::remove_dir_all(old).map_err(|e| Error::io(old, e))?;
        }
        fs::rename(output, old).map_err(|e| Error::io(output, e))?;
    }
    if let Err(e) = fs::rename(staging, output) {
        if had_output && fs::rename(old, output).is_err() {
            // Not an `Io` error: the previous site is no longer where it was.
            return Err(Error::Usage(format!(
                "cannot move the new site into {}: {e}; the previous site is in {}",
                output.display(),
                old.display()
            )));
        }
        return Err(Error::io(output, e));
    }
    if had_output {
        // The new site is in place; failing to delete the old one loses nothing.
        remove_in_parallel(old);
    }
    Ok(())
}

/// `remove_dir_all`, with the folder's entries (one per incident below `incidents/`)
/// removed from several threads: a rebuild of a large archive deletes as many files as
/// it writes.
fn remove_in_parallel(dir: &Path) {
    let entries = |dir: &Path| -> Vec<PathBuf> {
        fs::read_dir(dir)
            .map(|read| read.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default()
    };
    let mut paths = entries(dir);
    let incidents = dir.join("incidents");
    if incidents.is_dir() {
        paths.retain(|p| p != &incidents);
        paths.extend(entries(&incidents));
    }
    paths.par_iter().for_each(|path| {
        let _ = if path.is_dir() {
            fs::remove_dir_all(path)
        } else {
            fs::remove_file(path)
        };
    });
    let _ = fs::remove_dir_all(dir);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> RenderedSite {
        RenderedSite {
            files: files
                .iter()
                .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec().into()))
                .collect(),
        }
    }

    #[test]
    fn replaces_the_old_site_and_drops_stale_pages() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &site(&[("index.html", "one"), ("incidents/a/index.html", "a")]),
            false,
        )
        .unwrap();
        write_site(&out, &site(&[("index.html", "two")]), false).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("incidents/a/index.html").exists());
        let mut leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        leftovers.sort();
        // No staging or old folder; the lock file stays (deleting it would let two
        // builds lock two different files).
        assert_eq!(leftovers, [".public.pmsite-lock", "public"]);
    }

    #[test]
    fn refuses_a_folder_it_did_not_create() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("thesis.md"), "precious").unwrap();
        let err = write_site(&out, &site(&[("index.html", "x")]), false).unwrap_err();
        assert!(matches!(err, Error::ForeignOutput(_)));
        assert_eq!(
            fs::read_to_string(out.join("thesis.md")).unwrap(),
            "precious"
        );
        write_site(&out, &site(&[("index.html", "x")]), true).unwrap();
        assert!(!out.join("thesis.md").exists());
    }

    #[test]
    fn a_failed_write_keeps_the_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &site(&[("index.html", "good")]), false).unwrap();
        let err = write_site(
            &out,
            &site(&[("index.html", "new"), ("../escape.html", "bad")]),
            false,
        )
        .unwrap_err();
        assert!(err.to_string().contains("refusing to write"));
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
        assert!(!dir.path().join("escape.html").exists());
    }
}
