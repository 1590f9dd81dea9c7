//! Types, async client and axum server stubs for each OpenStack service in `spec/`,
//! generated at build time by `build.rs` with the templates of `templates/`: one module
//! per spec file (`compute`, `image`, ...), each with `types`, `client` and `server`.
//! Cargo features choose the services and the sides (see the README).

include!(concat!(env!("OUT_DIR"), "/services.rs"));

/// The generator's fixture specs, compiled so that every construct they cover is known to
/// produce valid, warning-free Rust.
#[cfg(all(test, any(feature = "client", feature = "server")))]
pub mod fixtures {
    include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
}

#[cfg(all(test, feature = "client", feature = "server"))]
mod tests;
