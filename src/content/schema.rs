//! The content model described for people: every field a cluster record, a guide's and
//! a page's front matter accept, with a label, a plain hint, its kind of value and
//! whether it is required. One description drives the editor's forms, the validator's
//! list of known fields and is checked against the serde model (`model/`), the
//! `clusterdir new` starters and `docs/content-format.md` by tests, so none of them can
//! drift from the others. The allowed values of a choice come from the model's own
//! enums (`Phase::ALL`, `Status::ALL`, ...), never a copy.

use crate::content::model::{GovernanceModel, PageList, Phase, Role, Status};

/// The kinds of record the editor edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Cluster,
    Guide,
    Page,
}

/// One kind of record: where its files live and its fields.
#[derive(Debug)]
pub struct RecordKind {
    pub kind: Kind,
    /// "cluster", "guide", "page".
    pub name: &'static str,
    /// The folder under `content/`: "clusters", "guides", "pages".
    pub folder: &'static str,
    /// The files' extension: "toml" or "md".
    pub extension: &'static str,
    pub fields: &'static [Field],
    /// Guides and pages: a Markdown body after the front matter (form name `body`).
    pub has_body: bool,
}

/// One field: its TOML key, what a form calls it and says about it.
#[derive(Debug)]
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub ty: FieldType,
    pub required: bool,
}

