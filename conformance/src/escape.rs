//! Text made safe for where it goes: URLs (percent-encoding) and shells (quoting).

/// Percent-encodes everything but unreserved characters.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub(crate) fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// `kept` followed by a reference to environment variable `variable`, as one POSIX shell
/// word that the shell expands: `"X-Auth-Token: $OS_TOKEN"` (or `'Odd "name": '"$VAR"` when
/// `kept` holds characters a double-quoted word would act on). What reproducers and rerun
/// commands print instead of a credential's value, so that they run as printed.
pub fn with_variable(kept: &str, variable: &str) -> String {
    let plain = kept.chars().all(|c| c.is_ascii_alphanumeric() || " :-_.".contains(c));
    if plain {
        format!("\"{kept}${variable}\"")
    } else {
        format!("{}\"${variable}\"", shell_quote(kept))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variable_reference_is_one_shell_word_whatever_comes_before_it() {
        assert_eq!(with_variable("X-Auth-Token: ", "OS_TOKEN"), r#""X-Auth-Token: $OS_TOKEN""#);
        assert_eq!(with_variable("X-$odd: ", "V"), r#"'X-$odd: '"$V""#);
    }
}
