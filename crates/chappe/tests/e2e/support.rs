//! Runs the real `chappe` binary for a test: a data directory, free loopback ports, the
//! process itself (killed when the handle drops) and the PEM its clients must trust.

use std::collections::hash_map::RandomState;
use std::fs::File;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chappe_client::{Client, ClientConfig, RsaPublicKey};

/// The binary under test, built by cargo for these tests.
pub const CHAPPE: &str = env!("CARGO_BIN_EXE_chappe");
/// Longest wait for a started server to accept connections (a debug build generating its
/// RSA key on a loaded machine can be slow).
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// Longest any single client step may take before the test is declared hung.
const STEP_TIMEOUT: Duration = Duration::from_secs(60);
/// Attempts at finding free ports and starting on them.
const START_ATTEMPTS: usize = 5;
/// Ports are picked below the ephemeral range (32768+) so outgoing connections of other
/// processes do not take them between our check and the server's bind.
const PORT_RANGE: std::ops::Range<u16> = 20_000..32_000;

/// A running `chappe serve`.
pub struct TestServer {
    child: Child,
    /// The MTProto TCP address.
    pub addr: SocketAddr,
    /// The public key PEM as `chappe key` prints it.
    pub pem: String,
    /// The fingerprint `chappe key` prints.
    pub fingerprint: i64,
    data: PathBuf,
}

impl TestServer {
    /// Starts a server on `data` (created if needed) on fresh free ports.
    pub fn start(data: &Path) -> TestServer {
        let (pem, fingerprint) = key_command(data);
        let mut failures = Vec::new();
        for _ in 0..START_ATTEMPTS {
            let (tcp, ws) = (free_port(), free_port());
            if tcp == ws {
                continue;
            }
            match try_start(data, tcp, ws) {
                Ok(child) => {
                    return TestServer {
                        child,
                        addr: SocketAddr::from(([127, 0, 0, 1], tcp)),
                        pem,
                        fingerprint,
                        data: data.to_path_buf(),
                    }
                }
                Err(e) => failures.push(e),
            }
        }
        panic!("chappe serve did not start: {failures:#?}");
    }

    /// A client config for this server (abridged, new key).
    pub fn config(&self) -> ClientConfig {
        let key = RsaPublicKey::from_pkcs1_pem(&self.pem).expect("chappe key prints a valid PEM");
        ClientConfig::new(self.addr, key)
    }

    /// Connects a client with `config`, failing the test on error.
    pub async fn connect(&self, config: ClientConfig) -> Client {
        within("connecting", Client::connect(config))
            .await
            .expect("client connects")
    }

    /// Kills the process at once (no graceful shutdown) and waits for it.
    pub fn kill(mut self) -> PathBuf {
        self.stop();
        self.data.clone()
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs `chappe key --data <data>` and returns the PEM and the printed fingerprint.
pub fn key_command(data: &Path) -> (String, i64) {
    let output = Command::new(CHAPPE)
        .arg("key")
        .arg("--data")
        .arg(data)
        .output()
        .expect("chappe key runs");
    assert!(output.status.success(), "chappe key failed: {output:?}");
    let stdout = String::from_utf8(output.stdout).expect("chappe key prints UTF-8");
    let (pem, rest) = stdout
        .split_once("-----END RSA PUBLIC KEY-----")
        .expect("chappe key prints a PKCS#1 PEM");
    let pem = format!("{pem}-----END RSA PUBLIC KEY-----\n");
    let fingerprint = rest
        .lines()
        .find_map(|line| line.strip_prefix("fingerprint: "))
        .expect("chappe key prints a fingerprint line")
        .trim()
        .parse()
        .expect("the fingerprint is an integer");
    (pem, fingerprint)
}

/// Fails the test if `future` takes longer than any single step should.
pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    match tokio::time::timeout(STEP_TIMEOUT, future).await {
        Ok(value) => value,
        Err(_) => panic!("{what}: no answer within {STEP_TIMEOUT:?}"),
    }
}

fn try_start(data: &Path, tcp: u16, ws: u16) -> Result<Child, String> {
    let log_path = data.join(format!("server-{tcp}.log"));
    let log = File::create(&log_path).map_err(|e| e.to_string())?;
    let mut child = Command::new(CHAPPE)
        .arg("serve")
        .arg("--data")
        .arg(data)
        .arg("--listen")
        .arg(format!("127.0.0.1:{tcp}"))
        .arg("--ws-listen")
        .arg(format!("127.0.0.1:{ws}"))
        .env(
            "RUST_LOG",
            std::env::var("CHAPPE_TEST_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| e.to_string())?;
    let deadline = Instant::now() + START_TIMEOUT;
    let addr = SocketAddr::from(([127, 0, 0, 1], tcp));
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            return Err(format!("exited with {status}: {log}"));
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(child);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(format!("not accepting on {addr} after {START_TIMEOUT:?}"))
}

/// A loopback port nothing listens on right now.
fn free_port() -> u16 {
    let span = u64::from(PORT_RANGE.end - PORT_RANGE.start);
    for _ in 0..100 {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        let port = PORT_RANGE.start + (hasher.finish() % span) as u16;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port in {PORT_RANGE:?}");
}
