//! What the benchmarks share.

use std::path::{Path, PathBuf};

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
