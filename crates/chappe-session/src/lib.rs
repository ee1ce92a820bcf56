//! chappe-session (placeholder, being written).
