//! The command that reruns one case of a run on its own: every option that shaped the run
//! (its microversion, mutations, headers, cloud, case counts, overrides, path values, ...)
//! narrowed to the case's operation and phase, with the run's seed. Credentials appear as
//! references to environment variables (`"X-Auth-Token: $OS_TOKEN"`), never by value.
//!
//! A safe request (GET, HEAD) names the path values it used with `--path-value`: they
//! were learned from other operations' responses, which a rerun of one operation does not
//! send, and without them the rerun would get a placeholder's 404 instead of the failure.
//!
//! The command line decides which of its options shape a run (`src/commands/rerun.rs` in the
//! CLI); a run started otherwise (a test, a library user) names only its spec and URL.

use std::borrow::Cow;

use crate::phases::Phase;

/// The part of a rerun command common to every case of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rerun {
    /// Shell words after `stackspec conform`, for every phase.
    common: Vec<String>,
    /// Shell words only the auth phase takes (`--as-member CLOUD` adds the auth phase to
    /// whichever phase it is given with, so it stays off the other phases' reruns).
    auth: Vec<String>,
}

impl Rerun {
    /// What a run knows without its command line: the spec and the base URL.
    pub fn minimal(spec: &str, base_url: &str) -> Self {
        Self::default().option("--spec", Some(spec)).option("--url", Some(base_url))
    }

    /// Adds `flag` (with `value`, unless it is a switch) for every phase.
    pub fn option(mut self, flag: &str, value: Option<&str>) -> Self {
        self.common.extend(words(flag, value));
        self
    }

    /// Adds `flag` (with `value`) for the auth phase only.
    pub fn auth_option(mut self, flag: &str, value: Option<&str>) -> Self {
        self.auth.extend(words(flag, value));
        self
    }

    /// Adds a header whose value is a credential, as a reference to `variable`:
    /// `--header "X-Auth-Token: $OS_TOKEN"`, expanded by the shell that runs the command.
    /// `prefix` keeps a scheme (`Bearer `) in front of the reference.
    pub fn credential_header(mut self, name: &str, prefix: &str, variable: &str) -> Self {
        self.common.push("--header".into());
        self.common.push(crate::escape::with_variable(&format!("{name}: {prefix}"), variable));
        self
    }

    /// The command that reruns the cases of `operation` in `phase` with `seed`, the
    /// `path_values` it used pinned with `--path-value` (unless the run was given them).
    pub fn command(
        &self,
        operation: &str,
        phase: Phase,
        seed: u64,
        path_values: &[(String, String)],
    ) -> String {
        let mut out = vec!["stackspec".to_string(), "conform".to_string()];
        out.extend(self.common.iter().cloned());
        if phase == Phase::Auth {
            out.extend(self.auth.iter().cloned());
        }
        out.extend(words("--operation", Some(operation)));
        out.extend(words("--phases", Some(phase.name())));
        out.extend(words("--seed", Some(&seed.to_string())));
        for (name, value) in path_values {
            let pin = words("--path-value", Some(&format!("{name}={value}")));
            if !self.common.windows(2).any(|given| given == pin.as_slice()) {
                out.extend(pin);
            }
        }
        out.join(" ")
    }
}

/// The values of the `{name}` segments of `template` in `path` (as sent: percent-encoded),
/// decoded; none when the path does not follow the template.
pub fn path_values(template: &str, path: &str) -> Vec<(String, String)> {
    let names: Vec<&str> = template.split('/').collect();
    let values: Vec<&str> = path.split('/').collect();
    if names.len() != values.len() {
        return Vec::new();
    }
    names
        .into_iter()
        .zip(values)
        .filter_map(|(name, value)| {
            let name = name.strip_prefix('{')?.strip_suffix('}')?;
            let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
            Some((name.to_string(), value.into_owned()))
        })
        .collect()
}

/// `flag` and its value, each quoted for a POSIX shell.
pub fn words(flag: &str, value: Option<&str>) -> Vec<String> {
    std::iter::once(flag).chain(value).map(|w| quote(w).into_owned()).collect()
}

