//! Where the token of an identity comes from: the HTTP client asks a [`TokenSource`] for the
//! current token before each attempt and tells it when the server refused one (401). A real
//! cloud's is Keystone (`cloud::Keystone`); the client knows only this trait.

use futures::future::BoxFuture;

/// Why a token could not be renewed; the source's own error, kept whole.
pub type RenewalError = Box<dyn std::error::Error + Send + Sync>;

/// A token that may expire and be renewed.
pub trait TokenSource: Send + Sync + std::fmt::Debug {
    /// The current token.
    fn token(&self) -> BoxFuture<'_, String>;

    /// Renews the token after `refused` got a 401, unless another request already did.
    fn renew_after<'a>(&'a self, refused: &'a str) -> BoxFuture<'a, Result<(), RenewalError>>;
}
