//! What the benchmarks share.

use std::path::{Path, PathBuf};

/// A fresh folder for synthetic archives and sites, named `<name>-<pid>`: memory-backed
/// where there is /dev/shm, since disk noise would drown the figures.
pub fn scratch_dir(name: &str) -> PathBuf {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}
