//! An established transport: the framing plus, when obfuscated, the cipher
//! pair. Both roles use it once they know which transport is spoken.

use rand_core::Rng;

use crate::buffer::InBuffer;
use crate::error::TransportError;
use crate::framing::{Framing, Role, Unit};
use crate::kind::TransportKind;
use crate::obfuscation::Obfuscation;

/// One unit taken off the receive buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Received {
    Payload {
        payload: Vec<u8>,
        quick_ack_requested: bool,
    },
    QuickAck(u32),
}

#[derive(Debug)]
pub(crate) struct Link {
    role: Role,
    framing: Framing,
    obfuscation: Option<Obfuscation>,
}

impl Link {
    pub(crate) fn new(role: Role, kind: TransportKind, obfuscation: Option<Obfuscation>) -> Self {
        Link {
            role,
            framing: Framing::new(kind),
            obfuscation,
        }
    }

    pub(crate) fn kind(&self) -> TransportKind {
        self.framing.kind()
    }

    pub(crate) fn is_obfuscated(&self) -> bool {
        self.obfuscation.is_some()
    }

    /// Turns freshly received bytes into framing bytes (a no-op when plain).
    pub(crate) fn decrypt_incoming(&mut self, bytes: &mut [u8]) {
        if let Some(obfuscation) = &mut self.obfuscation {
            obfuscation.decrypt(bytes);
        }
    }

    /// Takes the next complete unit off `input`, if there is one.
    pub(crate) fn receive(
        &mut self,
        input: &mut InBuffer,
        max_frame_len: usize,
    ) -> Result<Option<Received>, TransportError> {
        let Some(decoded) = self
            .framing
            .decode(self.role, input.pending(), max_frame_len)?
        else {
            return Ok(None);
        };
        let received = match decoded.unit {
            Unit::Payload {
                start,
                end,
                quick_ack_requested,
            } => Received::Payload {
                payload: input.pending().get(start..end).unwrap_or_default().to_vec(),
                quick_ack_requested,
            },
            Unit::QuickAck(token) => Received::QuickAck(token),
        };
        input.consume(decoded.consumed);
        Ok(Some(received))
    }

    /// Appends `payload`, framed and (when obfuscated) encrypted, to `out`.
    pub(crate) fn send(
        &mut self,
        payload: &[u8],
        request_quick_ack: bool,
        out: &mut Vec<u8>,
        rng: &mut impl Rng,
    ) -> Result<(), TransportError> {
        let start = out.len();
        self.framing.encode(payload, request_quick_ack, out, rng)?;
        self.encrypt_from(out, start);
        Ok(())
    }

    /// Appends a quick ACK for `token` to `out`.
    pub(crate) fn send_quick_ack(
        &mut self,
        token: u32,
        out: &mut Vec<u8>,
        rng: &mut impl Rng,
    ) -> Result<(), TransportError> {
        let start = out.len();
        self.framing.encode_quick_ack(token, out, rng)?;
        self.encrypt_from(out, start);
        Ok(())
    }

    fn encrypt_from(&mut self, out: &mut [u8], start: usize) {
        if let (Some(obfuscation), Some(written)) = (&mut self.obfuscation, out.get_mut(start..)) {
            obfuscation.encrypt(written);
        }
    }
}
