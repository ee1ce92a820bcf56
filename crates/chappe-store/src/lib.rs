//! chappe-store (placeholder, being written).
