//! Writes a synthetic archive: `cargo run --release --example synthetic -- DIR COUNT`.
//! Handy for trying pmsite at scale or profiling it.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(count)) = (args.first(), args.get(1).and_then(|c| c.parse().ok())) else {
        eprintln!("usage: synthetic DIR COUNT");
        std::process::exit(2);
    };
    pmsite::synthetic::write_archive(std::path::Path::new(dir), count).expect("write archive");
}
