//! The examples in docs/content-format.md must stay true: write each one to the file it
//! names and check the resulting site has no problems.

mod common;

#[test]
fn content_format_examples_build_without_problems() {
    let doc = std::fs::read_to_string(common::repo_root().join("docs/content-format.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut written = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(path) = line
            .strip_prefix("<!-- example: ")
            .and_then(|l| l.strip_suffix(" -->"))
        else {
            continue;
        };
        let fence = lines.next().unwrap();
        assert!(
            fence.starts_with("```"),
            "example {path} must be followed by a code block"
        );
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        let target = dir.path().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, body.join("\n") + "\n").unwrap();
        written.push(path.to_string());
    }
    assert_eq!(written.len(), 5, "{written:?}");
    let options = clusterdir::build::Options {
        today: chrono::NaiveDate::from_ymd_opt(2016, 2, 1).unwrap(),
        ..Default::default()
    };
    let checked = clusterdir::build::check_with(dir.path(), &options);
    assert!(checked.ok(), "{}", checked.report(false));
    assert!(checked.diagnostics.is_empty(), "{}", checked.report(false));
    let site = checked.site.unwrap();
    // The complete record really uses every table.
    let c = &site.clusters["example"].record;
    assert!(c.help.is_some() && c.governance.is_some());
    assert!(
        !c.schools.is_empty()
            && !c.children_centres.is_empty()
            && !c.offer.is_empty()
            && !c.contacts.is_empty()
    );
    assert!(
        !c.priorities.is_empty()
            && !c.funding.is_empty()
            && !c.meetings.is_empty()
            && !c.updates.is_empty()
    );
    assert_eq!(
        site.guides["cluster-working-2013"].replaced_by.as_deref(),
        Some("cluster-working-2025")
    );
    assert!(c.status.is_some() && c.help.as_ref().unwrap().opening_hours.len() == 1);
    assert!(site.categories.iter().any(|c| c.sensitive));
    assert!(site.config.data_licence.is_some());
    assert_eq!(site.config.review_warning_months, Some(12));
    assert!(!site.pages["about"].front.sources.is_empty());
}

/// docs/content-format.md documents every field a content file may hold: each field of
/// each struct of the content model that is read from a file (`#[derive(Deserialize)]`
/// in src/content/model/) appears in it as `name = ...`, or as a table `[name]` or
/// `[[name]]`.
#[test]
fn content_format_documents_every_field_of_the_model() {
    let doc = std::fs::read_to_string(common::repo_root().join("docs/content-format.md")).unwrap();
    let mut missing = Vec::new();
    let mut fields = 0;
    for s in common::model_structs() {
        for (name, _) in &s.fields {
            fields += 1;
            if !common::shows_field(&doc, name) {
                missing.push(format!("{} ({}): {name}", s.file.display(), s.name));
            }
        }
    }
    assert!(
        fields > 80,
        "only {fields} fields found: has the model moved?"
    );
    assert!(
        missing.is_empty(),
        "not in docs/content-format.md:\n{}",
        missing.join("\n")
    );
}

/// The documented example of each kind of record (the `<!-- example: ... -->` blocks of
/// docs/content-format.md) shows every field of the content model's description
/// (`content::schema`, which its own tests hold to the serde model) where it belongs.
#[test]
fn content_format_examples_show_every_described_field() {
    use clusterdir::content::schema::all;
    let doc = std::fs::read_to_string(common::repo_root().join("docs/content-format.md")).unwrap();
    for kind in all() {
        let marker = format!("<!-- example: content/{}/", kind.folder);
        let examples: Vec<&str> = doc
            .split(&marker)
            .skip(1)
            .map(|rest| {
                let block = rest.split("```").nth(1).unwrap_or_default();
                block.split("+++").nth(1).unwrap_or(block)
            })
            .collect();
        assert!(!examples.is_empty(), "no example of a {}", kind.name);
        let missing = common::fields_not_shown(&examples.join("\n"), kind.kind);
        assert!(
            missing.is_empty(),
            "docs/content-format.md's {} example lacks {missing:?}",
            kind.name
        );
    }
}
