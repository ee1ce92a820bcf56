//! chappe-tl (placeholder, being written).
