//! MTProto over WebSocket: accepts the upgrade on `/apiws` with subprotocol `binary` and turns
//! the binary messages into one byte stream, since a message may carry part of a frame, several
//! frames, or (as GramJS does) just the 64-byte obfuscation header.

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode};
use tokio_tungstenite::tungstenite::Message;

/// The only path MTProto is served on, as Telegram's web clients expect.
const MTPROTO_PATH: &str = "/apiws";
/// Bytes buffered between the WebSocket and the connection task, in each direction.
const BRIDGE_BUFFER: usize = 256 * 1024;

/// Completes the WebSocket upgrade and returns a byte stream carrying the MTProto bytes.
/// A pump task moves bytes between the WebSocket and the stream until either side closes.
pub async fn accept(tcp: TcpStream) -> Result<DuplexStream, tokio_tungstenite::tungstenite::Error> {
    let ws = tokio_tungstenite::accept_hdr_async(tcp, check_upgrade).await?;
    let (ours, theirs) = tokio::io::duplex(BRIDGE_BUFFER);
    tokio::spawn(pump(ws, theirs));
    Ok(ours)
}

// The signature is tungstenite's upgrade callback; its error type is not ours to shrink.
#[allow(clippy::result_large_err)]
fn check_upgrade(req: &Request, mut resp: Response) -> Result<Response, ErrorResponse> {
    if req.uri().path() != MTPROTO_PATH {
        let mut err = ErrorResponse::new(Some("not found".into()));
        *err.status_mut() = StatusCode::NOT_FOUND;
        return Err(err);
    }
    let offers_binary = req
        .headers()
        .get_all("Sec-WebSocket-Protocol")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim() == "binary");
    // GramJS in Node aborts unless the server echoes the `binary` subprotocol.
    if offers_binary {
        resp.headers_mut()
            .insert("Sec-WebSocket-Protocol", HeaderValue::from_static("binary"));
    }
    Ok(resp)
}

async fn pump(ws: tokio_tungstenite::WebSocketStream<TcpStream>, bridge: DuplexStream) {
    let (mut ws_tx, mut ws_rx) = ws.split();
    let (mut bridge_rx, mut bridge_tx) = tokio::io::split(bridge);
    let inbound = async {
        while let Some(msg) = ws_rx.next().await {
            match msg {
                Ok(Message::Binary(data)) => {
                    if bridge_tx.write_all(&data).await.is_err() {
                        break;
                    }
                }
                Ok(Message::Close(_)) | Err(_) => break,
                // Text frames carry no MTProto; ping/pong are answered by tungstenite.
                Ok(_) => {}
            }
        }
        let _ = bridge_tx.shutdown().await;
    };
    let outbound = async {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match bridge_rx.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let chunk = buf[..n].to_vec();
                    if ws_tx.send(Message::Binary(chunk.into())).await.is_err() {
                        break;
                    }
                }
            }
        }
        let _ = ws_tx.close().await;
    };
    tokio::select! {
        _ = inbound => {},
        _ = outbound => {},
    }
}