/// The kind of value a field holds.
#[derive(Debug)]
pub enum FieldType {
    /// One line of text.
    Text,
    /// Several lines of text (Markdown where the hint says so).
    Multiline,
    Email,
    /// A UK phone number.
    Phone,
    /// A web address.
    Url,
    /// "2016", "2016-01" or "2016-01-05".
    PartialDate,
    /// A 24-hour time, "HH:MM".
    Time,
    /// A whole number.
    Integer,
    /// An amount of money in pounds (a number, pence allowed).
    Money,
    Bool,
    /// One of a fixed list of values.
    Choice(&'static [Choice]),
    /// The slug of one of the site's categories (`[[categories]]` in `site.toml`).
    Category,
    /// An array of strings, e.g. sources.
    TextList,
    /// One sub-table, e.g. `[help]`.
    Table(&'static [Field]),
    /// An array of tables, e.g. `[[schools]]`.
    TableList(&'static [Field]),
}

/// An allowed value of a [`FieldType::Choice`] and what people call it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

/// The choices of an enum of the model with `ALL`, `slug()` and `label()`.
macro_rules! choices {
    ($ty:ty) => {{
        const N: usize = <$ty>::ALL.len();
        const LIST: [Choice; N] = {
            let mut out = [Choice {
                value: "",
                label: "",
            }; N];
            let mut i = 0;
            while i < N {
                let v = <$ty>::ALL[i];
                out[i] = Choice {
                    value: v.slug(),
                    label: v.label(),
                };
                i += 1;
            }
            out
        };
        &LIST
    }};
}

pub const PHASES: &[Choice] = choices!(Phase);
pub const STATUSES: &[Choice] = choices!(Status);
pub const ROLES: &[Choice] = choices!(Role);
pub const GOVERNANCE_MODELS: &[Choice] = choices!(GovernanceModel);
pub const PAGE_LISTS: &[Choice] = choices!(PageList);

const fn field(key: &'static str, label: &'static str, hint: &'static str, ty: FieldType) -> Field {
    Field {
        key,
        label,
        hint,
        ty,
        required: false,
    }
}

const fn required(
    key: &'static str,
    label: &'static str,
    hint: &'static str,
    ty: FieldType,
) -> Field {
    Field {
        key,
        label,
        hint,
        ty,
        required: true,
    }
}

use FieldType::*;

const SCHOOL: &[Field] = &[
    required(
        "name",
        "School name",
        "The school's name, as on its sign.",
        Text,
    ),
    required(
        "phase",
        "Phase",
        "The ages the school teaches.",
        Choice(PHASES),
    ),
    field(
        "also_known_as",
        "Other names",
        "Other names people use for the school, to help them find it.",
        TextList,
    ),
];

const CHILDREN_CENTRE: &[Field] = &[
    required("name", "Centre name", "The children's centre's name.", Text),
    field(
        "based_at",
        "Where it is based",
        "In words, for example \"on the Gledhow Primary site\".",
        Text,
    ),
];

const AGES: &[Field] = &[
    required("min", "Youngest age", "In years, from 0 to 25.", Integer),
    required("max", "Oldest age", "In years, from 0 to 25.", Integer),
];

const COST: &[Field] = &[
    required(
        "amount",
        "Cost in pounds",
        "An indicative cost, for example 250.",
        Money,
    ),
    required(
        "basis",
        "What the cost covers",
        "For example \"per family: 2 hours a week for 12 weeks\".",
        Text,
    ),
];

const OFFER_ITEM: &[Field] = &[
    required(
        "service",
        "Service name",
        "What the service is called.",
        Text,
    ),
    required(
        "category",
        "Kind of help",
        "One of the site's categories.",
        Category,
    ),
    field(
        "provider",
        "Provider",
        "Who provides it: an organisation or team.",
        Text,
    ),
    field(
        "description",
        "Description",
        "What it is, in a sentence or two.",
        Multiline,
    ),
    field(
        "who_for",
        "Who it is for",
        "Ages or who can use it, in words.",
        Text,
    ),
    field(
        "ages",
        "Ages",
        "The youngest and oldest age it is for.",
        Table(AGES),
    ),
    field(
        "access",
        "How to get it",
        "For example through the school or the cluster office.",
        Text,
    ),
    field(
        "self_referral",
        "Families can ask for it themselves",
        "Whether a family can refer themselves.",
        Bool,
    ),
    field(
        "capacity",
        "Capacity",
        "How much of it the cluster has, for example \"3 workers\".",
        Text,
    ),
    field("funded_by", "Funded by", "Who pays for it.", Text),
    field(
        "cost",
        "Cost",
        "What it costs and what that covers.",
        Table(COST),
    ),
    field(
        "status",
        "Status",
        "Whether the service is running. Leave empty for open.",
        Choice(STATUSES),
    ),
    field(
        "reopens",
        "Reopens",
        "Only for a temporarily closed service: when it reopens, like 2026-09.",
        PartialDate,
    ),
    field(
        "alert",
        "Alert",
        "A short message shown beside the service.",
        Text,
    ),
    field(
        "last_reviewed",
        "Last checked",
        "When this service was confirmed, if not with the rest of the record.",
        PartialDate,
    ),
];

const OPENING_HOURS: &[Field] = &[
    required(
        "days",
        "Days",
        "In words, for example \"Monday to Friday\".",
        Text,
    ),
    required("opens", "Opens", "24-hour time, for example 09:00.", Time),
    required("closes", "Closes", "24-hour time, for example 17:00.", Time),
];

const HELP: &[Field] = &[
    field(
        "self_referral",
        "How families ask for help",
        "How a family can ask for help themselves, in words.",
        Multiline,
    ),
    field(
        "request_form",
        "Request form",
        "How to get the request form, in words.",
        Text,
    ),
    field(
        "request_form_url",
        "Request form web address",
        "Where the form is online, starting https://.",
        Url,
    ),
    field(
        "phone",
        "Phone",
        "The number families call for help, shown under \"How to get help\" on the cluster's page. Not a contact's own number: those go with each contact under Contacts.",
        Phone,
    ),
    field(
        "email",
        "Email",
        "The cluster office's email address.",
        Email,
    ),
    field(
        "opening_times",
        "Opening times in words",
        "Anything the opening hours cannot say, for example late opening on Thursdays.",
        Text,
    ),
    field(
        "opening_hours",
        "Opening hours",
        "Days and 24-hour times.",
        TableList(OPENING_HOURS),
    ),
    field(
        "opening_exceptions",
        "Exceptions",
        "Days it is closed or the hours differ, for example \"Closed on bank holidays\".",
        TextList,
    ),
    field(
        "call_cost",
        "Call cost",
        "What a call costs, needed for 084, 087 and 09 numbers.",
        Text,
    ),
    field(
        "reply_time",
        "Reply time",
        "How soon someone replies, for example \"We reply within two working days\".",
        Text,
    ),
    field(
        "mindmate_spa",
        "Requests through MindMate SPA",
        "Whether requests can also come through MindMate Single Point of Access.",
        Bool,
    ),
    field(
        "notes",
        "Anything else",
        "Anything else a family should know first.",
        Multiline,
    ),
];

const CONTACT: &[Field] = &[
    required(
        "role",
        "Role",
        "The contact's role in the cluster.",
        Choice(ROLES),
    ),
    field(
        "name",
        "Name",
        "Only with the person's agreement; the role is shown either way.",
        Text,
    ),
    field(
        "job_title",
        "Job title",
        "Where it says more than the role.",
        Text,
    ),
    field("organisation", "Organisation", "Where they work.", Text),
    field(
        "phone",
        "Phone",
        "This contact's own work number, shown beside their name. The number families call for help goes under Getting help.",
        Phone,
    ),
    field("mobile", "Mobile", "A work mobile number.", Phone),
    field("email", "Email", "A work email address.", Email),
    field(
        "address",
        "Postal address",
        "One line of the address per entry.",
        TextList,
    ),
];

const GOVERNANCE: &[Field] = &[
    field(
        "model",
        "Governance model",
        "How the cluster is governed.",
        Choice(GOVERNANCE_MODELS),
    ),
    field("body", "Governing body", "The governing body's name.", Text),
    field(
        "accountable_body",
        "Accountable body",
        "For an informal partnership: who employs staff and holds the money.",
        Text,
    ),
    field(
        "committees",
        "Committees",
        "Its committees, one per entry.",
        TextList,
    ),
    field("voting", "Voting", "How voting works, in words.", Text),
    field(
        "membership",
        "Membership",
        "Who sits on the governing body, one per entry.",
        TextList,
    ),
    field(
        "notes",
        "Notes",
        "Anything else about how it is run.",
        Multiline,
    ),
];

const PRIORITY: &[Field] = &[
    required("title", "Priority", "The priority, in a few words.", Text),
    field(
        "detail",
        "Detail",
        "One or two sentences about it.",
        Multiline,
    ),
];

const MONEY: &[Field] = &[
    required(
        "name",
        "Name",
        "Where the money comes from or what it is spent on.",
        Text,
    ),
    field(
        "amount",
        "Amount in pounds",
        "Leave empty if not known.",
        Money,
    ),
];

const FUNDING: &[Field] = &[
    required("year", "Financial year", "For example 2025/26.", Text),
    field("total", "Total in pounds", "Total planned spending.", Money),
    field(
        "sources",
        "Sources",
        "Where the money comes from.",
        TableList(MONEY),
    ),
    field(
        "spending",
        "Spending",
        "What it is spent on.",
        TableList(MONEY),
    ),
    field(
        "notes",
        "Notes",
        "Anything to know about the figures.",
        Multiline,
    ),
];

const MEETING: &[Field] = &[
    required("title", "Meeting", "What the meeting is.", Text),
    required(
        "date",
        "Date",
        "Like 2026-02-05, or 2026-02 if only the month is known.",
        PartialDate,
    ),
    field(
        "time",
        "Start time",
        "24-hour time, for example 16:00.",
        Time,
    ),
    field("place", "Place", "Where it is.", Text),
    field(
        "public",
        "Open to the public",
        "Whether members of the public may attend.",
        Bool,
    ),
];

const UPDATE: &[Field] = &[
    required(
        "date",
        "Date",
        "When it happened, like 2026-02-05.",
        PartialDate,
    ),
    required("title", "Headline", "A short headline.", Text),
    field(
        "body",
        "News",
        "The news itself; Markdown is allowed.",
        Multiline,
    ),
];

const CLUSTER: &[Field] = &[
    field(
        "slug",
        "Web address name",
        "The page's address; leave empty to use the file name.",
        Text,
    ),
    required(
        "name",
        "Cluster name",
        "The cluster's name, as families know it.",
        Text,
    ),
    field(
        "short_name",
        "Short name",
        "A shorter name or initials.",
        Text,
    ),
    field(
        "area",
        "Area",
        "The areas it serves, in words people use.",
        Text,
    ),
    field(
        "summary",
        "Summary",
        "What the cluster does, in plain English; Markdown is allowed.",
        Multiline,
    ),
    required(
        "last_reviewed",
        "Last checked",
        "The date you last confirmed these details with the cluster, like 2026-02-05.",
        PartialDate,
    ),
    field(
        "status",
        "Status",
        "Whether the cluster is running. Leave empty for open.",
        Choice(STATUSES),
    ),
    field(
        "reopens",
        "Reopens",
        "Only for a temporarily closed cluster: when it reopens, like 2026-09.",
        PartialDate,
    ),
    field("alert", "Alert", "A banner at the top of the page.", Text),
    field(
        "quick_exit",
        "Quick exit",
        "Show the quick-exit control even without a sensitive kind of help.",
        Bool,
    ),
    field(
        "draft",
        "Draft",
        "Keep the record off the published site until it is ready.",
        Bool,
    ),
    field(
        "sources",
        "Sources",
        "Where the facts come from, in words or web addresses.",
        TextList,
    ),
    field(
        "schools",
        "Schools",
        "One entry per school.",
        TableList(SCHOOL),
    ),
    field(
        "children_centres",
        "Children's centres",
        "One entry per children's centre.",
        TableList(CHILDREN_CENTRE),
    ),
    field(
        "offer",
        "What the cluster offers",
        "One entry per service.",
        TableList(OFFER_ITEM),
    ),
    field(
        "help",
        "Getting help",
        "How a family asks for help.",
        Table(HELP),
    ),
    field(
        "contacts",
        "Contacts",
        "One entry per role.",
        TableList(CONTACT),
    ),
    field(
        "governance",
        "Governance",
        "How the cluster is run.",
        Table(GOVERNANCE),
    ),
    field(
        "priorities",
        "Priorities",
        "One entry per priority.",
        TableList(PRIORITY),
    ),
    field(
        "funding",
        "Funding",
        "One entry per financial year.",
        TableList(FUNDING),
    ),
    field(
        "meetings",
        "Meetings",
        "One entry per meeting.",
        TableList(MEETING),
    ),
    field(
        "updates",
        "Updates",
        "News items, shown newest first.",
        TableList(UPDATE),
    ),
    field(
        "report_email",
        "Report-a-problem email",
        "Where this page's \"Report a problem\" links send; leave empty for the site's.",
        Email,
    ),
];

const GUIDE: &[Field] = &[
    required("title", "Title", "The guide's title.", Text),
    field(
        "slug",
        "Web address name",
        "Leave empty to use the file name.",
        Text,
    ),
    required(
        "number",
        "Guide number",
        "The guide series number, for example 13.",
        Integer,
    ),
    required(
        "edition",
        "Edition date",
        "The date of this edition, like 2026-02-05 or 2026-02.",
        PartialDate,
    ),
    required(
        "summary",
        "Summary",
        "One or two sentences saying what the guide covers.",
        Multiline,
    ),
    field(
        "quick_exit",
        "Quick exit",
        "Show the quick-exit control, for guides about domestic abuse.",
        Bool,
    ),
    field(
        "draft",
        "Draft",
        "Keep the guide off the published site until it is ready.",
        Bool,
    ),
    field(
        "replaces",
        "Replaces",
        "The web address name of the earlier edition this one replaces.",
        Text,
    ),
    field(
        "sources",
        "Sources",
        "Where the facts come from, in words or web addresses.",
        TextList,
    ),
];

const PAGE: &[Field] = &[
    required("title", "Title", "The page's title.", Text),
    field(
        "slug",
        "Web address name",
        "Leave empty to use the file name.",
        Text,
    ),
    field(
        "summary",
        "Summary",
        "One sentence for search engines and page lists.",
        Multiline,
    ),
    field(
        "weight",
        "Order",
        "Position in the footer and page lists, lower first.",
        Integer,
    ),
    field(
        "quick_exit",
        "Quick exit",
        "Show the quick-exit control, for pages about domestic abuse.",
        Bool,
    ),
    field(
        "draft",
        "Draft",
        "Keep the page off the published site until it is ready.",
        Bool,
    ),
    field(
        "sources",
        "Sources",
        "Where the facts come from, in words or web addresses.",
        TextList,
    ),
    field(
        "list",
        "List after the text",
        "A list made from the cluster records, shown after the page's text.",
        Choice(PAGE_LISTS),
    ),
];

const ALL: &[RecordKind] = &[
    RecordKind {
        kind: Kind::Cluster,
        name: "cluster",
        folder: "clusters",
        extension: "toml",
        fields: CLUSTER,
        has_body: false,
    },
    RecordKind {
        kind: Kind::Guide,
        name: "guide",
        folder: "guides",
        extension: "md",
        fields: GUIDE,
        has_body: true,
    },
    RecordKind {
        kind: Kind::Page,
        name: "page",
        folder: "pages",
        extension: "md",
        fields: PAGE,
        has_body: true,
    },
];

/// The description of one kind of record.
pub fn describe(kind: Kind) -> &'static RecordKind {
    match kind {
        Kind::Cluster => &ALL[0],
        Kind::Guide => &ALL[1],
        Kind::Page => &ALL[2],
    }
}

/// Every kind of record the editor edits.
pub fn all() -> &'static [RecordKind] {
    ALL
}

impl Kind {
    /// The kind named in an address or a form: "cluster", "guide", "page".
    pub fn from_name(name: &str) -> Option<Kind> {
        ALL.iter().find(|r| r.name == name).map(|r| r.kind)
    }
}

impl Field {
    /// The sub-fields of a table or a list of tables.
    pub fn children(&self) -> Option<&'static [Field]> {
        match self.ty {
            Table(f) | TableList(f) => Some(f),
            _ => None,
        }
    }
}

