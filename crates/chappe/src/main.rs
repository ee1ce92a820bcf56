//! The `chappe` binary.
fn main() {}
