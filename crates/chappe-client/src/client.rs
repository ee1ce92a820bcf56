//! [`Client`]: a cheap-to-clone handle on one connection with one MTProto session. Calls
//! from any number of tasks travel to the background driver, which matches each answer
//! to its caller.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use chappe_crypto::AuthKey;
use chappe_session::ClientSession;
use chappe_tl::{Deserializable, RemoteCall};
use rand::RngExt;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::driver::{Command, Driver, Shared, Update};
use crate::raw::RawConnection;
use crate::{ClientConfig, ClientError, InvocationError};

/// Calls queued towards the driver before `invoke` waits for room.
const COMMAND_QUEUE: usize = 1024;

/// A connected client. Clone it to call from several tasks at once; the connection
/// closes when [`Client::disconnect`] is called or the last clone is dropped.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    commands: mpsc::Sender<Command>,
    shared: Arc<Shared>,
    auth_key: AuthKey,
    session_id: i64,
    updates: Mutex<Option<mpsc::Receiver<Update>>>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("auth_key_id", &self.inner.auth_key.id())
            .field("session_id", &self.inner.session_id)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Connects, creates an auth key unless `config` resumes one, and starts the session.
    pub async fn connect(config: ClientConfig) -> Result<Client, ClientError> {
        let mut raw = RawConnection::connect(&config).await?;
        let (auth_key, salt, time_offset_secs) = match &config.resume {
            Some(resume) => (resume.auth_key.clone(), resume.salt, 0),
            None => {
                let created = raw.create_auth_key(&config).await?;
                (created.auth_key, created.salt, created.time_offset_secs)
            }
        };
        Ok(Client::start(
            raw,
            &config,
            auth_key,
            salt,
            time_offset_secs,
        ))
    }

    /// Starts a session under `auth_key` on an already open connection (for instance
    /// one that just created the key with [`RawConnection::create_auth_key`]).
    /// Must be called within a tokio runtime.
    pub fn start(
        mut raw: RawConnection,
        config: &ClientConfig,
        auth_key: AuthKey,
        salt: i64,
        time_offset_secs: i64,
    ) -> Client {
        let session_config = chappe_session::ClientConfig {
            init: config.init.clone(),
            ..chappe_session::ClientConfig::default()
        };
        let session_id: i64 = raw.rng.random();
        let session = ClientSession::new(
            session_config,
            auth_key.clone(),
            session_id,
            salt,
            time_offset_secs.saturating_mul(1_000_000_000),
        );
        let shared = Arc::new(Shared::new(salt));
        let (commands, command_rx) = mpsc::channel(COMMAND_QUEUE);
        let (updates_tx, updates_rx) = mpsc::channel(config.updates_capacity.max(1));
        let driver = Driver {
            session,
            transport: raw.transport,
            rng: raw.rng,
            updates: updates_tx,
            shared: shared.clone(),
            pending: HashMap::new(),
            out: Vec::new(),
            max_in_flight: config.max_in_flight.max(1),
        };
        let task = tokio::spawn(driver.run(raw.stream, command_rx));
        Client {
            inner: Arc::new(Inner {
                commands,
                shared,
                auth_key,
                session_id,
                updates: Mutex::new(Some(updates_rx)),
                task: Mutex::new(Some(task)),
            }),
        }
    }

    /// Calls `request` and decodes its answer.
    pub async fn invoke<R: RemoteCall>(&self, request: &R) -> Result<R::Return, InvocationError> {
        let answer = self.invoke_raw(request.to_bytes()).await?;
        Ok(R::Return::from_bytes(&answer)?)
    }

    /// Sends a hand-made query body and returns the serialized answer.
    pub async fn invoke_raw(&self, body: Vec<u8>) -> Result<Vec<u8>, InvocationError> {
        let (reply, answer) = oneshot::channel();
        let command = Command::Invoke { body, reply };
        if self.inner.commands.send(command).await.is_err() {
            return Err(self.closed_reason());
        }
        answer.await.unwrap_or_else(|_| Err(self.closed_reason()))
    }

    /// The updates receiver; `None` after the first call. Updates arriving while nobody
    /// reads (or the channel is full) are dropped.
    pub fn take_updates(&self) -> Option<mpsc::Receiver<Update>> {
        lock(&self.inner.updates).take()
    }

    /// The auth key in use, to persist and resume with later.
    pub fn auth_key(&self) -> &AuthKey {
        &self.inner.auth_key
    }

    /// The server salt in use, to persist along with the key.
    pub fn salt(&self) -> i64 {
        self.inner.shared.salt()
    }

    /// This session's id.
    pub fn session_id(&self) -> i64 {
        self.inner.session_id
    }

    /// Why the connection ended, or `None` while it is up.
    pub fn closed_reason_if_closed(&self) -> Option<InvocationError> {
        self.inner.shared.closed_reason()
    }

    /// Closes the connection; calls still waiting fail with [`InvocationError::Dropped`].
    pub async fn disconnect(&self) {
        let _ = self.inner.commands.send(Command::Disconnect).await;
        let task = lock(&self.inner.task).take();
        if let Some(task) = task {
            let _ = task.await;
        }
    }

    fn closed_reason(&self) -> InvocationError {
        self.inner
            .shared
            .closed_reason()
            .unwrap_or(InvocationError::Dropped)
    }
}

/// A poisoned lock only means a panic elsewhere mid-assignment of a whole value.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
