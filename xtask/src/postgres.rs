//! A throwaway PostgreSQL cluster for the tests: Debian's `postgresql`
//! installed when missing, a new cluster in a temporary folder on a free
//! loopback port, a user with a password and its database, and a stop (and
//! the folder removed) when the `Cluster` is dropped, whichever way the run
//! ends. The tests find it through `CART_TEST_POSTGRES_URL`
//! (`crates/cart-server/tests/common/postgres.rs`).

use std::path::PathBuf;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::process::{describe, output_line};
use crate::tools;

/// The variable the tests read the cluster's URL from.
pub const URL_VARIABLE: &str = "CART_TEST_POSTGRES_URL";

/// Where Debian puts each PostgreSQL version's programs.
const DEBIAN_PREFIX: &str = "/usr/lib/postgresql";

/// The user (a superuser of its own cluster, so tests may create
/// databases) and the database the URL names.
const USER: &str = "cart";
const DATABASE: &str = "cart";

/// Installs Debian's `postgresql` unless some version's programs are there.
pub fn ensure_installed() -> Result<(), String> {
    if bin_dir().is_some() {
        return Ok(());
    }
    println!("xtask: installing Debian's postgresql (apt-get), for the PostgreSQL tests");
    tools::apt_install(&["postgresql"])?;
    bin_dir()
        .map(|_| ())
        .ok_or_else(|| format!("postgresql installed, but no {DEBIAN_PREFIX}/*/bin/initdb"))
}

/// `cargo xtask with-postgres COMMAND…`: runs the command from the project
/// root with a new cluster's URL in `CART_TEST_POSTGRES_URL`, then stops the
/// cluster (also when the command fails).
pub fn run_with(root: &std::path::Path, command: &[String]) -> Result<(), String> {
    ensure_installed()?;
    let cluster = Cluster::start()?;
    let mut child = crate::process::command(root, &command[0]);
    child.args(&command[1..]).env(URL_VARIABLE, &cluster.url);
    crate::process::run(&mut child)
}

/// A running cluster, stopped and deleted on drop.
pub struct Cluster {
    /// Whether writes are flushed to disk (the benchmark's; the tests' are not).
    fsync: bool,
    dir: PathBuf,
    bin: PathBuf,
    /// `postgres://cart:…@127.0.0.1:PORT/cart`
    pub url: String,
    port: u16,
    password: String,
}

impl Cluster {
    /// initdb, start, create the database: about 3 s. fsync off: for tests.
    pub fn start() -> Result<Self, String> {
        Self::start_with(false)
    }

    /// As `start`, with fsync on, as in production: for the benchmark.
    pub fn start_durable() -> Result<Self, String> {
        Self::start_with(true)
    }

    fn start_with(fsync: bool) -> Result<Self, String> {
        let bin = bin_dir().ok_or("PostgreSQL is not installed")?;
        let unique = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let dir = std::env::temp_dir().join(format!("cart-pg-{}-{unique}", std::process::id()));
        std::fs::create_dir(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
        // From here on, dropping `cluster` cleans up whatever was made.
        let cluster = Self {
            fsync,
            dir,
            bin,
            url: String::new(),
            port: 0,
            password: String::new(),
        };
        cluster.init_and_start(unique)
    }

    fn init_and_start(mut self, unique: u128) -> Result<Self, String> {
        // Only reachable on loopback by this machine's users, and gone at the
        // end: a password made from the time is enough.
        let password = format!("pw{unique:x}");
        let password_file = self.dir.join("password");
        std::fs::write(&password_file, format!("{password}\n"))
            .map_err(|error| format!("{}: {error}", password_file.display()))?;
        if as_root() {
            // PostgreSQL refuses to run as root: its files and processes
            // belong to the `postgres` user Debian's package creates.
            run_quietly(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&self.dir),
            )?;
        }
        let data = self.dir.join("data");
        run_quietly(
            self.pg_command("initdb")
                .arg("-D")
                .arg(&data)
                .args(["-A", "scram-sha-256", "-U", USER, "--no-sync"])
                .arg(format!("--pwfile={}", password_file.display())),
        )?;
        let port = free_port()?;
        // fsync off for tests: the cluster is thrown away at the end, and the
        // tests kill server nodes, never PostgreSQL. 300 connections: the test
        // binaries run a test per core, each with its own pools (a node's
        // is 8), and a many-core CI machine would pass the default 100.
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync={} -c max_connections=300",
            self.dir.display(),
            if self.fsync { "on" } else { "off" }
        );
        run_quietly(
            self.pg_command("pg_ctl")
                .arg("-D")
                .arg(&data)
                .args(["-o", &options, "-l"])
                .arg(self.dir.join("postgresql.log"))
                .args(["-w", "start"]),
        )?;
        self.port = port;
        self.password = password;
        self.url = self.create_database(DATABASE)?;
        println!(
            "xtask: PostgreSQL test cluster on 127.0.0.1:{port} ({})",
            self.dir.display()
        );
        Ok(self)
    }

    /// Creates the database `name`; its URL.
    pub fn create_database(&self, name: &str) -> Result<String, String> {
        run_quietly(
            self.pg_command("createdb")
                .args([
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &self.port.to_string(),
                    "-U",
                    USER,
                    name,
                ])
                .env("PGPASSWORD", &self.password),
        )?;
        Ok(format!(
            "postgres://{USER}:{}@127.0.0.1:{}/{name}",
            self.password, self.port
        ))
    }

    /// One of the cluster's programs, run as `postgres` when we are root.
    fn pg_command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        let mut command = if as_root() {
            let mut runuser = Command::new("runuser");
            runuser.args(["-u", "postgres", "--"]).arg(program);
            runuser
        } else {
            Command::new(program)
        };
        // The `postgres` user may not be allowed into the caller's folder.
        command.current_dir(&self.dir);
        command
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        if data.join("postmaster.pid").exists() {
            let stopped = run_quietly(self.pg_command("pg_ctl").arg("-D").arg(&data).args([
                "-m",
                "immediate",
                "-w",
                "stop",
            ]));
            if let Err(error) = stopped {
                eprintln!("xtask: could not stop the PostgreSQL test cluster: {error}");
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The newest `/usr/lib/postgresql/VERSION/bin` holding `initdb`.
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(DEBIAN_PREFIX)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn as_root() -> bool {
    output_line(Command::new("id").arg("-u")).as_deref() == Some("0")
}

/// A loopback port nobody listens on now.
pub fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|error| error.to_string())?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|error| error.to_string())
}

/// Runs `command`; on failure, the error names it and carries its output.
fn run_quietly(command: &mut Command) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|error| format!("could not start {}: {error}", describe(command)))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "{} failed ({}): {}{}",
        describe(command),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_started_cluster_accepts_its_url_and_is_gone_after_the_drop() {
        if bin_dir().is_none() {
            eprintln!("skipped: PostgreSQL is not installed");
            return;
        }
        let cluster = Cluster::start().unwrap();
        let dir = cluster.dir.clone();
        let port = cluster.url.rsplit(':').next().unwrap();
        let port: u16 = port.split('/').next().unwrap().parse().unwrap();
        assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
        drop(cluster);
        assert!(!dir.exists());
        assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
    }
}
