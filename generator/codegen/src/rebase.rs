//! Extra modules generated into a crate of their own: the templates and the model name the
//! service's other modules as siblings (`super::types::Task`, `super::server::Api`), which
//! from another crate are reached through the path of the crate that holds them.

use proc_macro2::{Group, TokenStream, TokenTree};

use super::error::GenerateError;

/// The path extra modules reach the service's `types` and `server` through, checked to be
/// a Rust path (`::stackspec_generated::image`).
pub fn stubs_path(path: &str) -> Result<TokenStream, GenerateError> {
    let error = |source| GenerateError::StubsPath { path: path.to_string(), source };
    let tokens: TokenStream = path.parse().map_err(|e| error(syn::Error::from(e)))?;
    syn::parse2::<syn::Path>(tokens.clone()).map_err(error)?;
    Ok(tokens)
}

/// `tokens` with every path that starts with `super::` starting with `stubs::` instead,
/// inside groups and macro invocations too (`pub(super)`, followed by no `::`, stays).
pub fn rebase(tokens: TokenStream, stubs: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Ident(ident)
                if ident == "super"
                    && matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ':') =>
            {
                out.extend(stubs.clone());
            }
            TokenTree::Group(group) => {
                let mut rebased = Group::new(group.delimiter(), rebase(group.stream(), stubs));
                rebased.set_span(group.span());
                out.extend([TokenTree::Group(rebased)]);
            }
            other => out.extend([other]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebased(text: &str) -> String {
        let stubs = stubs_path("::outer::svc").unwrap();
        rebase(text.parse().unwrap(), &stubs).to_string()
    }

    #[test]
    fn a_path_starting_with_super_starts_with_the_stubs_path() {
        assert_eq!(
            rebased("fn f(t: super::types::T) -> Vec<super::types::U> { g!(super::x) }"),
            "fn f (t : :: outer :: svc :: types :: T) -> Vec < :: outer :: svc :: types :: U > \
             { g ! (:: outer :: svc :: x) }"
        );
    }

    #[test]
    fn super_as_a_visibility_and_other_paths_are_kept() {
        let kept = "pub (super) fn f () -> crate :: A { self :: g () }";
        assert_eq!(rebased(kept), kept);
    }

    #[test]
    fn a_stubs_path_that_is_not_a_rust_path_is_an_error_naming_it() {
        let error = stubs_path("::a::").unwrap_err().to_string();
        assert!(error.contains("`::a::`") && error.contains("not a Rust path"), "{error}");
    }
}
