//! The entries of `rest_parameters` (`- name: key`) and `rest_status_code` (`- 409: key`)
//! lists. os-api-ref reads such a list as YAML, so an entry that YAML would not read as one
//! (mis-indented, not a `- ` item, a name with RST markup or spaces) is refused with the
//! reason, instead of becoming a parameter named after the broken text.

/// The wire name and parameters-file key of `line`, a `rest_parameters` entry of a list
/// whose items are indented by `list_indent`.
pub fn parameter(line: &str, list_indent: usize) -> Result<(&str, &str), String> {
    let item = list_item(line, list_indent, "`- name: key`")?;
    // Wire names may contain colons (`OS-EXT-SRV-ATTR:host`): split on the last `: `.
    let (wire, key) =
        item.rsplit_once(": ").ok_or_else(|| format!("expected `name: key`, found `{item}`"))?;
    Ok((name(wire.trim(), "name", item)?, name(key.trim(), "key", item)?))
}

/// The code and `status.yaml` key of `line`, a `rest_status_code` entry (`- 409: dup`,
/// `- 400`, whose key is `default`).
pub fn status(line: &str) -> Result<(u16, &str), String> {
    let item = line.trim();
    let item = item.strip_prefix("- ").unwrap_or(item);
    let (code, key) = match item.split_once(':') {
        Some((code, key)) => (code.trim(), key.trim()),
        None => (item, "default"),
    };
    let code = code.parse().map_err(|_| format!("expected a status code, found `{code}`"))?;
    Ok((code, name(key, "key", item)?))
}

/// `line` without its `- ` marker, if it is an item of a list indented by `list_indent`.
fn list_item<'a>(line: &'a str, list_indent: usize, expected: &str) -> Result<&'a str, String> {
    let text = line.trim();
    let indent = line.len() - line.trim_start().len();
    if indent != list_indent {
        return Err(format!(
            "`{text}` is indented by {indent}, the list above by {list_indent}: not one of its \
             entries"
        ));
    }
    text.strip_prefix("- ").ok_or_else(|| format!("expected {expected}, found `{text}`"))
}

/// `text` if it can be a name or key: one word without RST markup.
fn name<'a>(text: &'a str, what: &str, item: &str) -> Result<&'a str, String> {
    if text.is_empty() {
        return Err(format!("the {what} is empty in `{item}`"));
    }
    if text.contains(char::is_whitespace) || text.contains(['`', '|', '*']) {
        return Err(format!(
            "the {what} `{text}` is not a name (it has spaces or RST markup) in `{item}`"
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_in_every_upstream_spelling_are_read() {
        assert_eq!(parameter("  - OS-EXT:host: host_key", 2), Ok(("OS-EXT:host", "host_key")));
        assert_eq!(parameter("   - category : cat_key", 3), Ok(("category", "cat_key")));
        assert_eq!(parameter("  - name~: name_q", 2), Ok(("name~", "name_q")));
        assert_eq!(parameter("  - a.{id}.b: k", 2), Ok(("a.{id}.b", "k")));
        assert_eq!(status("   - 409: dup"), Ok((409, "dup")));
        assert_eq!(status("   - 400"), Ok((400, "default")));
    }

    #[test]
    fn a_mis_indented_entry_is_refused() {
        let err = parameter(" - name: name_key", 3).unwrap_err();
        assert_eq!(
            err,
            "`- name: name_key` is indented by 1, the list above by 3: not one of its entries"
        );
        let deeper = parameter("     - name: name_key", 3).unwrap_err();
        assert!(deeper.contains("indented by 5, the list above by 3"), "{deeper}");
    }

    #[test]
    fn markup_or_spaces_in_a_name_are_refused() {
        let err = parameter("  - ``broken: name_key", 2).unwrap_err();
        assert!(err.starts_with("the name ```broken` is not a name"), "{err}");
        assert!(parameter("  - two words: k", 2).unwrap_err().contains("`two words`"));
        assert!(parameter("  - n: key and more", 2).unwrap_err().contains("the key"));
        assert!(parameter("  - n: ", 2).unwrap_err().contains("expected `name: key`"));
        assert!(status("  - 409: |dup|").unwrap_err().contains("the key `|dup|`"));
    }

    #[test]
    fn an_entry_without_a_dash_or_a_key_is_refused() {
        assert_eq!(
            parameter("  name: k", 2).unwrap_err(),
            "expected `- name: key`, found `name: k`"
        );
        assert_eq!(
            parameter("  - just_a_name", 2).unwrap_err(),
            "expected `name: key`, found `just_a_name`"
        );
        assert_eq!(status("  - often").unwrap_err(), "expected a status code, found `often`");
    }
}
