//! Writes the rendered site: the only code that touches the output folder. Files go to a
//! staging folder beside it as they are rendered; only when all are written does it
//! replace the old site (the old folder is renamed aside, the staging folder renamed into
//! place, then the old one deleted), so a failed build leaves the previous site as it was
//! and pages of removed incidents disappear.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
#[cfg(test)]
use crate::render::RenderedSite;
use crate::render::{FileContent, SiteSink};

/// The file that marks a folder as pmsite's to replace.
pub const MARKER: &str = ".pmsite";

/// Replaces `output` with `site`. An existing `output` that is not empty and has no
/// marker is refused unless `force`. (Builds stream into [`Staging`]; the tests write a
/// whole site at once.)
#[cfg(test)]
pub fn write_site(output: &Path, site: &RenderedSite, force: bool) -> Result<()> {
    let staging = Staging::begin(output, force)?;
    site.files
        .par_iter()
        .try_for_each(|(path, content)| staging.put(path.clone(), content.clone()))?;
    staging.finish()
}

/// A new site being written beside `output`: files go into a staging folder as they
/// are rendered, and [`Staging::finish`] swaps it into place. Dropped unfinished (an
/// error, a panic), it deletes the staging folder and the old site stays as it was.
pub struct Staging {
    output: PathBuf,
    folder: PathBuf,
    old: PathBuf,
    /// One build at a time replaces this folder; the lock goes when this is dropped, or
    /// when the process dies.
    _lock: fs::File,
    finished: bool,
}

impl Staging {
    /// Takes the output folder's lock, checks that the folder may be replaced, and
    /// makes an empty staging folder beside it.
    pub fn begin(output: &Path, force: bool) -> Result<Staging> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let prepared = (|| {
            fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
            let name = output
                .file_name()
                .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
            let lock = lock_output(&parent.join(format!(".{name}.pmsite-lock")), output)?;
            clean_up_after_a_killed_build(&parent, &name, output)?;
            check_replaceable(output, force)?;
            let folder = parent.join(format!(".{name}.pmsite-staging-{}", std::process::id()));
            let old = parent.join(format!(".{name}.pmsite-old-{}", std::process::id()));
            if folder.exists() {
                fs::remove_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
            }
            fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
            Ok(Staging {
                output: output.to_path_buf(),
                folder,
                old,
                _lock: lock,
                finished: false,
            })
        })();
        prepared.map_err(|error| write_error(output, error))
    }

    /// Writes the marker and puts the new site in place of the old one.
    pub fn finish(mut self) -> Result<()> {
        let marker = self.folder.join(MARKER);
        let result = fs::write(
            &marker,
            "This folder is written by pmsite and replaced on every build.\n",
        )
        .map_err(|e| Error::io(&marker, e))
        .and_then(|()| swap(&self.folder, &self.output, &self.old));
        self.finished = result.is_ok();
        result.map_err(|error| write_error(&self.output, error))
    }
}

impl SiteSink for Staging {
    fn put(&self, relative: String, content: FileContent) -> Result<()> {
        let path = inside(&self.folder, &relative)?;
        write_file(&path, &content).map_err(|error| write_error(&self.output, error))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.folder);
        }
    }
}

/// An I/O error while replacing `output`: says the previous site is kept.
fn write_error(output: &Path, error: Error) -> Error {
    match error {
        Error::Io { path, source } => Error::Write {
            output: output.to_path_buf(),
            path,
            source,
        },
        other => other,
    }
}

/// What a build killed between its steps left beside `output`: staging folders (an
/// unfinished site) are deleted; an old folder is the previous site, put back when
/// `output` is missing (the kill came between the two renames), else deleted. Called
/// with the lock held, so no other build is using them.
fn clean_up_after_a_killed_build(parent: &Path, name: &str, output: &Path) -> Result<()> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let staging = format!(".{name}.pmsite-staging-");
    let old = format!(".{name}.pmsite-old-");
    let mut left: Vec<(bool, PathBuf)> = entries
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let file_name = entry.file_name();
            let file_name = file_name.to_str()?;
            let is_old = file_name.starts_with(&old);
            (is_old || file_name.starts_with(&staging)).then(|| (is_old, entry.path()))
        })
        .collect();
    left.sort();
    for (is_old, path) in left {
        if is_old && !output.exists() {
            fs::rename(&path, output).map_err(|e| Error::io(&path, e))?;
        } else {
            fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
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
        Err(fs::TryLockError::WouldBlock) => Err(Error::OutputLocked {
            output: output.to_path_buf(),
            lock: lock_path.to_path_buf(),
        }),
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
        return Err(Error::OutputNotAFolder(output.to_path_buf()));
    }
    if output.join(MARKER).is_file() {
        return Ok(());
    }
    // Even with --force, a folder that holds a project is not a site to replace.
    if let Some(project) = ["pmsite.toml", ".git"]
        .into_iter()
        .find(|name| fs::symlink_metadata(output.join(name)).is_ok())
    {
        return Err(Error::ProjectOutput {
            output: output.to_path_buf(),
            project,
        });
    }
    if force {
        return Ok(());
    }
    let mut entries = fs::read_dir(output).map_err(|e| Error::io(output, e))?;
    if entries.next().is_none() {
        return Ok(());
    }
    Err(Error::ForeignOutput(output.to_path_buf()))
}

