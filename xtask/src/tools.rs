//! Installs what the workflows need, skipping what is already there at the
//! right version, so a second run goes straight to work.

use std::path::Path;
use std::process::Command;
use std::thread;

use crate::process::{cargo_bin_dir, command, describe, output_line, run};

/// The Trunk release the build is tested with.
const TRUNK_VERSION: &str = "0.22.1";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// What a workflow needs installed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Build and preview: Rust tools and npm packages.
    Build,
    /// Also Chromium and ChromeDriver, for the browser tests.
    Everything,
}

/// Installs whatever is missing.
pub fn ensure(root: &Path, needs: Needs) -> Result<(), String> {
    ensure_wasm_target(root)?;
    ensure_cargo_tools(root)?;
    if needs == Needs::Everything {
        ensure_chromium()?;
    }
    ensure_npm_packages(root)
}

fn ensure_wasm_target(root: &Path) -> Result<(), String> {
    let installed = command(root, "rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|error| format!("rustup is needed: {error}"))?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|t| t.trim() == WASM_TARGET)
    {
        return Ok(());
    }
    println!("xtask: adding the {WASM_TARGET} target");
    run(command(root, "rustup").args(["target", "add", WASM_TARGET]))
}

/// Trunk and wasm-bindgen-cli (at Cargo.lock's wasm-bindgen version), built
/// from crates.io in parallel when missing.
fn ensure_cargo_tools(root: &Path) -> Result<(), String> {
    let wasm_bindgen = locked_version(root, "wasm-bindgen")?;
    let wanted = [
        (
            "trunk",
            format!("trunk {TRUNK_VERSION}"),
            // Trunk declares a newer rust-version than this toolchain; it builds and works.
            vec![
                "trunk".to_owned(),
                "--version".to_owned(),
                TRUNK_VERSION.to_owned(),
                "--locked".to_owned(),
                "--ignore-rust-version".to_owned(),
            ],
        ),
        (
            "wasm-bindgen",
            format!("wasm-bindgen {wasm_bindgen}"),
            // No --locked: its lock file pins a crate version crates.io no longer serves.
            vec![
                "wasm-bindgen-cli".to_owned(),
                "--version".to_owned(),
                wasm_bindgen.clone(),
            ],
        ),
    ];
    let missing: Vec<_> = wanted
        .into_iter()
        .filter(|(binary, version, _)| {
            let found = output_line(command(root, binary).arg("--version"));
            found
                .as_deref()
                .is_none_or(|line| !line.starts_with(version.as_str()))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let log_dir = root.join("target/xtask");
    std::fs::create_dir_all(&log_dir).map_err(|error| error.to_string())?;
    let installs: Vec<_> = missing
        .into_iter()
        .map(|(binary, version, args)| {
            let log = log_dir.join(format!("install-{binary}.log"));
            println!(
                "xtask: installing {version} into {} (first run only; takes minutes; log: {})",
                cargo_bin_dir().display(),
                log.display()
            );
            let mut install = command(root, "cargo");
            install.arg("install").args(&args);
            thread::spawn(move || install_logged(install, &log))
        })
        .collect();
    for install in installs {
        install
            .join()
            .map_err(|_| "install thread panicked".to_owned())??;
    }
    Ok(())
}

fn install_logged(mut install: Command, log: &Path) -> Result<(), String> {
    let file = std::fs::File::create(log).map_err(|error| error.to_string())?;
    let status = install
        .stdout(file.try_clone().map_err(|error| error.to_string())?)
        .stderr(file)
        .status()
        .map_err(|error| format!("could not start {}: {error}", describe(&install)))?;
    if status.success() {
        Ok(())
    } else {
        let tail = std::fs::read_to_string(log).unwrap_or_default();
        let tail: Vec<&str> = tail.lines().rev().take(30).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        Err(format!(
            "{} failed:\n{}",
            describe(&install),
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

/// Debian's Chromium and ChromeDriver, for the browser tests.
fn ensure_chromium() -> Result<(), String> {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    println!("xtask: installing Debian's chromium and chromium-driver");
    apt_install(&["chromium", "chromium-driver"])
}

/// npm packages from package-lock.json (wasm-opt via binaryen, playwright-core),
/// reinstalled only when the lock file changed since the last install.
fn ensure_npm_packages(root: &Path) -> Result<(), String> {
    if output_line(command(root, "npm").arg("--version")).is_none() {
        println!("xtask: installing Debian's nodejs and npm");
        apt_install(&["nodejs", "npm"])?;
    }
    let lock = std::fs::read(root.join("package-lock.json"))
        .map_err(|error| format!("package-lock.json: {error}"))?;
    let stamp = root.join("node_modules/.xtask-installed-lock");
    if std::fs::read(&stamp).is_ok_and(|installed| installed == lock) {
        return Ok(());
    }
    println!("xtask: installing npm packages (npm ci)");
    run(command(root, "npm").args(["ci", "--no-audit", "--no-fund"]))?;
    std::fs::write(&stamp, lock).map_err(|error| format!("{}: {error}", stamp.display()))
}

/// Installs Debian packages (through sudo unless root).
pub fn apt_install(packages: &[&str]) -> Result<(), String> {
    let as_root = output_line(Command::new("id").arg("-u")).as_deref() == Some("0");
    let apt = |args: &[&str]| {
        let mut apt = if as_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        apt.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut apt)
    };
    apt(&["update", "-qq"])?;
    let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
    args.extend_from_slice(packages);
    apt(&args)
}
