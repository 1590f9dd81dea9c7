//! RST tables (grid, simple, `list-table`) as CommonMark pipe tables (the GitHub extension
//! OpenAPI renderers read). A cell spanning several lines becomes one line; a table without
//! a header row gets its first row as header, since a pipe table needs one.

/// A grid table (`+---+---+` borders, `|` columns), `lines` from its first border to its last.
pub fn grid(lines: &[&str]) -> Option<Vec<Vec<String>>> {
    let border: Vec<char> = lines.first()?.trim_end().chars().collect();
    let columns: Vec<usize> =
        border.iter().enumerate().filter(|(_, c)| **c == '+').map(|(i, _)| i).collect();
    if columns.len() < 2 {
        return None;
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Option<Vec<String>> = None;
    for line in &lines[1..] {
        let chars: Vec<char> = line.trim_end().chars().collect();
        if chars.first() == Some(&'+') {
            rows.extend(row.take());
            continue;
        }
        let cells = row.get_or_insert_with(|| vec![String::new(); columns.len() - 1]);
        for (n, pair) in columns.windows(2).enumerate() {
            let end = pair[1].min(chars.len());
            let start = (pair[0] + 1).min(end);
            let part: String = chars[start..end].iter().collect();
            append(&mut cells[n], part.trim());
        }
    }
    rows.extend(row);
    Some(rows)
}

/// A simple table (`=====  =====` borders), `lines` from its first border to its last.
pub fn simple(lines: &[&str]) -> Option<Vec<Vec<String>>> {
    let border: Vec<char> = lines.first()?.trim_end().chars().collect();
    let starts: Vec<usize> = (0..border.len())
        .filter(|&i| border[i] == '=' && (i == 0 || border[i - 1] == ' '))
        .collect();
    if starts.len() < 2 {
        return None;
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    for line in &lines[1..] {
        let chars: Vec<char> = line.trim_end().chars().collect();
        if chars.is_empty() || chars.iter().all(|c| *c == '=' || *c == ' ' || *c == '-') {
            continue;
        }
        let cell = |n: usize| -> String {
            let start = starts[n].min(chars.len());
            let end = starts.get(n + 1).map_or(chars.len(), |&e| e.min(chars.len()));
            chars[start..end].iter().collect::<String>().trim().to_string()
        };
        let cells: Vec<String> = (0..starts.len()).map(cell).collect();
        match rows.last_mut() {
            // A row whose first column is empty continues the row above.
            Some(last) if cells[0].is_empty() => {
                for (to, part) in last.iter_mut().zip(&cells) {
                    append(to, part);
                }
            }
            _ => rows.push(cells),
        }
    }
    Some(rows)
}

/// The body of a `list-table` directive: `* - cell` starts a row, `  - cell` a cell, and
/// deeper lines continue the cell.
pub fn list(body: &[&str]) -> Option<Vec<Vec<String>>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for line in body.iter().filter(|l| !l.trim_start().starts_with(':')) {
        let trimmed = line.trim_start();
        if let Some(cell) = trimmed.strip_prefix("* -") {
            rows.push(vec![cell.trim().to_string()]);
        } else if let Some(cell) =
            trimmed.strip_prefix("- ").or(trimmed.strip_prefix('-').filter(|c| c.is_empty()))
        {
            rows.last_mut()?.push(cell.trim().to_string());
        } else if let Some(cell) = rows.last_mut().and_then(|r| r.last_mut()) {
            append(cell, trimmed);
        }
    }
    (!rows.is_empty()).then_some(rows)
}

fn append(cell: &mut String, part: &str) {
    if part.is_empty() {
        return;
    }
    if !cell.is_empty() {
        cell.push(' ');
    }
    cell.push_str(part);
}

/// `rows` (the first the header) as a pipe table; each cell through `inline`.
pub fn pipe_table(rows: &[Vec<String>], inline: impl Fn(&str) -> String) -> String {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let line = |row: &[String]| {
        let cells: Vec<String> = (0..width)
            .map(|n| inline(row.get(n).map_or("", String::as_str)).replace('|', "\\|"))
            .collect();
        format!("| {} |", cells.join(" | "))
    };
    let mut out = vec![line(&rows[0]), format!("|{}", "---|".repeat(width))];
    out.extend(rows[1..].iter().map(|r| line(r)));
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(s: &str) -> String {
        s.to_string()
    }

    #[test]
    fn grid_table_cells_spanning_lines_are_joined() {
        let lines = [
            "+------+-----------+",
            "| Boot | Result    |",
            "+======+===========+",
            "| No   | Free      |",
            "|      | choice.   |",
            "+------+-----------+",
        ];
        let rows = grid(&lines).unwrap();
        assert_eq!(rows, [vec!["Boot", "Result"], vec!["No", "Free choice."]]);
        assert_eq!(pipe_table(&rows, same), "| Boot | Result |\n|---|---|\n| No | Free choice. |");
    }

    #[test]
    fn simple_table_rows_and_continuations() {
        let lines = [
            "=====  =======",
            "Code   Meaning",
            "=====  =======",
            "200    OK",
            "       really",
            "404    Gone",
            "=====  =======",
        ];
        let rows = simple(&lines).unwrap();
        assert_eq!(rows, [vec!["Code", "Meaning"], vec!["200", "OK really"], vec!["404", "Gone"]]);
    }

    #[test]
    fn list_table_rows_and_cells() {
        let body = [
            ":header-rows: 1",
            "",
            "* - Name",
            "  - Value",
            "* - a",
            "  - the first",
            "    letter",
        ];
        let rows = list(&body).unwrap();
        assert_eq!(rows, [vec!["Name", "Value"], vec!["a", "the first letter"]]);
    }

    #[test]
    fn pipes_in_cells_are_escaped() {
        let rows = [vec!["a|b".to_string()], vec!["c".to_string()]];
        assert_eq!(pipe_table(&rows, same), "| a\\|b |\n|---|\n| c |");
    }
}
