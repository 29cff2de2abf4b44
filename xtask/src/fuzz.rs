//! `cargo xtask fuzz`: Schemathesis (PyPI, pinned, in its own virtual
//! environment, `tools::ensure_schemathesis`) generates requests from the
//! reference server's own `/openapi.json` and checks every answer of the
//! debug build: no 5xx, only the statuses, content types and bodies the
//! description gives (every documented error is the Wix envelope,
//! `ErrorBody`), and no operation that answers without its credentials.
//!
//! The server runs on a fresh SQLite file with an admin key, and a visitor
//! token is minted first, so the visitor and admin endpoints are reached
//! past authentication (`tests/fuzz/schemathesis.toml` maps the
//! description's `visitor` and `admin` security schemes to them). A fixed
//! seed and a bounded number of examples per operation keep the run
//! repeatable and within CI's time: 4,427 cases in about 75 s on two cores
//! (2026-12-03), most of them refused requests (unknown items, no cart).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::{command, run};
use crate::tools;

/// The same cases on every run.
const SEED: &str = "20261203";

/// Generated cases per operation and phase.
const MAX_EXAMPLES: &str = "20";

/// What each answer is checked for (Schemathesis's check names).
const CHECKS: &str = concat!(
    "not_a_server_error,status_code_conformance,content_type_conformance,",
    "response_schema_conformance,ignored_auth"
);

/// The admin key the fuzzed server is started with.
const ADMIN_KEY: &str = "fuzz-admin-key";

/// How long the server may take to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(15);

/// `cargo xtask fuzz`: builds the server, then [`run`].
pub fn run_command(root: &Path, args: &[String]) -> Result<(), String> {
    if !args.iter().any(|arg| arg == "--no-build") {
        run(command(root, "cargo").args(["build", "-p", "cart-server"]))?;
    }
    run_fuzz(root)
}

/// The test command's step: this program's `fuzz`, on the server already built.
pub fn step(root: &Path) -> Command {
    let program = std::env::current_exe().unwrap_or_else(|_| "xtask".into());
    let mut step = Command::new(program);
    step.current_dir(root).args(["fuzz", "--no-build"]);
    step
}

fn run_fuzz(root: &Path) -> Result<(), String> {
    let schemathesis = tools::ensure_schemathesis(root)?;
    let server = Server::start(root)?;
    let token = visitor_token(&server.address)?;
    let started = Instant::now();
    let mut fuzz = command(root, &schemathesis.to_string_lossy());
    // Its crash cache (`st replay`) goes beside the server's files.
    if let Some(dir) = server.log.parent() {
        fuzz.current_dir(dir);
    }
    let result = run(fuzz
        .arg("--config-file")
        .arg(root.join("tests/fuzz/schemathesis.toml"))
        .arg("run")
        .arg(format!("http://{}/openapi.json", server.address))
        .args(["--checks", CHECKS])
        .args(["--seed", SEED, "--max-examples", MAX_EXAMPLES])
        .args(["--generation-database", "none", "--no-color"])
        .env("CART_FUZZ_VISITOR_TOKEN", token)
        .env("CART_FUZZ_ADMIN_KEY", ADMIN_KEY));
    println!("xtask: fuzzing took {:.0?}", started.elapsed());
    if result.is_err() {
        println!("xtask: the server's log: {}", server.log.display());
    }
    result
}

/// The debug server on a fresh database, killed on drop.
struct Server {
    child: Child,
    address: String,
    log: std::path::PathBuf,
}

impl Server {
    fn start(root: &Path) -> Result<Self, String> {
        let dir = root.join("target/xtask/fuzz");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
        let log = dir.join("server.log");
        let log_file =
            std::fs::File::create(&log).map_err(|error| format!("{}: {error}", log.display()))?;
        let address = format!("127.0.0.1:{}", crate::postgres::free_port()?);
        let child = Command::new(root.join("target/debug/cart-server"))
            .current_dir(root)
            .args(["--listen", &address, "--admin-key", ADMIN_KEY])
            .arg("--db")
            .arg(dir.join("cart.db"))
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().map_err(|error| error.to_string())?)
            .stderr(log_file)
            .spawn()
            .map_err(|error| format!("could not start target/debug/cart-server: {error}"))?;
        let mut server = Self {
            child,
            address,
            log,
        };
        let deadline = Instant::now() + START_TIMEOUT;
        while TcpStream::connect(&server.address).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!(
                    "the server exited ({status}); see {}",
                    server.log.display()
                ));
            }
            if Instant::now() > deadline {
                return Err(format!("the server did not start within {START_TIMEOUT:?}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(server)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A new anonymous visitor's access token from the server at `address`
/// (plain HTTP/1.1 on loopback: the answer is small JSON with a length).
fn visitor_token(address: &str) -> Result<String, String> {
    let body = r#"{"clientId":"fuzz","grantType":"anonymous"}"#;
    let request = format!(
        "POST /oauth2/token HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(address).map_err(|error| error.to_string())?;
    stream
        .write_all(request.as_bytes())
        .map_err(|error| error.to_string())?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|error| error.to_string())?;
    token_in(&answer).ok_or_else(|| format!("no access token in the answer: {answer}"))
}

/// The `access_token` of a token answer.
fn token_in(answer: &str) -> Option<String> {
    let key = "\"access_token\":\"";
    let start = answer.find(key)? + key.len();
    let length = answer[start..].find('"')?;
    Some(answer[start..start + length].to_owned())
}

#[cfg(test)]
mod tests {
    use super::token_in;

    #[test]
    fn the_access_token_is_read_off_a_token_answer() {
        let answer = "HTTP/1.1 200 OK\r\ncontent-length: 70\r\n\r\n\
                      {\"access_token\":\"cart-access.abc_-1\",\"expires_in\":14400,\"refresh_token\":\"r\"}";
        assert_eq!(token_in(answer).as_deref(), Some("cart-access.abc_-1"));
        assert_eq!(token_in("HTTP/1.1 429 Too Many Requests\r\n\r\n{}"), None);
    }
}
