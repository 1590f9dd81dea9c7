//! The signature of a failure: what stays the same when one defect is hit again with other
//! input. Its status, the checks it failed, and their messages with what varies from
//! request to request taken out (the request's own values echoed back, ids, long numbers,
//! quoted values, markup), so that the same 500 reached by fifty draws is one failure, and
//! a 500 and a 400 of one operation are two. Shrinking keeps to one signature, so that it
//! never trades the failure it shrinks for another.

use serde_json::Value;

use crate::http::Request;

/// How much of the normalised messages a signature keeps.
const MAX_LEN: usize = 240;

/// Request values shorter than this are not looked for in messages (`a`, `id`, `10` are in
/// too many words).
const MIN_INPUT_LEN: usize = 3;

/// The signature of a failing response (`status`) or a transport `error`, from its failing
/// `checks` and their `messages`, with `inputs` (the request's values) taken out.
pub fn signature<'a>(
    status: Option<u16>,
    error: Option<&str>,
    failures: impl Iterator<Item = (&'a str, &'a str)>,
    inputs: &[String],
) -> String {
    if let Some(error) = error {
        let message = error.split_once(": ").map_or(error, |(_, m)| m);
        return format!("no response: {}", normalize(message, inputs));
    }
    let (checks, messages): (Vec<&str>, Vec<String>) =
        failures.map(|(c, m)| (c, normalize(m, inputs))).unzip();
    let status = status.map_or("-".into(), |s| s.to_string());
    let text = format!("{status} {}: {}", checks.join("+"), messages.join("; "));
    text.chars().take(MAX_LEN).collect()
}

/// The values a request carries (path segments, query values, the body's strings and
/// numbers), longest first, which a response may echo.
pub fn inputs(request: &Request) -> Vec<String> {
    let mut out: Vec<String> = request.path.split('/').map(decode).collect();
    out.extend(request.query.iter().map(|(_, v)| v.clone()));
    if let Some(body) = &request.body {
        leaves(body, &mut out);
    }
    out.retain(|v| v.chars().count() >= MIN_INPUT_LEN);
    out.sort_by_key(|v| std::cmp::Reverse(v.len()));
    out.dedup();
    out
}

fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

fn leaves(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Number(n) => out.push(n.to_string()),
        Value::Array(items) => items.iter().for_each(|v| leaves(v, out)),
        Value::Object(map) => map.values().for_each(|v| leaves(v, out)),
        _ => {}
    }
}

/// `message` without what varies between requests hitting one defect: every whole-word
/// occurrence of an input, markup (`<h1>`), quoted values, ids (UUIDs, long hex) and
/// numbers of four digits or more (three stay: statuses and codes tell causes apart).
pub fn normalize(message: &str, inputs: &[String]) -> String {
    let mut text = strip_markup(message);
    for input in inputs {
        text = replace_words(&text, input, "<input>");
    }
    let text = quoted(&text);
    let words: Vec<String> = text.split_whitespace().map(word).collect();
    words.join(" ")
}

/// `text` with every occurrence of `needle` that does not continue a word replaced.
fn replace_words(text: &str, needle: &str, with: &str) -> String {
    if needle.is_empty() || !text.contains(needle) {
        return text.to_string();
    }
    let wordy = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(needle) {
        let (before, after) = (&rest[..at], &rest[at + needle.len()..]);
        let bounded = !wordy(before.chars().next_back()) && !wordy(after.chars().next());
        out.push_str(before);
        out.push_str(if bounded { with } else { needle });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `text` without `<...>` tags (an HTML error page's markup).
fn strip_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for c in text.chars() {
        match c {
            '<' if !inside => inside = true,
            '>' if inside => {
                inside = false;
                out.push(' ');
            }
            c if !inside => out.push(c),
            _ => {}
        }
    }
    // An unclosed `<` was no tag: keep the text as it was.
    if inside {
        return text.to_string();
    }
    out
}

/// Single-quoted values (`'abc'`, as Python's `repr` shows them) as `'…'`.
fn quoted(text: &str) -> String {
    let parts: Vec<&str> = text.split('\'').collect();
    if parts.len() < 3 {
        return text.to_string();
    }
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        let closed = i + 1 < parts.len();
        match (i % 2, closed) {
            (1, true) if part.len() <= 80 => out.push('…'),
            _ => out.push_str(part),
        }
        if closed {
            out.push('\'');
        }
    }
    out
}

/// A word with its ids (UUIDs and other runs of 12 hex digits or more, with a digit among
/// them, wherever they start: `req-<id>`) and long numbers replaced.
fn word(w: &str) -> String {
    let hex = |c: char| c.is_ascii_hexdigit() || c == '-';
    let mut out = String::with_capacity(w.len());
    let mut rest = w;
    while let Some(start) = rest.find(hex) {
        out.push_str(&rest[..start]);
        let run_len = rest[start..].find(|c: char| !hex(c)).unwrap_or(rest.len() - start);
        let run = &rest[start..start + run_len];
        let digits = run.chars().filter(char::is_ascii_digit).count();
        let hexy = run.chars().filter(char::is_ascii_hexdigit).count();
        if hexy >= 12 && digits > 0 {
            let core = run.trim_matches('-');
            out.push_str(&run.replacen(core, "<id>", 1));
        } else {
            out.push_str(&long_numbers(run));
        }
        rest = &rest[start + run_len..];
    }
    out.push_str(rest);
    out
}

/// `text` with runs of four digits or more as `<n>`.
fn long_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            run.push(c);
            continue;
        }
        out.push_str(if run.len() >= 4 { "<n>" } else { &run });
        run.clear();
        out.push(c);
    }
    out.pop();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_long_numbers_quoted_values_markup_and_inputs_are_taken_out() {
        let inputs = vec!["Zq9-x".to_string()];
        let one = normalize(
            "<h1>500</h1> Invalid 'abc' for Zq9-x: req-0a1b2c3d-4e5f-6789-abcd-ef0123456789 at 1733443200",
            &inputs,
        );
        assert_eq!(one, "500 Invalid '…' for <input>: req-<id> at <n>");
    }

    #[test]
    fn an_input_inside_a_longer_word_is_left_alone() {
        assert_eq!(normalize("no header", &["head".to_string()]), "no header");
        assert_eq!(normalize("bad head.", &["head".to_string()]), "bad <input>.");
    }

    #[test]
    fn statuses_and_checks_tell_two_failures_of_one_operation_apart() {
        let five = signature(
            Some(500),
            None,
            [("not_a_server_error", "server error 500: boom")].into_iter(),
            &[],
        );
        let four = signature(
            Some(400),
            None,
            [("valid_input_accepted", "rejected: boom")].into_iter(),
            &[],
        );
        assert_eq!(five, "500 not_a_server_error: server error 500: boom");
        assert_ne!(five, four);
    }
}