/// The fields at a dotted path of keys (`""` for the top, `"offer"`, `"funding.sources"`),
/// if the path names a table or a list of tables.
pub fn fields_at(kind: Kind, path: &[&str]) -> Option<&'static [Field]> {
    let mut fields = describe(kind).fields;
    for key in path {
        fields = fields.iter().find(|f| f.key == *key)?.children()?;
    }
    Some(fields)
}

/// Every field of a kind of record with the keys of the tables above it (`["offer"]`
/// for an offer item's field, `[]` at the top), depth first in the description's order.
pub fn walk(kind: Kind) -> Vec<(Vec<&'static str>, &'static Field)> {
    fn go(
        path: &mut Vec<&'static str>,
        fields: &'static [Field],
        out: &mut Vec<(Vec<&'static str>, &'static Field)>,
    ) {
        for f in fields {
            out.push((path.clone(), f));
            if let Some(children) = f.children() {
                path.push(f.key);
                go(path, children, out);
                path.pop();
            }
        }
    }
    let mut out = Vec::new();
    go(&mut Vec::new(), describe(kind).fields, &mut out);
    out
}

/// The tables of a cluster record that have a field with this key, single tables
/// (`[help]`) first, as headings: for "`phone` belongs in [help]" when someone writes a
/// table's field at the top of the record.
pub fn cluster_tables_with(key: &str) -> Vec<String> {
    let with = |single: bool| {
        CLUSTER
            .iter()
            .filter(move |f| matches!(f.ty, Table(_)) == single)
            .filter(move |f| f.children().is_some_and(|c| c.iter().any(|c| c.key == key)))
            .map(move |f| match single {
                true => format!("[{}]", f.key),
                false => format!("[[{}]]", f.key),
            })
    };
    with(true).chain(with(false)).collect()
}

