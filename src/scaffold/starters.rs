//! The text of the starter files `clusterdir new` writes: a cluster record with every
//! field of the model (each with a note, the optional ones commented out), a guide and
//! a page.

/// A TOML string literal (quoted and escaped).
pub(super) fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

/// A cluster record with every field of the model, each with a one-line note. Only
/// `name`, `last_reviewed`, `status` and `sources` are in use: the rest are commented
/// out (with an example value) until someone knows them. `guide` is the file that
/// explains the format, named in the first note.
pub fn cluster_template(name: &str, today: &str, guide: Option<&str>) -> String {
    let more = match guide {
        Some(g) => format!("# A cluster record. Every field has a note after it; {g} says more.\n"),
        None => "# A cluster record. Every field has a note after it.\n".to_string(),
    };
    format!(
        r#"{more}# Lines starting with # are notes, or fields not in use yet: to use a field, remove
# the # at the start of its line (and of its table's [heading] line) and write what is
# true. Leave out what you do not know, and never guess contact details: a cluster with
# no phone or email of its own shows the city-wide contact instead.

name = {name:<24} # the cluster's name, as families know it
# short_name = "A.B.C"           # a shorter name or initials
# slug = "abc"                   # the page's address; defaults to the file name
# area = "North Example City"    # the areas it serves, in words people use
# summary = """What the cluster does."""   # a plain-English summary; **Markdown** is allowed
last_reviewed = {today}      # the date you last confirmed these details with the cluster
status = "active"                # active, temporarily-closed or ended
# reopens = "2026-09"            # when it reopens: only with status = "temporarily-closed"
# alert = "The office is moving; phones may be slow this week."   # a banner at the top of the page
# quick_exit = true              # show the quick-exit control even without a sensitive kind of help
# draft = true                   # keep the record off the published site until it is ready
# report_email = "cluster@example.org"   # where this page's "Report a problem" links send; default: the site's
sources = []                     # where the facts come from, e.g. ["Cluster business plan 2025"]

# [help]                         # how a family asks for help; every field is optional
# self_referral = "Call the cluster office or fill in the request form."   # how families ask themselves
# request_form = "Schools and families can get the form from the cluster office."   # how to get the form
# request_form_url = "https://example.org/request-form"   # where the form is online
# phone = "0113 496 0000"        # the cluster office's phone number
# email = "cluster@example.org"  # the cluster office's email address
# opening_hours = [{{ days = "Monday to Friday", opens = "09:00", closes = "17:00" }}]   # days and 24-hour times
# opening_exceptions = ["Closed on bank holidays"]   # days it is closed or the hours differ
# opening_times = "Late opening on Thursdays."   # anything opening_hours cannot say
# call_cost = "Calls cost the same as a local call."   # needed for 084, 087 and 09 numbers
# reply_time = "We reply within two working days."   # how soon someone replies
# mindmate_spa = true            # requests can also come through MindMate SPA
# notes = "Bring a letter from school if you have one."   # anything else a family should know first

# [[schools]]                    # one [[schools]] table per school
# name = "Example Primary School"   # the school's name, as on its sign
# phase = "primary"              # nursery, primary, secondary, through, all-through, special, pupil-referral-unit, other
# also_known_as = ["Example Primary"]   # other names people use, to help them find it

# [[children_centres]]           # one [[children_centres]] table per children's centre
# name = "Example Children's Centre"   # the centre's name
# based_at = "on the Example Primary School site"   # where it is, in words

# [[offer]]                      # one [[offer]] table per service the cluster offers
# service = "Family support workers"   # what the service is called
# category = "family-support"    # a category slug from content/site.toml
# provider = "Cluster team"      # who provides it
# description = "A worker helps the whole family, at home and with the school."   # a sentence or two
# who_for = "Children aged 4 to 11 and their families"   # who it is for, in words
# ages = {{ min = 4, max = 11 }}   # youngest and oldest age, in years
# access = "Through the school or the cluster office"   # how to get it
# self_referral = true           # can families ask for it themselves?
# capacity = "3 workers"         # how much of it the cluster has
# funded_by = "Cluster budget"   # who pays for it
# cost = {{ amount = 250.0, basis = "estimate per family: 2 hours a week for 12 weeks" }}   # pounds, and what that covers
# status = "active"              # active, temporarily-closed or ended
# reopens = "2026-09"            # when it reopens: only with status = "temporarily-closed"
# alert = "Waiting list until September."   # a short message shown beside it
# last_reviewed = {today}    # when this service was confirmed, if not with the rest of the record

# [[contacts]]                   # one [[contacts]] table per role
# role = "cluster-manager"       # cluster-leader, cluster-manager, targeted-services-leader, chair, local-authority-partner, other
# name = "Their name"            # only with the person's agreement; the role is shown either way
# job_title = "Deputy head teacher"   # where it says more than the role
# organisation = "Example Primary School"   # where they work
# phone = "0113 496 0999"        # a work phone number
# mobile = "07700 900000"        # a work mobile number
# email = "cluster.manager@example.org"   # a work email address
# address = ["Cluster office", "Street", "Town", "Postcode"]   # a postal address, one entry per line

# [governance]                   # how the cluster is run
# model = "joint-collaborative-committee"   # joint-collaborative-committee, trust or informal-partnership
# body = "Example Cluster Joint Committee"   # the governing body's name
# accountable_body = "Example Primary School"   # for an informal partnership: who employs staff and holds the money
# committees = ["Resources committee"]   # its committees
# voting = "Each school has one vote."   # how voting works, in words
# membership = ["Head teachers of the cluster's schools", "Partners"]   # who sits on the governing body
# notes = "The committee meets each half term."   # anything else about how it is run

# [[priorities]]                 # one [[priorities]] table per priority
# title = "Emotional health and wellbeing"   # the priority, in a few words
# detail = "Fewer families waiting for counselling."   # one or two sentences about it

# [[funding]]                    # one [[funding]] table per financial year
# year = "2025/26"               # the financial year, as text
# total = 100000                 # total planned spending, in pounds
# sources = [{{ name = "Schools", amount = 80000 }}, {{ name = "Health" }}]   # where the money comes from (amount optional)
# spending = [{{ name = "Family support workers", amount = 60000 }}]   # what it is spent on (amount optional)
# notes = "Figures are planned, not spent."   # anything to know about the figures

# [[meetings]]                   # one [[meetings]] table per meeting
# title = "Cluster joint committee"   # what the meeting is
# date = {today}             # the date, or "2026-02" if only the month is known
# time = "16:00"                 # the start time, 24-hour clock
# place = "Example Primary School"   # where it is
# public = false                 # may members of the public attend?

# [[updates]]                    # one [[updates]] table per news item, shown newest first
# date = {today}             # when it happened
# title = "New family support worker"   # a headline
# body = "Families can now ask us directly."   # the news itself; **Markdown** is allowed
"#,
        name = toml_string(name)
    )
}

/// A guide with every front-matter field; `number` is its series number.
pub fn guide_template(title: &str, number: u32, today: &str) -> String {
    format!(
        r#"+++
title = {title}
number = {number}{pad}# the guide series number
edition = {today}          # the date of this edition
summary = "One or two sentences saying what the guide covers."
# replaces = "slug-of-the-earlier-edition"
# slug = "cluster-working" # the page's address; defaults to the file name
# quick_exit = true        # for guides about domestic abuse
# draft = true
sources = []
+++

## First section

Write in short sentences and everyday words. Sections start with `##`.
"#,
        title = toml_string(title),
        pad = " ".repeat(18usize.saturating_sub(number.to_string().len()).max(1)),
    )
}

/// A page with every front-matter field.
pub fn page_template(title: &str) -> String {
    format!(
        r#"+++
title = {title}
summary = "One sentence for search engines and page lists."
# weight = 5               # order in the footer, lower first
# slug = "about"           # the page's address; defaults to the file name
# quick_exit = true        # for pages about domestic abuse
# list = "clusters-by-governance"   # after the text, every cluster under its governance model (or "glossary")
# draft = true
sources = []
+++

## First section

Text in Markdown.
"#,
        title = toml_string(title)
    )
}
