//! The widget fixture server on its own, for the benchmark (`bench/run.sh`): prints its
//! base URL, counts requests at `GET /_count`, and serves until killed.

#[path = "../tests/support/mod.rs"]
mod support;

#[tokio::main]
async fn main() {
    let fixture = support::start_with(None, true).await;
    println!("{}", fixture.url);
    std::future::pending::<()>().await;
}