#[cfg(test)]
mod tests {
    //! The description and the serde model must agree: both are walked, every field of
    //! every table, with records generated from the description.

    use super::*;
    use crate::content::model::{ClusterRecord, GuideFrontMatter, PageFrontMatter};
    use toml::{Table, Value};

    /// Read a record of the kind with the serde model; the error's text if it fails.
    fn read(kind: Kind, table: &Table) -> Result<(), String> {
        let text = toml::to_string(table).expect("tables serialise");
        let result = match kind {
            Kind::Cluster => toml::from_str::<ClusterRecord>(&text).map(drop),
            Kind::Guide => toml::from_str::<GuideFrontMatter>(&text).map(drop),
            Kind::Page => toml::from_str::<PageFrontMatter>(&text).map(drop),
        };
        result.map_err(|e| e.message().to_string())
    }

    /// A valid value of each type (`Table`s and lists of tables filled in full).
    fn sample(ty: &FieldType) -> Value {
        match ty {
            Text | Multiline => Value::String("Some words".into()),
            Email => Value::String("office@example.org".into()),
            Phone => Value::String("0113 496 0000".into()),
            Url => Value::String("https://example.org/".into()),
            PartialDate => Value::String("2025-01".into()),
            Time => Value::String("09:00".into()),
            Integer => Value::Integer(3),
            Money => Value::Float(250.5),
            Bool => Value::Boolean(true),
            Choice(c) => Value::String(c[0].value.into()),
            Category => Value::String("family-support".into()),
            TextList => Value::Array(vec![Value::String("One".into())]),
            Table(f) => Value::Table(filled(f)),
            TableList(f) => Value::Array(vec![Value::Table(filled(f))]),
        }
    }

