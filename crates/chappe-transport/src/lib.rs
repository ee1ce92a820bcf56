//! chappe-transport (placeholder, being written).
