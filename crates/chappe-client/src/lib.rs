//! chappe-client (placeholder, being written).
