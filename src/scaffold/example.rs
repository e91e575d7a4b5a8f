//! The small, complete example site `clusterdir init` writes: settings, one cluster
//! with its main fields filled in, a guide, a page, and `FORMAT.md`, a short guide to
//! the format for the people who edit the site. Every phone number is from Ofcom's
//! range for drama (0113 496 0xxx, 07700 900xxx) and every address is example.org:
//! nothing here is real, and `FORMAT.md` says to replace it.

/// `content/site.toml`.
pub const SITE: &str = r#"# Settings for the whole site. FORMAT.md (beside the content folder) explains them.
title = "Early help clusters"       # shown in the header and in every page title
description = "Find your child's school's cluster and how to ask for help."   # home page, search engines
city = "Example City"               # the city or area, used in sentences
language = "en-GB"                  # the language of the text
base_url = "https://example.org/"   # where the site is published: replace it (the sitemap and the ORUK feed need it)

# The city-wide contact, shown on every page and wherever a cluster has no phone or
# email of its own. These details are examples: replace them with your real contact
# before publishing.
[contact]
name = "Early help team"            # who families reach: a team or service
phone = "0113 496 0000"             # a phone number, written any usual UK way
email = "early.help@example.org"    # an email address
url = "https://example.org/early-help"   # a web page about the contact
about = "they can tell you which cluster your child's school is in."   # what they help with

# Kinds of help, defined once. Each offer item in a cluster record names one by its slug.
[[categories]]
slug = "family-support"             # used in cluster records: category = "family-support"
name = "Family support"             # the name people see
description = "A worker helps the whole family, at home and with the school."

[[categories]]
slug = "counselling"
name = "Counselling and therapy"
description = "Talking and play therapy for children, young people and parents."
"#;

/// `content/clusters/example-cluster.toml`, last reviewed `today`.
pub fn cluster(today: &str) -> String {
    format!(
        r#"# An example cluster record: replace it with a real one, or delete it.
# FORMAT.md (beside the content folder) explains every field. Lines starting with #
# are notes. `clusterdir new cluster "Name"` writes a new record with every field.

name = "Example"                    # the cluster's name, as families know it (pages add "cluster")
area = "The north of Example City"  # the areas it serves, in words people use
summary = "Schools in the north of Example City working together so families get help early."
last_reviewed = {today}         # the date you last confirmed these details
sources = ["An example: replace with where the facts come from"]

[help]                              # how a family asks for help
self_referral = "Call the cluster office, or ask your child's school."
phone = "0113 496 0999"             # the cluster office's phone
email = "example.cluster@example.org"
opening_hours = [{{ days = "Monday to Friday", opens = "09:00", closes = "16:30" }}]
opening_exceptions = ["Closed on bank holidays"]
reply_time = "We reply within two working days."

[[schools]]                         # one [[schools]] table per school
name = "Example Primary School"
phase = "primary"

[[schools]]
name = "Example High School"
phase = "secondary"

[[offer]]                           # one [[offer]] table per service
service = "Family support workers"
category = "family-support"         # a category slug from content/site.toml
provider = "Cluster team"
description = "A worker visits the family at home and helps with what matters to them."
who_for = "Children at the cluster's schools and their families"
ages = {{ min = 4, max = 16 }}
access = "Through the school or the cluster office"
self_referral = true

[[offer]]
service = "Parenting course"
category = "family-support"
description = "Eight weekly sessions for parents, run at a school in the cluster."
ages = {{ min = 4, max = 11 }}
self_referral = true

[[offer]]
service = "School counselling"
category = "counselling"
description = "Weekly sessions with a counsellor in school."
ages = {{ min = 11, max = 16 }}
access = "Through the school"
self_referral = false

[[contacts]]                        # one [[contacts]] table per role; names are optional
role = "cluster-manager"
phone = "0113 496 0998"
email = "cluster.manager@example.org"

[governance]                        # how the cluster is run
model = "informal-partnership"
body = "Example cluster partnership"
accountable_body = "Example High School"   # the partner that employs staff and holds the money

[[meetings]]                        # shown with the date, time and place
title = "Cluster joint committee"
date = {today}
time = "16:00"
place = "Example High School"
public = false

[[updates]]                         # news, shown newest first
date = {today}
title = "The cluster's pages are online"
body = "Families can now find the cluster's offer and contacts here."
"#
    )
}

