//! The README's check table stays in step with the checks.

use stackspec_conformance::checks;

#[test]
fn the_readme_lists_every_check_with_its_meaning() {
    let readme = include_str!("../README.md");
    for check in checks::ALL {
        let row = format!("| `{}` | {} |", check.name, check.meaning);
        assert!(readme.contains(&row), "README.md lacks: {row}");
    }
}