    fn filled(fields: &[Field]) -> Table {
        fields
            .iter()
            .map(|f| (f.key.to_string(), sample(&f.ty)))
            .collect()
    }

    /// The table at a path of keys in a filled record (the first row of a list).
    fn table_at<'a>(mut table: &'a mut Table, path: &[&str]) -> &'a mut Table {
        for key in path {
            table = match table.get_mut(*key) {
                Some(Value::Table(t)) => t,
                Some(Value::Array(rows)) => rows[0].as_table_mut().unwrap(),
                other => panic!("{key}: {other:?}"),
            };
        }
        table
    }

    /// The backquoted names after the first in a serde message: what it expected.
    fn expected_names(message: &str) -> Vec<String> {
        let first = message.lines().next().unwrap_or_default();
        first
            .split('`')
            .skip(3)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn a_record_filled_from_the_description_is_read_by_the_model() {
        for kind in all() {
            let record = filled(kind.fields);
            assert_eq!(read(kind.kind, &record), Ok(()), "{}", kind.name);
        }
    }

    #[test]
    fn a_field_is_required_in_the_description_exactly_when_the_model_requires_it() {
        let mut checked = 0;
        for kind in all() {
            for (path, field) in walk(kind.kind) {
                let mut record = filled(kind.fields);
                table_at(&mut record, &path).remove(field.key);
                let result = read(kind.kind, &record);
                let missing = format!("missing field `{}`", field.key);
                match field.required {
                    true => assert!(
                        result.as_ref().is_err_and(|e| e.starts_with(&missing)),
                        "{}: {path:?}.{} is required, but the model reads a record without it: {result:?}",
                        kind.name,
                        field.key
                    ),
                    false => assert_eq!(result, Ok(()), "{}: {path:?}.{}", kind.name, field.key),
                }
                checked += 1;
            }
        }
        assert!(checked > 100, "only {checked} fields");
    }

    /// Every table of every kind: the model's own list of known fields (which its
    /// "unknown field" message gives, and the validator's "did you mean" reads) is the
    /// description's, in the same order.
    #[test]
    fn every_table_has_the_same_fields_in_the_description_and_the_model() {
        for kind in all() {
            let mut tables = vec![(Vec::new(), kind.fields)];
            for (path, field) in walk(kind.kind) {
                if let Some(children) = field.children() {
                    let mut p = path.clone();
                    p.push(field.key);
                    tables.push((p, children));
                }
            }
            for (path, fields) in tables {
                let mut record = filled(kind.fields);
                let table = table_at(&mut record, &path);
                let mut fresh = Table::new();
                fresh.insert("not_a_field_of_the_model".into(), Value::Integer(1));
                fresh.extend(std::mem::take(table));
                *table = fresh;
                let error = read(kind.kind, &record).expect_err("an unknown field is refused");
                let described: Vec<&str> = fields.iter().map(|f| f.key).collect();
                assert!(error.starts_with("unknown field"), "{path:?}: {error}");
                assert_eq!(expected_names(&error), described, "{} {path:?}", kind.name);
            }
        }
    }

    /// Every choice: each value is read by the model, and the model allows no other
    /// (its "unknown variant" list is the choices').
    #[test]
    fn every_choice_lists_exactly_the_values_the_model_allows() {
        let mut choices = 0;
        for kind in all() {
            for (path, field) in walk(kind.kind) {
                let Choice(list) = field.ty else { continue };
                for choice in list {
                    let mut record = filled(kind.fields);
                    table_at(&mut record, &path).insert(field.key.into(), choice.value.into());
                    assert_eq!(read(kind.kind, &record), Ok(()), "{}", choice.value);
                    assert!(!choice.label.is_empty());
                    choices += 1;
                }
                let mut record = filled(kind.fields);
                table_at(&mut record, &path).insert(field.key.into(), "no-such-value".into());
                let error = read(kind.kind, &record).expect_err("a wrong value is refused");
                let values: Vec<&str> = list.iter().map(|c| c.value).collect();
                assert_eq!(
                    expected_names(&error),
                    values,
                    "{}: {}",
                    kind.name,
                    field.key
                );
            }
        }
        assert!(choices > 15, "only {choices} choices");
    }

    /// Every scalar field refuses a value of another kind, so a text field is text in
    /// the model, a whole number a whole number, a yes/no a boolean.
    #[test]
    fn every_scalar_field_has_the_models_kind_of_value() {
        for kind in all() {
            for (path, field) in walk(kind.kind) {
                let wrong: Value = match field.ty {
                    Integer => Value::Float(1.5),
                    Money | Bool => Value::String("words".into()),
                    Table(_) | TableList(_) | TextList => continue,
                    _ => Value::Boolean(true),
                };
                let mut record = filled(kind.fields);
                table_at(&mut record, &path).insert(field.key.into(), wrong.clone());
                assert!(
                    read(kind.kind, &record).is_err(),
                    "{}: {path:?}.{} accepts {wrong:?}",
                    kind.name,
                    field.key
                );
            }
        }
    }

    #[test]
    fn every_field_has_a_label_and_a_hint_and_keys_are_unique_per_table() {
        for kind in all() {
            for (path, field) in walk(kind.kind) {
                assert!(
                    !field.label.is_empty() && field.hint.ends_with('.'),
                    "{path:?}.{}",
                    field.key
                );
            }
            assert_eq!(describe(kind.kind).kind, kind.kind);
            assert_eq!(Kind::from_name(kind.name), Some(kind.kind));
        }
    }
}
