//! The receive buffer shared by both roles: bytes fed by the caller wait here
//! until they form a complete frame.

/// Above this many bytes of spare capacity an emptied buffer gives its memory
/// back, so idle connections do not keep the size of their largest frame.
const RETAINED_CAPACITY: usize = 64 * 1024;

/// Received bytes not yet consumed, kept as `bytes[start..]` so that taking a
/// frame off the front does not move the rest.
#[derive(Debug, Default)]
pub(crate) struct InBuffer {
    bytes: Vec<u8>,
    start: usize,
}

impl InBuffer {
    /// Bytes received and not yet consumed.
    pub(crate) fn pending(&self) -> &[u8] {
        self.bytes.get(self.start..).unwrap_or_default()
    }

    /// The same bytes, for decrypting in place.
    pub(crate) fn pending_mut(&mut self) -> &mut [u8] {
        self.bytes.get_mut(self.start..).unwrap_or_default()
    }

    pub(crate) fn pending_len(&self) -> usize {
        self.bytes.len() - self.start
    }

    /// Appends `data` and returns the appended copy, for decrypting in place.
    pub(crate) fn append(&mut self, data: &[u8]) -> &mut [u8] {
        let spare = self.bytes.capacity() - self.bytes.len();
        // Move the unconsumed tail to the front only when that is cheap
        // relative to what was consumed, or saves a reallocation.
        if self.start > 0 && (self.start >= self.pending_len() || spare < data.len()) {
            self.bytes.drain(..self.start);
            self.start = 0;
        }
        let at = self.bytes.len();
        self.bytes.extend_from_slice(data);
        self.bytes.get_mut(at..).unwrap_or_default()
    }

    /// Drops `count` bytes from the front.
    pub(crate) fn consume(&mut self, count: usize) {
        self.start = self.start.saturating_add(count).min(self.bytes.len());
        if self.start == self.bytes.len() {
            self.bytes.clear();
            self.start = 0;
            if self.bytes.capacity() > RETAINED_CAPACITY {
                self.bytes.shrink_to(RETAINED_CAPACITY);
            }
        }
    }
}
