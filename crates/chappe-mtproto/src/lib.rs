//! chappe-mtproto (placeholder, being written).
