//! `cargo xtask demo`: the reference server plus the widget preview.

use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::process::command;
use crate::tools::{self, Needs};

/// Where Trunk.toml's proxy expects the API.
const API_ADDRESS: &str = "127.0.0.1:3000";
/// Where Trunk.toml has `trunk serve` listen.
const PREVIEW_ADDRESS: &str = "127.0.0.1:8080";

pub fn run(root: &Path) -> Result<(), String> {
    // Checked before the installs, so a taken port is said in the first second.
    for address in [API_ADDRESS, PREVIEW_ADDRESS] {
        if is_listening(address) {
            let port = address.rsplit(':').next().unwrap_or(address);
            return Err(format!(
                "{address} is already in use (another demo still running?); \
                 `ss -ltnp 'sport = :{port}'` shows what listens there: stop it, then run cargo xtask demo again"
            ));
        }
    }
    tools::ensure(root, Needs::Build)?;
    crate::process::run(command(root, "cargo").args(["build", "-p", "cart-server"]))?;
    let db = root.join("target/demo/cart.db");
    std::fs::create_dir_all(db.parent().expect("db has a directory")).map_err(|e| e.to_string())?;

    let mut server = KillOnDrop(
        command(root, "target/debug/cart-server")
            .args(["--listen", API_ADDRESS, "--db"])
            .arg(&db)
            // Trunk's proxy rewrites Host to the backend's host without the
            // port, so image URLs are built from the preview's origin instead.
            .args(["--public-url", &format!("http://{PREVIEW_ADDRESS}")])
            .spawn()
            .map_err(|error| format!("could not start cart-server: {error}"))?,
    );
    // Debug build in its own dist directory, so `trunk build --release`'s dist/ stays intact.
    let mut preview = KillOnDrop(
        command(root, "trunk")
            .args(["serve", "--dist", "target/dist-serve"])
            .spawn()
            .map_err(|error| format!("could not start trunk serve: {error}"))?,
    );

    let url = format!("http://{PREVIEW_ADDRESS}/");
    let deadline = Instant::now() + Duration::from_secs(600);
    while !is_listening(PREVIEW_ADDRESS) {
        if let Some(status) = preview.0.try_wait().map_err(|e| e.to_string())? {
            return Err(format!("trunk serve exited early ({status})"));
        }
        if let Some(status) = server.0.try_wait().map_err(|e| e.to_string())? {
            return Err(format!("cart-server exited early ({status})"));
        }
        if Instant::now() > deadline {
            return Err("trunk serve did not start within 10 minutes".to_owned());
        }
        sleep(Duration::from_millis(250));
    }
    println!("\n  Demo store with the cart widget: {url}");
    println!(
        "  API (reference server):          http://{API_ADDRESS}/  (database {})",
        db.display()
    );
    println!("  Press Ctrl-C to stop.\n");
    open_browser(&url);

    let status = preview.0.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("trunk serve stopped ({status})"))
    }
}

fn is_listening(address: &str) -> bool {
    let address: SocketAddr = address.parse().expect("valid socket address");
    TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok()
}

/// Opens the URL in the desktop's browser when there is a desktop.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        Some("open")
    } else if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some()
    {
        Some("xdg-open")
    } else {
        None
    };
    if let Some(opener) = opener {
        // Best effort: without a browser the printed URL is enough.
        let _ = crate::process::run(Command::new(opener).arg(url));
    }
}

/// Stops a child process when the demo ends, however it ends.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
