//! chappe-client against small in-process servers built from the sans-IO crates: key
//! creation with the real server handshake, the −404 transport error, a server that
//! hangs up, and a disconnect with calls still waiting. (The full server is tested from
//! `crates/chappe/tests`.)

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chappe_client::{AuthKey, Client, ClientConfig, InvocationError, RawConnection};
use chappe_crypto::ServerRsaKey;
use chappe_mtproto::msg_id::MsgIdGenerator;
use chappe_mtproto::plain::{decode_plain, encode_plain, is_plain};
use chappe_mtproto::{HandshakeConfig, HandshakeOutput, ServerHandshake};
use chappe_transport::{transport_error, ServerTransport, TransportConfig};
use rand::rngs::StdRng;
use rand::SeedableRng;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// Hang protection for each awaited step; nothing here is timed.
const STEP: Duration = Duration::from_secs(60);

async fn listener() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    (listener, addr)
}

fn unknown_key() -> AuthKey {
    let mut bytes = [0u8; 256];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(31).wrapping_add(7);
    }
    AuthKey::from_bytes(bytes)
}

/// Answers plain packets with the sans-IO server handshake and encrypted ones with
/// transport error −404; reports each key it creates.
async fn handshake_server(
    stream: TcpStream,
    rsa: Arc<HandshakeConfig>,
    created: tokio::sync::mpsc::UnboundedSender<AuthKey>,
) {
    let mut rng = StdRng::seed_from_u64(7);
    let mut transport = ServerTransport::new(TransportConfig::default());
    let mut handshake = ServerHandshake::new(rsa.clone());
    let mut ids = MsgIdGenerator::new();
    let (mut reader, mut writer) = stream.into_split();
    let mut buf = vec![0u8; 65536];
    loop {
        let n = match reader.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        transport.feed(&buf[..n]).expect("well-framed input");
        let mut out = Vec::new();
        while let Some(frame) = transport.next_frame().expect("well-framed input") {
            if !is_plain(&frame.payload) {
                transport
                    .encode_transport_error(transport_error::AUTH_KEY_NOT_FOUND, &mut out, &mut rng)
                    .expect("encodes");
                continue;
            }
            if handshake.is_over() {
                handshake = ServerHandshake::new(rsa.clone());
            }
            let message = decode_plain(&frame.payload).expect("plain message");
            let now = now_nanos();
            let reply = match handshake
                .handle(message.body, now, &mut rng)
                .expect("valid step")
            {
                HandshakeOutput::Reply(body) => body,
                HandshakeOutput::KeyCreated(key) => {
                    let _ = created.send(key.auth_key.clone());
                    handshake.key_stored().expect("dh_gen_ok")
                }
            };
            let packet = encode_plain(ids.next_response(now), &reply);
            transport
                .encode_frame(&packet, &mut out, &mut rng)
                .expect("encodes");
        }
        if writer.write_all(&out).await.is_err() {
            return;
        }
    }
}

fn now_nanos() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

#[tokio::test]
async fn creates_keys_with_the_server_handshake_then_reports_404() {
    let mut rng = StdRng::seed_from_u64(1);
    let server_key = ServerRsaKey::generate(&mut rng).expect("RSA key");
    let public = server_key.public_key().clone();
    let rsa = Arc::new(HandshakeConfig::new(server_key, 2));
    let (listener, addr) = listener().await;
    let (created_tx, mut created_rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.expect("accept");
        handshake_server(stream, rsa, created_tx).await;
    });

    let config = ClientConfig::new(addr, public);
    let mut raw = RawConnection::connect(&config).await.expect("connects");
    let mut keys = Vec::new();
    for _ in 0..2 {
        let key = tokio::time::timeout(STEP, raw.create_auth_key(&config))
            .await
            .expect("in time")
            .expect("key created");
        let server_side = created_rx.recv().await.expect("server made a key");
        assert_eq!(key.auth_key, server_side, "both ends hold the same key");
        keys.push(key);
    }
    assert_ne!(keys[0].auth_key, keys[1].auth_key);

    // This fake server knows no encrypted sessions: the call gets −404.
    let key = keys.pop().expect("two keys");
    let client = Client::start(raw, &config, key.auth_key, key.salt, key.time_offset_secs);
    let error = tokio::time::timeout(STEP, client.invoke_raw(vec![0x26, 0x30, 0xb3, 0x1f]))
        .await
        .expect("in time")
        .expect_err("refused");
    assert_eq!(error, InvocationError::AuthKeyNotFound);
    assert_eq!(
        client.closed_reason_if_closed(),
        Some(InvocationError::AuthKeyNotFound)
    );
}

#[tokio::test]
async fn a_server_that_hangs_up_fails_the_waiting_calls() {
    let (listener, addr) = listener().await;
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accept");
        let mut buf = [0u8; 1024];
        // Read the first call, then close without answering.
        let _ = stream.read(&mut buf).await;
    });
    let public = ServerRsaKey::generate(&mut StdRng::seed_from_u64(2))
        .expect("RSA key")
        .public_key()
        .clone();
    let config = ClientConfig::new(addr, public).resume(unknown_key(), 0);
    let client = Client::connect(config).await.expect("connects");
    let error = tokio::time::timeout(STEP, client.invoke_raw(vec![1, 2, 3, 4]))
        .await
        .expect("in time")
        .expect_err("no answer");
    assert!(matches!(error, InvocationError::Io(_)), "{error:?}");
    let again = client
        .invoke_raw(vec![1, 2, 3, 4])
        .await
        .expect_err("closed");
    assert_eq!(again, error);
}

#[tokio::test]
async fn disconnect_drops_the_calls_still_waiting() {
    let (listener, addr) = listener().await;
    let (done_tx, done_rx) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accept");
        let mut buf = [0u8; 1024];
        // Swallow everything and never answer, until the client goes away.
        while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {}
        let _ = done_tx.send(());
    });
    let public = ServerRsaKey::generate(&mut StdRng::seed_from_u64(3))
        .expect("RSA key")
        .public_key()
        .clone();
    let config = ClientConfig::new(addr, public).resume(unknown_key(), 0);
    let client = Client::connect(config).await.expect("connects");
    let waiting = tokio::spawn({
        let client = client.clone();
        async move { client.invoke_raw(vec![1, 2, 3, 4]).await }
    });
    // Whether the call is already on the wire or still queued when the disconnect
    // lands, it must end as Dropped.
    tokio::task::yield_now().await;
    client.disconnect().await;
    let result = tokio::time::timeout(STEP, waiting)
        .await
        .expect("in time")
        .expect("task ran");
    assert_eq!(result, Err(InvocationError::Dropped));
    tokio::time::timeout(STEP, done_rx)
        .await
        .expect("in time")
        .expect("the server saw the connection close");
}
