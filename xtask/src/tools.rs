//! Installs what the workflows need, skipping what is already there at the
//! right version, so a second run goes straight to work.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Instant;

use crate::process::{cargo_bin_dir, command, describe, output_line, run};
use crate::progress::{self, StatusLine, Watched};

/// The Trunk release the build is tested with.
const TRUNK_VERSION: &str = "0.22.1";
/// The Schemathesis release the API is fuzzed with (`fuzz.rs`).
const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// Its virtual environment, made with the machine's `python3 -m venv`.
const SCHEMATHESIS_VENV: &str = "target/schemathesis-venv";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// What a workflow needs installed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Build and preview: Rust tools and npm packages.
    Build,
    /// Also Chromium and ChromeDriver, for the browser tests.
    Everything,
}

/// Installs whatever is missing: first works out which steps are needed (each
/// check is a version command, so a second run goes straight to work), then
/// runs them in order with a live status line naming the step, its progress,
/// the time taken and what comes next.
pub fn ensure(root: &Path, needs: Needs) -> Result<(), String> {
    install(root, needs, false)
}

/// [`ensure`] on a thread of its own, for a caller with work that needs none
/// of it (the test command's fmt, clippy, native tests and server build run
/// meanwhile); the status comes as plain lines so it does not fight that
/// work's output. The thread gives the result and the seconds it took.
pub fn ensure_in_background(
    root: &Path,
    needs: Needs,
) -> thread::JoinHandle<(Result<(), String>, f64)> {
    let root = root.to_path_buf();
    thread::spawn(move || {
        let started = Instant::now();
        let result = install(&root, needs, true);
        (result, started.elapsed().as_secs_f64())
    })
}

fn install(root: &Path, needs: Needs, alongside: bool) -> Result<(), String> {
    let mut steps = Vec::new();
    if !has_wasm_target(root)? {
        steps.push(Install::WasmTarget);
    }
    let tools = missing_cargo_tools(root)?;
    if !tools.is_empty() {
        steps.push(Install::CargoTools(tools));
    }
    if needs == Needs::Everything && !has_chromium() {
        steps.push(Install::Chromium);
    }
    if output_line(command(root, "npm").arg("--version")).is_none() {
        steps.push(Install::Node);
    }
    if !npm_packages_current(root)? {
        steps.push(Install::NpmPackages);
    }
    if steps.is_empty() {
        return Ok(());
    }
    let log_dir = root.join("target/xtask");
    std::fs::create_dir_all(&log_dir).map_err(|error| error.to_string())?;
    let started = Instant::now();
    let count = steps.len();
    for (i, install) in steps.iter().enumerate() {
        let step = format!("step {} of {count}", i + 1);
        let next = steps.get(i + 1).map(Install::title);
        println!(
            "xtask: {step}: {}{}",
            install.title(),
            next.as_deref()
                .map(|next| format!(" (then: {next})"))
                .unwrap_or_default()
        );
        install.run(root, &log_dir, step, next, alongside)?;
    }
    println!(
        "xtask: installed in {}",
        progress::elapsed_text(started.elapsed())
    );
    Ok(())
}

/// One first-run install step.
enum Install {
    WasmTarget,
    /// Built from crates.io, in parallel.
    CargoTools(Vec<CargoTool>),
    Chromium,
    Node,
    NpmPackages,
}

/// A tool `cargo install` builds: its binary, the version line it must print,
/// and the install arguments.
struct CargoTool {
    binary: &'static str,
    version: String,
    args: Vec<String>,
}