/// Writes one file, making its folder when it is the first file there.
fn write_file(path: &Path, content: &FileContent) -> Result<()> {
    let file = match fs::File::create(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // create_dir_all tolerates a shared parent made by another thread meanwhile.
            if let Some(folder) = path.parent() {
                fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
            }
            fs::File::create(path)
        }
        other => other,
    }
    .map_err(|e| Error::io(path, e))?;
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
        return Err(Error::UnsafeOutputPath(relative.to_string()));
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
            return Err(Error::SwapFailed {
                output: output.to_path_buf(),
                kept: old.to_path_buf(),
                source: e,
            });
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
    fn a_second_build_while_one_holds_the_lock_is_output_locked() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = Staging::begin(&out, false).unwrap();
        match Staging::begin(&out, false) {
            Err(Error::OutputLocked { output, lock }) => {
                assert_eq!(output, out);
                assert_eq!(lock, dir.path().join(".public.pmsite-lock"));
            }
            other => panic!("expected OutputLocked, got {:?}", other.err()),
        }
        drop(first);
    }

    #[test]
    fn a_project_folder_is_never_replaced_and_a_file_is_not_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("project");
        fs::create_dir_all(project.join(".git")).unwrap();
        let refused = Staging::begin(&project, true).err();
        assert!(
            matches!(
                refused,
                Some(Error::ProjectOutput {
                    project: ".git",
                    ..
                })
            ),
            "{refused:?}"
        );
        let file = dir.path().join("file");
        fs::write(&file, "x").unwrap();
        let refused = Staging::begin(&file, true).err();
        assert!(
            matches!(&refused, Some(Error::OutputNotAFolder(path)) if *path == file),
            "{refused:?}"
        );
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

    #[test]
    fn a_staging_folder_dropped_unfinished_is_deleted_and_the_old_site_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &site(&[("index.html", "old")]), false).unwrap();
        let staging = Staging::begin(&out, false).unwrap();
        staging
            .put("incidents/a/index.html".into(), b"new".to_vec().into())
            .unwrap();
        assert!(staging.folder.join("incidents/a/index.html").is_file());
        let folder = staging.folder.clone();
        drop(staging);
        assert!(!folder.exists());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
    }

    #[test]
    fn what_a_killed_build_left_is_cleaned_up_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &site(&[("index.html", "one")]), false).unwrap();
        // Killed while writing: a staging folder stays.
        fs::create_dir_all(dir.path().join(".public.pmsite-staging-999999/incidents")).unwrap();
        write_site(&out, &site(&[("index.html", "two")]), false).unwrap();
        assert!(!dir.path().join(".public.pmsite-staging-999999").exists());
        // Killed between the renames: the previous site is in the old folder and
        // `public` is missing; it is put back before the next build replaces it.
        fs::rename(&out, dir.path().join(".public.pmsite-old-999999")).unwrap();
        let staging = Staging::begin(&out, false).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!dir.path().join(".public.pmsite-old-999999").exists());
        drop(staging);
    }

    #[test]
    fn force_never_replaces_a_project_folder() {
        let dir = tempfile::tempdir().unwrap();
        for project in ["pmsite.toml", ".git"] {
            let out = dir.path().join(format!("project-{project}"));
            fs::create_dir_all(&out).unwrap();
            fs::write(out.join(project), "keep").unwrap();
            let err = write_site(&out, &site(&[("index.html", "x")]), true).unwrap_err();
            assert!(err.to_string().contains("even with --force"), "{err}");
            assert!(out.join(project).exists());
        }
    }
}
