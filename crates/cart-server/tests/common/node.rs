//! The real `cart-server` binary as a separate process (a "node"): started
//! on a free loopback port, its origin read from its log, killed with
//! SIGKILL on demand and on drop. For the tests that need a real process:
//! `kill -9`, several nodes on one database, start-up failures.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a node may take to say it is listening (migrations included).
const START_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Node {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub origin: String,
}

impl Node {
    /// The server on `db` (a SQLite path or a postgres:// URL) with `args`.
    pub fn start(db: impl AsRef<OsStr>, args: &[&str]) -> Self {
        let mut child = command(db, args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (found, origin) = mpsc::channel();
        std::thread::spawn(move || {
            // Reads the log to its end, so the server never blocks on a full pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(at) = line.find("listening on http://") {
                    let rest = &line[at + "listening on ".len()..];
                    let end = rest.find(|c: char| c.is_whitespace() || c == '\u{1b}');
                    let _ = found.send(rest[..end.unwrap_or(rest.len())].to_owned());
                }
            }
        });
        let origin = origin
            .recv_timeout(START_TIMEOUT)
            .expect("the server said where it listens");
        Self { child, origin }
    }

    /// `kill -9`: no shutdown, no flush; returns once the process is gone.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs the server with `args` on `db` until it exits by itself (a refused
/// start); its output. Panics if it is still running after 30 s.
pub fn run_to_exit(db: impl AsRef<OsStr>, args: &[&str]) -> Output {
    let mut child = command(db, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..300 {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("the server kept running: {:?}", child.wait_with_output());
}

fn command(db: impl AsRef<OsStr>, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cart-server"));
    command
        .args(["--listen", "127.0.0.1:0", "--db"])
        .arg(db)
        .args(args)
        .env("NO_COLOR", "1")
        .env("RUST_LOG", "cart_server=info")
        .env_remove("CART_WEBHOOK_URLS")
        .env_remove("CART_INSTANCE_ID")
        .env_remove("CART_DB_POOL_SIZE");
    command
}
