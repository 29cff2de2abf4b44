//! Live progress for the long first-run steps (building Trunk and
//! wasm-bindgen-cli, npm packages, Chromium), so a new user never watches a
//! silent terminal for twenty minutes.
//!
//! Each step writes its full output to a log file, as before. A status line
//! is redrawn in place every second on a terminal, and printed as a plain line
//! every 30 s otherwise (CI logs). For `cargo install`, cargo itself is asked
//! to draw its progress bar into the log (`CARGO_TERM_PROGRESS_WHEN=always`),
//! and [`cargo_stage`] reads the exact "built N of M crates" back from it.
//!
//! Written by hand rather than with a progress-bar crate: xtask has no
//! dependencies, so `cargo xtask` itself builds in seconds on a fresh machine,
//! before anything else is installed.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How far one `cargo install` has got, read off its log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CargoStage {
    /// Nothing to read yet, or fetching the index.
    Starting,
    /// Fetching crates: how many have arrived.
    Downloading { crates: usize },
    /// Compiling: crates done out of the total cargo plans to build.
    Building { done: usize, total: usize },
    /// Built; cargo is copying the binaries into place.
    Installing,
}

impl CargoStage {
    /// Words for the status line.
    pub fn describe(&self) -> String {
        match self {
            Self::Starting => "starting".to_owned(),
            Self::Downloading { crates } => format!("downloading ({crates} crates)"),
            Self::Building { done, total } => {
                let percent = if *total == 0 { 0 } else { done * 100 / total };
                format!("building {done}/{total} crates ({percent} %)")
            }
            Self::Installing => "installing".to_owned(),
        }
    }
}

/// The latest stage a `cargo install` log shows. Cargo's progress bar lines
/// look like `    Building [=====>    ] 120/380: serde, tokio` and are
/// separated by carriage returns, not newlines.
pub fn cargo_stage(log: &str) -> CargoStage {
    let mut stage = CargoStage::Starting;
    let mut downloaded = 0;
    for part in log.split(['\n', '\r']) {
        let part = part.trim();
        if part.starts_with("Downloaded ") {
            downloaded += 1;
            stage = CargoStage::Downloading { crates: downloaded };
        } else if let Some(rest) = part.strip_prefix("Building [") {
            if let Some((done, total)) = rest
                .split_once("] ")
                .and_then(|(_, counts)| counts.split(':').next())
                .and_then(|counts| counts.split_once('/'))
                .and_then(|(done, total)| Some((done.parse().ok()?, total.parse().ok()?)))
            {
                stage = CargoStage::Building { done, total };
            }
        } else if part.starts_with("Finished ") || part.starts_with("Installing /") {
            stage = CargoStage::Installing;
        }
    }
    stage
}

/// `1m05s` / `42s`.
pub fn elapsed_text(elapsed: Duration) -> String {
    let seconds = elapsed.as_secs();
    if seconds >= 60 {
        format!("{}m{:02}s", seconds / 60, seconds % 60)
    } else {
        format!("{seconds}s")
    }
}

/// One piece of work shown on the status line.
pub struct Watched {
    /// What is being done, e.g. `trunk 0.22.1`.
    pub label: String,
    /// Its log file; for cargo installs, read for the stage.
    pub log: PathBuf,
    /// Whether the log is a `cargo install` log to read progress from.
    pub cargo: bool,
    /// Set when the work is over.
    pub done: Arc<AtomicBool>,
}

/// Redraws the status line until dropped.
pub struct StatusLine {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StatusLine {
    /// Starts showing `watched`, with `step` (e.g. `step 2 of 4`) and what
    /// comes `next`. `alongside`: other output is flowing at the same time
    /// (the test command's first checks run during the installs), so the
    /// status comes as a plain line every minute instead of one redrawn line.
    pub fn start(
        step: String,
        watched: Vec<Watched>,
        next: Option<String>,
        alongside: bool,
    ) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let started = Instant::now();
        let thread = thread::spawn(move || {
            let terminal = std::io::stderr().is_terminal() && !alongside;
            let every = if terminal {
                Duration::from_secs(1)
            } else if alongside {
                Duration::from_secs(60)
            } else {
                Duration::from_secs(30)
            };
            let mut last = Instant::now();
            while !stopping.load(Ordering::Relaxed) {
                thread::sleep(Duration::from_millis(200));
                if last.elapsed() < every {
                    continue;
                }
                last = Instant::now();
                let line = status_text(&step, &watched, next.as_deref(), started.elapsed());
                let mut err = std::io::stderr().lock();
                if terminal {
                    let _ = write!(err, "\r\x1b[K{line}");
                } else {
                    let _ = writeln!(err, "{line}");
                }
                let _ = err.flush();
            }
            if terminal {
                let _ = write!(std::io::stderr(), "\r\x1b[K");
            }
        });
        Self {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for StatusLine {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn status_text(step: &str, watched: &[Watched], next: Option<&str>, elapsed: Duration) -> String {
    let parts: Vec<String> = watched
        .iter()
        .map(|w| {
            let state = if w.done.load(Ordering::Relaxed) {
                "done".to_owned()
            } else if w.cargo {
                cargo_stage(&std::fs::read_to_string(&w.log).unwrap_or_default()).describe()
            } else {
                "running".to_owned()
            };
            format!("{}: {state}", w.label)
        })
        .collect();
    let mut line = format!(
        "xtask: [{}] {step}: {}",
        elapsed_text(elapsed),
        parts.join(" · ")
    );
    if let Some(next) = next {
        line.push_str(&format!(" · next: {next}"));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_log_is_starting() {
        assert_eq!(cargo_stage(""), CargoStage::Starting);
        assert_eq!(
            cargo_stage("    Updating crates.io index\n"),
            CargoStage::Starting
        );
    }

    #[test]
    fn downloaded_crates_are_counted() {
        let log = " Downloading crates ...\n  Downloaded serde v1.0.1\n  Downloaded tokio v1.2.0\n";
        assert_eq!(cargo_stage(log), CargoStage::Downloading { crates: 2 });
    }

    #[test]
    fn the_last_progress_bar_gives_the_crate_counts() {
        let log = "  Downloaded serde v1.0.1\n   Compiling serde v1.0.1\n    Building [>   ] 0/380: serde   \r    Building [==>  ] 121/380: tokio, serde                   \r   Compiling hyper v1.0.0\n";
        assert_eq!(
            cargo_stage(log),
            CargoStage::Building {
                done: 121,
                total: 380
            }
        );
        assert_eq!(
            cargo_stage(log).describe(),
            "building 121/380 crates (31 %)"
        );
    }

    #[test]
    fn finished_means_installing() {
        let log = "    Building [=====] 379/380: trunk(bin)\r    Finished `release` profile [optimized] target(s) in 20m 11s\n  Installing /root/.cargo/bin/trunk\n";
        assert_eq!(cargo_stage(log), CargoStage::Installing);
    }

    #[test]
    fn elapsed_time_reads_as_minutes_and_seconds() {
        assert_eq!(elapsed_text(Duration::from_secs(42)), "42s");
        assert_eq!(elapsed_text(Duration::from_secs(65)), "1m05s");
        assert_eq!(elapsed_text(Duration::from_secs(24 * 60 + 18)), "24m18s");
    }
}
