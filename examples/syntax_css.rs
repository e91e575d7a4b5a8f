//! Prints the stylesheet for highlighted code; the theme ships its output as
//! `themes/default/static/syntax.css`:
//! `cargo run --example syntax_css > themes/default/static/syntax.css`
fn main() {
    print!("{}", clusterdir::content::markdown::code_stylesheet());
}