/// `word` as one POSIX shell word: bare when it has nothing a shell would act on.
fn quote(word: &str) -> Cow<'_, str> {
    // A NUL cannot be passed in an argument at all; spell it as the rest would be.
    shlex::try_quote(word).unwrap_or_else(|_| Cow::Owned(crate::escape::shell_quote(word)))
}

/// The environment variable a rerun names for the credential `value` of header `name`:
/// the one among `env` holding exactly the value (or the value's last word, after a scheme
/// such as `Bearer`), `OS_*` variables first; else `OS_TOKEN` for `X-Auth-Token` (as the
/// openstack CLI names it) and the header's name in capitals otherwise. Returns the text
/// kept before the reference (`Bearer `) and the variable's name.
pub fn credential_variable(
    name: &str,
    value: &str,
    env: impl IntoIterator<Item = (String, String)>,
) -> (String, String) {
    let (prefix, secret) = match value.rsplit_once(' ') {
        Some((scheme, token)) if !scheme.trim().is_empty() => (format!("{scheme} "), token),
        _ => (String::new(), value),
    };
    let mut holding: Vec<(String, bool)> = env
        .into_iter()
        .filter(|(k, v)| !v.is_empty() && (v == value || v == secret) && is_variable_name(k))
        .map(|(k, v)| (k, v == value))
        .collect();
    holding.sort_by_key(|(k, _)| (!k.starts_with("OS_"), k.clone()));
    match holding.into_iter().next() {
        Some((found, true)) => (String::new(), found),
        Some((found, false)) => (prefix, found),
        None if name.eq_ignore_ascii_case("x-auth-token") => (prefix, "OS_TOKEN".into()),
        None => (prefix, name.chars().map(variable_char).collect()),
    }
}

/// A header name's character as one of an environment variable's.
fn variable_char(c: char) -> char {
    if c.is_ascii_alphanumeric() {
        c.to_ascii_uppercase()
    } else {
        '_'
    }
}

/// Whether `name` can be expanded as `$name` by a POSIX shell.
fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credential_is_named_by_the_variable_holding_it_os_first_else_a_conventional_name() {
        let env = || {
            [("ZED", "tok-1"), ("OS_TOKEN_B", "tok-1"), ("BEARER", "abc"), ("EMPTY", "")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
        };
        let var = |name: &str, value: &str| credential_variable(name, value, env());
        assert_eq!(var("X-Auth-Token", "tok-1"), (String::new(), "OS_TOKEN_B".into()));
        assert_eq!(var("Authorization", "Bearer abc"), ("Bearer ".into(), "BEARER".into()));
        assert_eq!(var("X-Auth-Token", "unknown"), (String::new(), "OS_TOKEN".into()));
        assert_eq!(var("X-Api-Key", "unknown"), (String::new(), "X_API_KEY".into()));
        let line = Rerun::default().credential_header("X-Auth-Token", "", "OS_TOKEN_B");
        assert_eq!(
            line.command("op", Phase::Examples, 1, &[]).split(" --operation").next(),
            Some(r#"stackspec conform --header "X-Auth-Token: $OS_TOKEN_B""#)
        );
    }

    #[test]
    fn path_values_are_read_back_from_the_path_sent_and_pinned_unless_given() {
        let pairs = path_values("/v2/images/{image_id}/tags/{tag}", "/v2/images/i-1/tags/a%20b");
        let expected = [("image_id".to_string(), "i-1".to_string()), ("tag".into(), "a b".into())];
        assert_eq!(pairs, expected);
        assert!(path_values("/v2/images/{image_id}", "/v2/images").is_empty());
        let rerun = Rerun::default().option("--path-value", Some("image_id=i-1"));
        let line = rerun.command("show", Phase::Examples, 3, &pairs);
        assert_eq!(line.matches("--path-value").count(), 2, "{line}");
        assert!(line.ends_with("--seed 3 --path-value 'tag=a b'"), "{line}");
    }
}
