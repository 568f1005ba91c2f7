//! What the benchmarks share.

// Each benchmark uses some of this.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh folder for synthetic archives and sites, named `<name>-<pid>`: memory-backed
/// where /dev/shm exists and is writable, since disk noise would drown the figures; else
/// in the temp folder.
pub fn scratch_dir(name: &str) -> PathBuf {
    let folder = format!("{name}-{}", std::process::id());
    let shm = Path::new("/dev/shm").join(&folder);
    if std::fs::create_dir_all(&shm).is_ok() {
        return shm;
    }
    let dir = std::env::temp_dir().join(folder);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// The corpus seed every benchmark uses.
pub const SEED: u32 = 42;

/// Writes `size` postmortems into `out` (made anew) with the corpus generator
/// (`../shared/bench/gen_corpus.py`) and seed 42, passing `flags` on.
pub fn generate_corpus(
    generator: &Path,
    out: &Path,
    size: usize,
    flags: &[&str],
) -> Result<(), String> {
    if !generator.is_file() {
        return Err(format!("{} not found", generator.display()));
    }
    let _ = std::fs::remove_dir_all(out);
    let result = Command::new("python3")
        .arg(generator)
        .arg(out)
        .arg(size.to_string())
        .args(["--seed", &SEED.to_string()])
        .args(flags)
        .output()
        .map_err(|e| format!("could not run python3: {e}"))?;
    if !result.status.success() {
        return Err(format!(
            "{} failed: {}",
            generator.display(),
            String::from_utf8_lossy(&result.stderr).trim()
        ));
    }
    Ok(())
}

/// `PMSITE_BENCH_GENERATOR`, or `../shared/bench/gen_corpus.py` beside the repository.
pub fn corpus_generator() -> PathBuf {
    std::env::var_os("PMSITE_BENCH_GENERATOR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py")
        })
}
