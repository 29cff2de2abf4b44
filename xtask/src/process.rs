//! Running the project's commands with the environment the tools need.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A command run from the project root, with the project's tool directories
/// first on `PATH` and Trunk's network self-check switched off.
pub fn command(root: &Path, program: &str) -> Command {
    let mut command = Command::new(program);
    command
        .current_dir(root)
        .env("PATH", tool_path(root))
        .env("TRUNK_SKIP_VERSION_CHECK", "true");
    command
}

/// `PATH` with `node_modules/.bin` (wasm-opt, from npm's binaryen) and
/// cargo's bin directory (trunk, wasm-bindgen) in front.
pub fn tool_path(root: &Path) -> std::ffi::OsString {
    let mut dirs = vec![root.join("node_modules/.bin"), cargo_bin_dir()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).expect("PATH entries are valid")
}

/// Where `cargo install` puts binaries.
pub fn cargo_bin_dir() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

/// Runs a command with inherited output; `Err` says what failed.
pub fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|error| format!("could not start {}: {error}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(command)))
    }
}

/// The first line of a command's stdout, if it runs and succeeds.
pub fn output_line(command: &mut Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    output.status.success().then(|| {
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    })
}

/// Test counts read off the test runners' summary lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TestCounts {
    pub passed: u64,
    pub failed: u64,
}

impl TestCounts {
    /// Adds the counts of one output line, if it is a runner's summary:
    /// cargo test / wasm-bindgen-test (`test result: ok. 5 passed; 0 failed; …`)
    /// or node's spec reporter (`ℹ pass 2`, `ℹ fail 0`).
    pub fn read_line(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split([';', '.']) {
                let mut words = part.split_whitespace();
                if let (Some(n), Some(what)) = (words.next(), words.next()) {
                    match (n.parse::<u64>(), what) {
                        (Ok(n), "passed") => self.passed += n,
                        (Ok(n), "failed") => self.failed += n,
                        _ => {}
                    }
                }
            }
        } else if let Some(rest) = line.strip_prefix("ℹ ") {
            let mut words = rest.split_whitespace();
            match (words.next(), words.next().map(str::parse::<u64>)) {
                (Some("pass"), Some(Ok(n))) => self.passed += n,
                (Some("fail"), Some(Ok(n))) => self.failed += n,
                _ => {}
            }
        }
    }
}

/// Runs a command, echoing its stdout as it comes while counting the test
/// results it reports. With `explain`, a failure's message ends with that
/// output.
pub fn run_counting(command: &mut Command, explain: bool) -> (Result<(), String>, TestCounts) {
    let mut counts = TestCounts::default();
    let mut child = match command.stdout(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(error) => {
            return (
                Err(format!("could not start {}: {error}", describe(command))),
                counts,
            );
        }
    };
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut out = std::io::stdout();
    let mut kept = String::new();
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        counts.read_line(&line);
        let _ = writeln!(out, "{line}");
        if explain {
            kept.push('\n');
            kept.push_str(&line);
        }
    }
    let result = match child.wait() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{} failed ({status}){kept}", describe(command))),
        Err(error) => Err(format!("{}: {error}", describe(command))),
    };
    (result, counts)
}

/// `program arg arg…`, for messages.
pub fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::TestCounts;

    #[test]
    fn reads_cargo_and_wasm_bindgen_test_summaries() {
        let mut counts = TestCounts::default();
        counts.read_line("test result: ok. 19 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.50s");
        counts.read_line(
            "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 filtered out; finished in 0.25s",
        );
        counts.read_line("test parallel_adds ... ok");
        assert_eq!(
            counts,
            TestCounts {
                passed: 22,
                failed: 2
            }
        );
    }

    #[test]
    fn a_failure_that_explains_itself_carries_its_output() {
        let mut failing = std::process::Command::new("sh");
        failing.args(["-c", "echo 'total  128.6 KB'; echo OVER; exit 1"]);
        let (result, _) = super::run_counting(&mut failing, true);
        let error = result.unwrap_err();
        assert!(
            error.ends_with(" failed (exit status: 1)\ntotal  128.6 KB\nOVER"),
            "{error}"
        );
        let (result, _) = super::run_counting(&mut failing, false);
        assert!(result.unwrap_err().ends_with("failed (exit status: 1)"));
    }

    #[test]
    fn reads_node_spec_reporter_summaries() {
        let mut counts = TestCounts::default();
        for line in [
            "ℹ tests 3",
            "ℹ suites 0",
            "ℹ pass 2",
            "ℹ fail 1",
            "ℹ duration_ms 812.5",
        ] {
            counts.read_line(line);
        }
        assert_eq!(
            counts,
            TestCounts {
                passed: 2,
                failed: 1
            }
        );
    }
}