/// `content/guides/about-clusters.md`, edition `today`.
pub fn guide(today: &str) -> String {
    format!(
        r#"+++
title = "About clusters"
number = 1                          # the guide series number
edition = {today}               # the date of this edition
summary = "What a cluster is and how a family can ask one for help."
sources = []
+++

## What a cluster is

A cluster is a group of schools and services in one area that work together so that
children and families get help early, before problems grow.

## How to ask for help

Talk to your child's school, or contact the cluster yourself: each cluster's page
says how. Find the cluster on [the list of clusters](/clusters/).
"#
    )
}

/// `content/pages/about.md`.
pub const PAGE: &str = r#"+++
title = "About this directory"
summary = "Who runs this directory and how to tell us about a mistake."
weight = 1                          # order in the footer, lower first
sources = []
+++

## Who runs it

The early help team keeps this directory up to date with each cluster.

## Tell us about a mistake

If something here is wrong, contact the early help team: their details are at the
foot of every page.
"#;

/// `FORMAT.md`: the format in plain words, for the people who edit the site.
pub const FORMAT: &str = r#"# How to edit this site

Everything the site shows comes from the files in the `content` folder. Edit them in
any plain-text editor, run `clusterdir check` to find mistakes, and `clusterdir serve`
to see the site as you edit.

The example site here is made up: every name, phone number and email in it is an
example. Replace them with real details, or delete them, before publishing.

## Where things go

| file | what it holds |
|---|---|
| `content/site.toml` | the site's title, the city-wide contact, and the kinds of help ("categories") |
| `content/clusters/<name>.toml` | one file per cluster |
| `content/guides/<name>.md` | guides: a few settings between `+++` lines, then the text |
| `content/pages/<name>.md` | other pages, written like guides |

The file's name is the page's address: `content/clusters/north.toml` becomes
`/clusters/north/`. Use lower-case letters, digits and hyphens.

To start a new file with every field in it, each with a note:

    clusterdir new cluster "North cluster"
    clusterdir new guide "Attendance matters"
    clusterdir new page "Contact us"

## Writing a record

Lines look like `field = "text"`. Text goes in double quotes; `true` and `false`,
numbers and dates do not. A line starting with `#` is a note (or a field not in use
yet): the site ignores it. Remove the `#` to use a field.

- Dates are written `2026-01-31`, or `"2026-01"` when only the month is known.
- Phone numbers can be written any usual UK way: `0113 496 0000`.
- Web addresses start with `https://`.
- A heading in square brackets starts a group of fields: `[help]` once, and
  `[[schools]]`, `[[offer]]`, `[[contacts]]` once for each school, service or person.
- Summaries, guides and pages can use Markdown: `**bold**`, `[a link](/clusters/)`,
  and headings starting `##`.

A misspelt field is an error, with the nearest correct name, so nothing is silently
lost.

## The fields that matter most

In a cluster record only `name` and `last_reviewed` must be there. The ones families
need most:

- `last_reviewed`: the date someone last confirmed the record with the cluster. Update
  it whenever you check. Pages show "may be out of date" after six months, and
  `clusterdir check` warns after twelve.
- `[help]`: how a family asks for help: `self_referral`, `phone`, `email`,
  `opening_hours`. Never guess a phone number or email: leave it out, and the page
  shows the city-wide contact from `site.toml` instead.
- `[[schools]]`: each school's `name` and `phase` (`primary`, `secondary`, ...), so
  families can find their school.
- `[[offer]]`: each service's `service` name and `category` (a category `slug` from
  `site.toml`), with `description`, `ages` and `self_referral` if known.
- `[[contacts]]`: people by `role` (`cluster-manager`, `chair`, ...). A person's `name`
  is optional: add it only if they agree.
- `status`: `active`, `temporarily-closed` (with `reopens`) or `ended`, for the cluster
  or one service; `alert` shows a short message.
- `draft = true` keeps a record, guide or page off the site until it is ready.

`clusterdir new cluster` writes every field there is, with a note on each.

## Checking and previewing

    clusterdir check      # lists every problem, with the file, line and how to fix it
    clusterdir serve      # a preview at the address it prints; it updates as you save
    clusterdir build      # writes the finished site into the public folder

Run them in this folder (the one holding `content`). `check` lists errors first: the
site is not built until they are fixed. Warnings (a record not checked for a year, a
number that costs more to call) do not stop the build, but are worth fixing.
"#;