impl Install {
    fn title(&self) -> String {
        match self {
            Self::WasmTarget => format!("the {WASM_TARGET} target (rustup)"),
            Self::CargoTools(tools) => format!(
                "building {} from crates.io (the longest step: about 20 minutes on 2 cores)",
                tools
                    .iter()
                    .map(|t| t.version.as_str())
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            Self::Chromium => "Debian's chromium and chromium-driver (apt-get)".to_owned(),
            Self::Node => "Debian's nodejs and npm (apt-get)".to_owned(),
            Self::NpmPackages => "npm packages from package-lock.json (npm ci)".to_owned(),
        }
    }

    fn run(
        &self,
        root: &Path,
        log_dir: &Path,
        step: String,
        next: Option<String>,
        alongside: bool,
    ) -> Result<(), String> {
        let logged = |name: &str, label: &str, mut command: Command| {
            let log = log_dir.join(format!("install-{name}.log"));
            let done = Arc::new(AtomicBool::new(false));
            let _status = StatusLine::start(
                step.clone(),
                vec![Watched {
                    label: label.to_owned(),
                    log: log.clone(),
                    cargo: false,
                    done: done.clone(),
                }],
                next.clone(),
                alongside,
            );
            let result = run_logged(&mut command, &log);
            done.store(true, Ordering::Relaxed);
            result
        };
        match self {
            Self::WasmTarget => run(command(root, "rustup").args(["target", "add", WASM_TARGET])),
            Self::CargoTools(tools) => {
                install_cargo_tools(root, log_dir, tools, step, next, alongside)
            }
            Self::Chromium => logged(
                "chromium",
                "chromium",
                apt_install_command(&["chromium", "chromium-driver"]),
            ),
            Self::Node => logged("node", "nodejs", apt_install_command(&["nodejs", "npm"])),
            Self::NpmPackages => {
                let mut npm = command(root, "npm");
                npm.args(["ci", "--no-audit", "--no-fund"]);
                logged("npm", "npm ci", npm)?;
                let lock = std::fs::read(root.join("package-lock.json"))
                    .map_err(|error| format!("package-lock.json: {error}"))?;
                let stamp = npm_stamp(root);
                std::fs::write(&stamp, lock)
                    .map_err(|error| format!("{}: {error}", stamp.display()))
            }
        }
    }
}

fn has_wasm_target(root: &Path) -> Result<bool, String> {
    let installed = command(root, "rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|error| format!("rustup is needed: {error}"))?;
    Ok(String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|t| t.trim() == WASM_TARGET))
}

/// Trunk and wasm-bindgen-cli (at Cargo.lock's wasm-bindgen version), where
/// missing or at another version.
fn missing_cargo_tools(root: &Path) -> Result<Vec<CargoTool>, String> {
    let wasm_bindgen = locked_version(root, "wasm-bindgen")?;
    let wanted = [
        CargoTool {
            binary: "trunk",
            version: format!("trunk {TRUNK_VERSION}"),
            // Trunk declares a newer rust-version than this toolchain; it builds and works.
            args: [
                "trunk",
                "--version",
                TRUNK_VERSION,
                "--locked",
                "--ignore-rust-version",
            ]
            .map(str::to_owned)
            .to_vec(),
        },
        CargoTool {
            binary: "wasm-bindgen",
            version: format!("wasm-bindgen {wasm_bindgen}"),
            // No --locked: its lock file pins a crate version crates.io no longer serves.
            args: vec![
                "wasm-bindgen-cli".to_owned(),
                "--version".to_owned(),
                wasm_bindgen.clone(),
            ],
        },
    ];
    Ok(wanted
        .into_iter()
        .filter(|tool| {
            let found = output_line(command(root, tool.binary).arg("--version"));
            found
                .as_deref()
                .is_none_or(|line| !line.starts_with(tool.version.as_str()))
        })
        .collect())
}

/// Builds the tools in parallel, each logging to its own file, with cargo's
/// own progress bar drawn into the log for the status line to read.
fn install_cargo_tools(
    root: &Path,
    log_dir: &Path,
    tools: &[CargoTool],
    step: String,
    next: Option<String>,
    alongside: bool,
) -> Result<(), String> {
    let mut watched = Vec::new();
    let mut installs = Vec::new();
    for tool in tools {
        let log = log_dir.join(format!("install-{}.log", tool.binary));
        println!(
            "xtask:   {} into {} (full log: {})",
            tool.version,
            cargo_bin_dir().display(),
            log.display()
        );
        let done = Arc::new(AtomicBool::new(false));
        watched.push(Watched {
            label: tool.version.clone(),
            log: log.clone(),
            cargo: true,
            done: done.clone(),
        });
        let mut install = command(root, "cargo");
        install
            .arg("install")
            .args(&tool.args)
            .env("CARGO_TERM_PROGRESS_WHEN", "always")
            .env("CARGO_TERM_PROGRESS_WIDTH", "100");
        installs.push(thread::spawn(move || {
            let result = run_logged(&mut install, &log);
            done.store(true, Ordering::Relaxed);
            result
        }));
    }
    let _status = StatusLine::start(step, watched, next, alongside);
    for install in installs {
        install
            .join()
            .map_err(|_| "install thread panicked".to_owned())??;
    }
    Ok(())
}

/// Runs a command with all its output in `log`; on failure the error carries
/// the log's last 30 lines.
fn run_logged(command: &mut Command, log: &Path) -> Result<(), String> {
    let file = std::fs::File::create(log).map_err(|error| error.to_string())?;
    let status = command
        .stdout(file.try_clone().map_err(|error| error.to_string())?)
        .stderr(file)
        .status()
        .map_err(|error| format!("could not start {}: {error}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(30).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        Err(format!(
            "{} failed; the last lines of {}:\n{}",
            describe(command),
            log.display(),
            tail.join("\n")
        ))
    }
}

