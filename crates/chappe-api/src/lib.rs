//! chappe-api (placeholder, being written).
