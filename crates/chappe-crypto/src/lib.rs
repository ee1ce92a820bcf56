//! chappe-crypto (placeholder, being written).