/// The version of `package` in Cargo.lock.
fn locked_version(root: &Path, package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|error| format!("Cargo.lock: {error}"))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == name_line
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_owned());
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}

/// Schemathesis at `SCHEMATHESIS_VERSION` in its own virtual environment,
/// installed from PyPI when missing or at another version (log:
/// `target/xtask/install-schemathesis.log`); the path of its command.
pub fn ensure_schemathesis(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join(SCHEMATHESIS_VENV);
    let program = venv.join("bin/schemathesis");
    let installed = output_line(Command::new(&program).arg("--version"));
    if installed.is_some_and(|line| line.ends_with(&format!(" {SCHEMATHESIS_VERSION}"))) {
        return Ok(program);
    }
    let log_dir = root.join("target/xtask");
    std::fs::create_dir_all(&log_dir).map_err(|error| error.to_string())?;
    let log = log_dir.join("install-schemathesis.log");
    println!(
        "xtask: schemathesis {SCHEMATHESIS_VERSION} from PyPI into {SCHEMATHESIS_VENV} (log: {})",
        log.display()
    );
    let pip = venv.join("bin/pip");
    if !pip.exists() {
        run_logged(
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
            &log_dir.join("install-schemathesis-venv.log"),
        )?;
    }
    run_logged(
        Command::new(pip).args([
            "install",
            "--disable-pip-version-check",
            &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
        ]),
        &log,
    )?;
    Ok(program)
}

/// Debian's Chromium and ChromeDriver, for the browser tests.
fn has_chromium() -> bool {
    Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists()
}

/// Where the lock file of the last `npm ci` is kept.
fn npm_stamp(root: &Path) -> PathBuf {
    root.join("node_modules/.xtask-installed-lock")
}

/// Whether `node_modules` holds what package-lock.json asks for (wasm-opt via
/// binaryen, playwright-core, Wix's SDK): npm ci runs again only when the lock
/// file changed since the last install.
fn npm_packages_current(root: &Path) -> Result<bool, String> {
    let lock = std::fs::read(root.join("package-lock.json"))
        .map_err(|error| format!("package-lock.json: {error}"))?;
    Ok(std::fs::read(npm_stamp(root)).is_ok_and(|installed| installed == lock))
}

/// `apt-get update` then `apt-get install` of `packages`, as one shell
/// command (through sudo unless root), for [`run_logged`].
fn apt_install_command(packages: &[&str]) -> Command {
    let as_root = output_line(Command::new("id").arg("-u")).as_deref() == Some("0");
    let script = format!(
        "apt-get update -qq && apt-get install -y -qq --no-install-recommends {}",
        packages.join(" ")
    );
    let mut apt = if as_root {
        Command::new("sh")
    } else {
        let mut sudo = Command::new("sudo");
        sudo.arg("sh");
        sudo
    };
    apt.args(["-c", &script])
        .env("DEBIAN_FRONTEND", "noninteractive");
    apt
}

/// Installs Debian packages (through sudo unless root), output shown.
pub fn apt_install(packages: &[&str]) -> Result<(), String> {
    run(&mut apt_install_command(packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_install_says_what_failed_and_shows_the_end_of_its_log() {
        let log = std::env::temp_dir().join(format!("xtask-test-{}.log", std::process::id()));
        let mut failing = Command::new("sh");
        failing.args([
            "-c",
            "echo compiling; echo 'error: could not compile' >&2; exit 3",
        ]);
        let error = run_logged(&mut failing, &log).unwrap_err();
        let _ = std::fs::remove_file(&log);
        assert!(
            error.starts_with("sh -c ") && error.contains(" failed; the last lines of "),
            "{error}"
        );
        assert!(
            error.ends_with("compiling\nerror: could not compile"),
            "{error}"
        );
    }
}
