//! Templates to formatted Rust. The templates of `templates/` are compiled into the binary;
//! a user directory may replace any of them by file name. Output is parsed with `syn` and
//! printed with `prettyplease`, so a template that renders invalid Rust fails here, naming
//! the template, instead of in the user's build.

use std::path::Path;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use proc_macro2::TokenStream;

use super::error::GenerateError;
use super::ir::Service;
use super::rebase;

/// The modules of a service, each rendered from the template of the same name.
pub const MODULES: [&str; 3] = ["types", "client", "server"];

const EMBEDDED: [(&str, &str); 3] = [
    ("types.rs.j2", include_str!("../../../templates/types.rs.j2")),
    ("client.rs.j2", include_str!("../../../templates/client.rs.j2")),
    ("server.rs.j2", include_str!("../../../templates/server.rs.j2")),
];

/// The template environment: embedded templates, each replaced by `overrides/<name>` if
/// that file exists, and the `extra` modules' templates (`(module, source)`).
pub fn environment(
    overrides: Option<&Path>,
    extra: &[(String, String)],
) -> Result<Environment<'static>, GenerateError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    // `Debug` of a `str` is a valid Rust string literal, escapes included.
    env.add_filter("rust_str", |s: String| format!("{s:?}"));
    // A microversion `[major, minor]` (or none) as a Rust `Option<(u32, u32)>`.
    env.add_filter("version_option", |version: Option<Vec<u32>>| match version.as_deref() {
        Some([major, minor]) => format!("::std::option::Option::Some(({major}, {minor}))"),
        _ => "::std::option::Option::None".to_string(),
    });
    env.add_filter("doc", |lines: Vec<String>| {
        lines.iter().map(|l| format!("#[doc = {l:?}]\n")).collect::<String>()
    });
    for (name, embedded) in EMBEDDED {
        let source = match overrides.map(|dir| dir.join(name)).filter(|p| p.exists()) {
            Some(path) => std::fs::read_to_string(&path)
                .map_err(|source| GenerateError::Io { path, source })?,
            None => embedded.to_string(),
        };
        add(&mut env, name.to_string(), source)?;
    }
    for (module, source) in extra {
        add(&mut env, format!("{module}.rs.j2"), source.clone())?;
    }
    Ok(env)
}

fn add(env: &mut Environment<'static>, name: String, source: String) -> Result<(), GenerateError> {
    env.add_template_owned(name.clone(), source)
        .map_err(|source| GenerateError::Template { name, source })
}

/// Renders the modules `names` of `service` and formats them, in order; with `stubs`, their
/// `super::` paths start with that path instead (see [`crate::Generator::extra_modules_only`]).
/// The service is converted to a template value once, not once per module; each module is
/// rendered and formatted on its own thread, since parsing and printing (`syn`,
/// `prettyplease`) take most of the generation time and the modules are independent.
pub fn modules(
    env: &Environment,
    names: &[&str],
    service: &Service,
    stubs: Option<&str>,
) -> Result<Vec<(String, String)>, GenerateError> {
    let context = minijinja::Value::from_serialize(service);
    std::thread::scope(|scope| {
        let threads: Vec<_> = names
            .iter()
            .map(|name| {
                let context = &context;
                scope.spawn(move || module(env, name, context, stubs))
            })
            .collect();
        names
            .iter()
            .zip(threads)
            .map(|(name, thread)| {
                let text =
                    thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
                Ok((name.to_string(), text))
            })
            .collect()
    })
}

/// Renders one module from its template and formats it.
fn module(
    env: &Environment,
    module: &str,
    context: &minijinja::Value,
    stubs: Option<&str>,
) -> Result<String, GenerateError> {
    let name = format!("{module}.rs.j2");
    let template_error = |source| GenerateError::Template { name: name.clone(), source };
    let text = env.get_template(&name).and_then(|t| t.render(context)).map_err(template_error)?;
    // Token streams cannot cross threads: each thread parses the (checked) stubs path.
    let stubs: Option<TokenStream> = stubs.map(rebase::stubs_path).transpose()?;
    let parsed = match stubs {
        None => syn::parse_file(&text),
        Some(stubs) => text
            .parse::<TokenStream>()
            .map_err(syn::Error::from)
            .and_then(|tokens| syn::parse2(rebase::rebase(tokens, &stubs))),
    };
    let file = parsed.map_err(|e| GenerateError::NotRust {
        name: name.clone(),
        message: format!("{}:{}: {e}", e.span().start().line, e.span().start().column),
        text: text.clone(),
    })?;
    Ok(prettyplease::unparse(&file))
}
