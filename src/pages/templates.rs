//! The templates of a site: the built-in default theme's (compiled into the binary),
//! then `themes/<theme>/templates/` in the site folder, then the site's own
//! `templates/`, later ones overriding earlier ones by name. Template errors name the
//! file the template came from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pages::theme::{site_files, Theme};

/// Embed files of the built-in default theme: `(name, contents)` pairs.
macro_rules! embed {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/", $dir, "/", $name)))),*]
    };
}

/// The built-in default theme's templates, embedded so the binary works on its own.
const BUILTIN_TEMPLATES: &[(&str, &str)] = embed!("templates":
    "base.html",
    "macros.html",
    "home.html",
    "clusters.html",
    "cluster.html",
    "cluster_offer.html",
    "core_offer.html",
    "schools.html",
    "schools_letter.html",
    "guides.html",
    "guide.html",
    "page.html",
    "search.html",
    "data.html",
    "404.html",
);

/// Where each template came from, so template errors name the right file.
pub struct Templates {
    tera: Tera,
    /// The theme they came from (its static files go with them).
    pub theme: Theme,
    origin: BTreeMap<String, PathBuf>,
    /// A hash of every template's text: part of each page's cache key, so that editing
    /// a template re-renders the pages.
    pub(crate) fingerprint: u64,
}

/// The text of every template, after the site and theme have overridden the built-in
/// ones, with where each came from and a hash of them all.
pub(crate) struct TemplateSources {
    theme: Theme,
    list: Vec<(String, String)>,
    origin: BTreeMap<String, PathBuf>,
    pub(crate) fingerprint: u64,
}

impl TemplateSources {
    pub(crate) fn read(root: &Path, theme: &Theme, diags: &mut Diagnostics) -> TemplateSources {
        let mut sources: BTreeMap<String, (PathBuf, String)> = BUILTIN_TEMPLATES
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    (
                        PathBuf::from(format!("(built-in)/themes/default/templates/{name}")),
                        text.to_string(),
                    ),
                )
            })
            .collect();
        for dir in theme.layers("templates") {
            for file in site_files(root, &dir, diags) {
                if !file.name.ends_with(".html") {
                    continue;
                }
                match std::fs::read_to_string(root.join(&file.shown)) {
                    Ok(text) => {
                        sources.insert(file.name, (file.shown, text));
                    }
                    Err(e) => diags.push(Diagnostic::error(
                        file.shown,
                        None,
                        format!("could not read this template: {e}"),
                    )),
                }
            }
        }
        let origin: BTreeMap<String, PathBuf> = sources
            .iter()
            .map(|(n, (p, _))| (n.clone(), p.clone()))
            .collect();
        let list: Vec<(String, String)> = sources.into_iter().map(|(n, (_, t))| (n, t)).collect();
        let fingerprint = hash_of(
            &list
                .iter()
                .flat_map(|(n, t)| [n.as_bytes(), t.as_bytes()])
                .collect::<Vec<_>>(),
        );
        TemplateSources {
            theme: theme.clone(),
            list,
            origin,
            fingerprint,
        }
    }
}

pub(crate) fn hash_of(parts: &[&[u8]]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in parts {
        p.hash(&mut h);
    }
    h.finish()
}
impl Templates {
    /// Load templates: built-in, then theme folder, then site `templates/`.
    pub fn load(root: &Path, theme: &Theme, diags: &mut Diagnostics) -> Option<Templates> {
        Self::compile(TemplateSources::read(root, theme, diags), diags)
    }

