//! The mistakes people editing records make most, each in a small site, with the whole
//! report `clusterdir check` prints for it kept as a snapshot (`tests/snapshots/`), so a
//! change of wording is reviewed like code. To accept a deliberate change:
//! `INSTA_UPDATE=always cargo test --test mistakes`, then read the diff of the snapshots.

mod common;

use common::SITE;

/// One mistake: a name for its snapshot, and the record with it.
const MISTAKES: &[(&str, &str)] = &[
    ("missing_closing_quote", "name = \"A\nlast_reviewed = 2025-01-01\n"),
    ("text_without_quotes", "name = North east\nlast_reviewed = 2025-01-01\n"),
    (
        "curly_quotes",
        "name = \u{201c}North east\u{201d}\nlast_reviewed = 2025-01-01\n",
    ),
    ("month_without_quotes", "name = \"A\"\nlast_reviewed = 2016-01\n"),
    (
        "phone_without_quotes",
        "name = \"A\"\nlast_reviewed = 2025-01-01\n\n[help]\nphone = 01134960000\n",
    ),
    (
        "phone_too_short",
        "name = \"A\"\nlast_reviewed = 2025-01-01\n\n[help]\nphone = \"0113 496\"\n",
    ),
    (
        "email_without_at",
        "name = \"A\"\nlast_reviewed = 2025-01-01\n\n[help]\nemail = \"help at example.org\"\n",
    ),
    (
        "web_address_without_https",
        "name = \"A\"\nlast_reviewed = 2025-01-01\n\n[help]\nrequest_form_url = \"www.example.org/form\"\n",
    ),
    ("misspelt_field", "name = \"A\"\nlast_reviewd = 2025-01-01\n"),
    (
        "field_at_the_wrong_level",
        "name = \"A\"\nlast_reviewed = 2025-01-01\nphone = \"0113 496 0000\"\n",
    ),
    (
        "offer_without_its_header",
        "name = \"A\"\nlast_reviewed = 2025-01-01\nservice = \"Counselling\"\ncategory = \"family-support\"\n",
    ),
    (
        "list_written_as_text",
        "name = \"A\"\nlast_reviewed = 2025-01-01\nsources = \"https://example.org\"\n",
    ),
    ("yes_for_true", "name = \"A\"\nlast_reviewed = 2025-01-01\nquick_exit = \"yes\"\n"),
    ("capital_true", "name = \"A\"\nlast_reviewed = 2025-01-01\nquick_exit = True\n"),
    (
        "unknown_category",
        "name = \"A\"\nlast_reviewed = 2025-01-01\n\n[[offer]]\nservice = \"Counselling\"\ncategory = \"family\"\n",
    ),
    (
        "unknown_school_phase",
        "name = \"A\"\nlast_reviewed = 2025-01-01\n\n[[schools]]\nname = \"Allerton Grange\"\nphase = \"primry\"\n",
    ),
    ("missing_equals", "name \"A\"\nlast_reviewed = 2025-01-01\n"),
    (
        "unclosed_list_header",
        "name = \"A\"\nlast_reviewed = 2025-01-01\n\n[[offer]\nservice = \"x\"\n",
    ),
    (
        "field_given_twice",
        "name = \"A\"\nname = \"B\"\nlast_reviewed = 2025-01-01\n",
    ),
    ("missing_required_field", "name = \"A\"\n"),
    (
        "five_mistakes_in_one_record",
        "name = \"A\"\nlast_reviewed = 2025-01-01\ncolour = \"blue\"\nquick_exit = \"yes\"\n\n[help]\nemial = \"x@example.org\"\nemail = \"help at example.org\"\nphone = \"0113 496\"\n",
    ),
];

#[test]
fn each_mistake_gets_words_people_can_act_on() {
    let mut names = Vec::new();
    for (name, record) in MISTAKES {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in [("site.toml", SITE), ("clusters/a.toml", record)] {
            let p = dir.path().join("content").join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let checked = common::check(dir.path());
        assert!(checked.diagnostics.error_count() > 0, "{name}: no error");
        let report = checked.diagnostics.render(&checked.sources, false);
        insta::assert_snapshot!(*name, report);
        names.push(*name);
    }
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), MISTAKES.len(), "each mistake has its own name");
}
