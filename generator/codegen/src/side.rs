//! Which half of the generated code a user wants: a crate that only calls a cloud needs no
//! server stubs, and with them none of `axum` or `jsonschema`.

/// The sides of a service to generate; the `types` module is generated for every side.
/// A setting in the style of progenitor's `InterfaceStyle` and `TagStyle`: one enum per
/// choice, given to [`crate::Generator::with_side`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Side {
    /// `types` and `client`: the async reqwest client.
    Client,
    /// `types` and `server`: the axum `Api` trait and its router.
    Server,
    /// `types`, `client` and `server`: what `Generator::new()` has always generated.
    #[default]
    Both,
}

impl Side {
    /// Whether `module` (one of [`crate::MODULES`]) belongs to this side.
    pub fn includes(self, module: &str) -> bool {
        match module {
            "client" => self != Side::Server,
            "server" => self != Side::Client,
            _ => true,
        }
    }
}