    pub(crate) fn compile(sources: TemplateSources, diags: &mut Diagnostics) -> Option<Templates> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        let TemplateSources {
            theme,
            list,
            origin,
            fingerprint,
        } = sources;
        if let Err(e) = tera.add_raw_templates(list) {
            let (file, msg) = template_error(&origin, &e);
            diags.push(
                Diagnostic::error(file, None, msg)
                    .with_hint("fix the template syntax; Tera's documentation lists the tags"),
            );
            return None;
        }
        Some(Templates {
            tera,
            theme,
            origin,
            fingerprint,
        })
    }

    /// Render a page. The text is trimmed to its length: thousands of pages are held
    /// until they are written, and a growing string can be up to twice its length.
    pub fn render(&self, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
        let mut html = self.tera.render(name, ctx).map_err(|e| self.error(&e))?;
        html.shrink_to_fit();
        Ok(html)
    }

    /// [`Templates::render`] into a buffer of `size` bytes made at the start (the page's
    /// expected size), so that a big page does not grow by doubling and copying.
    pub fn render_sized(
        &self,
        name: &str,
        ctx: &Context,
        size: usize,
    ) -> Result<String, Diagnostic> {
        let mut buf = Vec::with_capacity(size);
        self.tera
            .render_to(name, ctx, &mut buf)
            .map_err(|e| self.error(&e))?;
        let mut html = String::from_utf8(buf).map_err(|e| {
            Diagnostic::error(
                self.origin_of(name),
                None,
                format!("the page is not UTF-8: {e}"),
            )
        })?;
        html.shrink_to_fit();
        Ok(html)
    }

    /// A template error as a problem in the file the template came from.
    fn error(&self, e: &tera::Error) -> Diagnostic {
        let (file, msg) = template_error(&self.origin, e);
        Diagnostic::error(file, None, msg)
            .with_hint("a template uses a value the page does not have, or has a mistake")
    }

    /// The file template `name` came from.
    fn origin_of(&self, name: &str) -> PathBuf {
        self.origin
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from("templates"))
    }
}

/// Escape text for HTML text and quoted attributes. Unlike Tera's default, `/` is left
/// alone: it is harmless in both and escaping it makes every link unreadable.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    let mut done = 0;
    // The five characters are ASCII, so byte positions are character boundaries.
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[done..i]);
        out.push_str(entity);
        done = i + 1;
    }
    out.push_str(&s[done..]);
    out
}

/// The full chain of a Tera error, with the template it came from.
fn template_error(origin: &BTreeMap<String, PathBuf>, e: &tera::Error) -> (PathBuf, String) {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    let file = origin
        .iter()
        .find(|(name, _)| msg.contains(&format!("'{name}'")))
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| PathBuf::from("templates"));
    (file, msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::job::page_meta;

    #[test]
    fn every_id_the_built_in_templates_write_is_reserved_from_headings() {
        use crate::content::markdown::is_reserved_id;
        let mut seen = 0;
        for (name, text) in BUILTIN_TEMPLATES {
            for part in text.split("id=\"").skip(1) {
                let id = part.split('"').next().unwrap_or_default();
                // Ids made from data (`offer-{{ ... }}`) are covered by their beginnings.
                let fixed = id.split("{{").next().unwrap_or_default();
                if fixed.is_empty() {
                    continue;
                }
                seen += 1;
                let reserved = if id.contains("{{") {
                    is_reserved_id(&format!("{fixed}x"))
                } else {
                    is_reserved_id(id)
                };
                assert!(reserved, "{name}: id \"{id}\" is not in RESERVED_IDS");
            }
        }
        assert!(seen > 20, "the templates' ids were found ({seen})");
    }

    #[test]
    fn html_escaping_covers_the_five_characters_and_keeps_the_rest() {
        assert_eq!(
            escape_html(r#"<a href="x" title='y'>Tom & Jerry</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;"
        );
        assert_eq!(escape_html("é/ü – ٱلعربية 👪&"), "é/ü – ٱلعربية 👪&amp;");
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn site_templates_override_built_in_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/404.html"),
            "custom {{ page.title }}",
        )
        .unwrap();
        let mut diags = Diagnostics::default();
        let t = Templates::load(dir.path(), &Theme::built_in(), &mut diags).unwrap();
        let mut ctx = Context::new();
        ctx.insert(
            "page",
            &page_meta("Gone", "", "/404.html".into(), vec![], ""),
        );
        assert_eq!(t.render("404.html", &ctx).unwrap(), "custom Gone");
        assert_eq!(t.origin["404.html"], PathBuf::from("templates/404.html"));
    }

    #[test]
    fn broken_site_template_is_reported_with_its_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/page.html"), "{% if %}").unwrap();
        let mut diags = Diagnostics::default();
        assert!(Templates::load(dir.path(), &Theme::built_in(), &mut diags).is_none());
        let d = diags.iter().next().unwrap();
        assert_eq!(d.file, PathBuf::from("templates/page.html"), "{d:?}");
    }
}
