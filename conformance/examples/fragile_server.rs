//! The fragile task service (`tests/fixtures/fragile.yaml`) on its own, for measuring what
//! conform finds in it: prints its base URL and serves until killed.
//!
//! ```sh
//! cargo run -p stackspec-conformance --example fragile_server
//! ```

#[path = "../tests/support/mod.rs"]
mod support;

#[tokio::main]
async fn main() {
    println!("{}", support::fragile::serve().await);
    std::future::pending::<()>().await;
}
