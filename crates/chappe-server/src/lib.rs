//! chappe-server (placeholder, being written).
