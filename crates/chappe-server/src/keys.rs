//! The server's RSA key: created in the data directory on first start, loaded afterwards.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chappe_crypto::ServerRsaKey;

/// File name of the PKCS#1 PEM private key inside the data directory.
const KEY_FILE: &str = "server-rsa-key.pem";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} does not hold a usable RSA private key: {reason}")]
    Invalid { path: PathBuf, reason: String },
}

/// Loads the key from `data_dir`, creating the directory and a fresh 2048-bit key if needed.
pub fn load_or_create(data_dir: &Path) -> Result<ServerRsaKey, KeyError> {
    let path = data_dir.join(KEY_FILE);
    let io = |source| KeyError::Io {
        path: path.clone(),
        source,
    };
    match fs::read_to_string(&path) {
        Ok(pem) => ServerRsaKey::from_pkcs1_pem(&pem).map_err(|e| KeyError::Invalid {
            path: path.clone(),
            reason: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(data_dir).map_err(io)?;
            let key = ServerRsaKey::generate(&mut rand::rng()).map_err(|e| KeyError::Invalid {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            let pem = key.to_pkcs1_pem().map_err(|e| KeyError::Invalid {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            write_private(&path, &pem).map_err(io)?;
            tracing::info!(path = %path.display(), fingerprint = key.fingerprint(), "created the server RSA key");
            Ok(key)
        }
        Err(e) => Err(io(e)),
    }
}

/// Writes the key readable by its owner only, via a temporary file so a crash never leaves a
/// half-written key behind.
fn write_private(path: &Path, pem: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("pem.tmp");
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    file.write_all(pem.as_bytes())?;
    file.sync_all()?;
    fs::rename(&tmp, path)?;
    Ok(())
}
