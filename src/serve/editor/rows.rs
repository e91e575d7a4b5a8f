//! The rows of a list in a posted form (`offer.0.name`, `offer.2.phone`, `sources.1`),
//! and "Add another" and "Remove" without JavaScript: the form is posted back and
//! shown again with a row more or less, nothing saved.
//!
//! A row keeps the index it had in the file when the form was opened; the engine
//! treats a row that is not posted as removed and a row at or past the file's row
//! count as new. So a new row gets the first index past both the rows posted and the
//! file's count (`_count.<list>`, carried in the form), never a removed row's index.

/// The hidden field carrying a list's row count in the file when the form was opened.
pub fn count_field(list: &str) -> String {
    format!("_count.{list}")
}

/// The row index of `name` in `list` (`offer.2.phone` in `offer` is 2).
pub fn index_in(name: &str, list: &str) -> Option<usize> {
    let rest = name.strip_prefix(list)?.strip_prefix('.')?;
    let digits = rest.split('.').next()?;
    digits.parse().ok()
}

/// The row indices of `list` posted in `form`, in order, each once.
pub fn indices(form: &[(String, String)], list: &str) -> Vec<usize> {
    let mut found: Vec<usize> = form.iter().filter_map(|(k, _)| index_in(k, list)).collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// The file's row count of `list` as the form carries it.
pub fn file_count(form: &[(String, String)], list: &str) -> usize {
    let field = count_field(list);
    form.iter()
        .find(|(k, _)| *k == field)
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
}

/// The index a new row of `list` gets.
pub fn next_index(form: &[(String, String)], list: &str) -> usize {
    let past_posted = indices(form, list)
        .last()
        .map_or(0, |i| i.saturating_add(1));
    past_posted.max(file_count(form, list))
}

/// `form` with a new, empty row of `list`: one empty value per name in `names`
/// (sub-field keys of a table row; one empty name for a list of strings).
pub fn add_row(form: &[(String, String)], list: &str, names: &[&str]) -> Vec<(String, String)> {
    let index = next_index(form, list);
    let mut out = form.to_vec();
    for name in names {
        let key = if name.is_empty() {
            format!("{list}.{index}")
        } else {
            format!("{list}.{index}.{name}")
        };
        out.push((key, String::new()));
    }
    out
}

/// `form` without row `index` of `list`.
pub fn remove_row(form: &[(String, String)], list: &str, index: usize) -> Vec<(String, String)> {
    form.iter()
        .filter(|(k, _)| index_in(k, list) != Some(index))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(names: &[String]) -> Vec<(String, String)> {
        names.iter().map(|n| (n.clone(), "x".to_string())).collect()
    }

    #[test]
    fn a_new_row_never_takes_an_index_in_use_or_removed() {
        let mut rng = fastrand::Rng::with_seed(23);
        for _ in 0..500 {
            let count = rng.usize(..6);
            // The rows the file had, some removed, some added since.
            let mut posted: Vec<usize> = (0..count).filter(|_| rng.bool()).collect();
            posted.extend((count..count + rng.usize(..3)).filter(|_| rng.bool()));
            let mut names: Vec<String> = posted.iter().map(|i| format!("offer.{i}.name")).collect();
            names.push(format!("offerings.{}.name", rng.usize(..20)));
            names.push("offer".to_string());
            let mut form = pairs(&names);
            form.push((count_field("offer"), count.to_string()));
            let added = add_row(&form, "offer", &["name", "phone"]);
            let new = next_index(&form, "offer");
            assert!(
                new >= count && !posted.contains(&new),
                "{posted:?} {count} {new}"
            );
            assert_eq!(indices(&added, "offer").last(), Some(&new));
            assert_eq!(added.len(), form.len() + 2);
            if let Some(&gone) = posted.first() {
                let removed = remove_row(&added, "offer", gone);
                assert!(!indices(&removed, "offer").contains(&gone));
                assert_eq!(
                    indices(&removed, "offer").len(),
                    indices(&added, "offer").len() - 1
                );
                assert!(removed.iter().any(|(k, _)| k.starts_with("offerings.")));
            }
        }
        // Indices as large as a number can be: no overflow.
        let huge = vec![
            (format!("offer.{}.name", usize::MAX), "x".to_string()),
            (count_field("offer"), usize::MAX.to_string()),
        ];
        assert_eq!(next_index(&huge, "offer"), usize::MAX);
        let strings = add_row(&[], "sources", &[""]);
        assert_eq!(strings, vec![("sources.0".to_string(), String::new())]);
    }
}
