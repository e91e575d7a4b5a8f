//! A cluster record, parsed, validated and rendered into a small site in memory: no
//! panic on any text. A record that passes validation must render without errors.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use clusterdir::build::Options;
use clusterdir::diagnostics::Diagnostics;
use clusterdir::content::load::{parse_cluster, parse_toml, Loaded};
use clusterdir::content::model::SiteConfig;
use clusterdir::build::render_site;
use clusterdir::pages::Templates;
use libfuzzer_sys::fuzz_target;

const SITE: &str = r#"
title = "Fuzz clusters"
description = "A site for fuzzing."
city = "Testville"
base_url = "https://clusters.example.org/"

[contact]
name = "Help desk"
phone = "01632 960000"
email = "help@example.org"

[[categories]]
slug = "family-support"
name = "Family support"
description = "Workers who help whole families."

[[categories]]
slug = "counselling"
name = "Counselling"
description = "Talking therapy."
"#;

fn config() -> &'static SiteConfig {
    static CONFIG: OnceLock<SiteConfig> = OnceLock::new();
    CONFIG.get_or_init(|| {
        parse_toml(Path::new("content/site.toml"), SITE, 0).expect("fuzz site.toml parses")
    })
}

fn templates() -> &'static Templates {
    static TEMPLATES: OnceLock<Templates> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let mut diags = Diagnostics::default();
        Templates::load(Path::new("/nonexistent"), "default", &mut diags)
            .expect("built-in templates load")
    })
}

fuzz_target!(|text: &str| {
    let file = Path::new("content/clusters/fuzz.toml");
    let Ok(record) = parse_cluster(file, text).into_result() else {
        return;
    };
    let loaded = Loaded {
        config: config().clone(),
        config_file: "content/site.toml".into(),
        clusters: vec![record],
        guides: Vec::new(),
        pages: Vec::new(),
        unusable: Default::default(),
        config_usable: true,
    };
    let options = Options {
        today: chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(),
        drafts: true,
        external_links: false,
    };
    let mut diags = Diagnostics::default();
    let site = clusterdir::check::validate(loaded, &options, &mut diags);
    if diags.has_errors() {
        return;
    }
    let out = render_site(
        &site,
        templates(),
        Path::new("/nonexistent"),
        None,
        &mut diags,
        &mut Default::default(),
    );
    assert!(!diags.has_errors(), "a valid record failed to render");
    assert!(!out.is_empty());
});
