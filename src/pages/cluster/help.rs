//! The "How to get help" box of a cluster page: self-referral, request forms, phone,
//! email, opening hours, or the city-wide contact when the record has none of its own.

use serde::Serialize;

use crate::content::model::{Contact, Help, Role};
use crate::pages::common::{phone, text, PhoneView};

#[derive(Debug, Clone, Serialize)]
pub struct HelpView {
    pub self_referral: Option<String>,
    pub request_form: Option<String>,
    pub request_form_url: Option<String>,
    pub phone: Option<PhoneView>,
    pub email: Option<String>,
    pub opening_times: Option<String>,
    pub mindmate_spa: bool,
    pub notes: Option<String>,
    /// "Monday to Friday: 9am to 5pm", one line per entry.
    pub opening_hours: Vec<String>,
    pub opening_exceptions: Vec<String>,
    pub call_cost: Option<String>,
    pub reply_time: Option<String>,
    /// Who families can ask first, shown at the top of the page and of "How to get
    /// help": the record's own phone and email, else its cluster leader's or manager's.
    pub first: Option<FirstContact>,
    /// True when the record has no phone or email for families (of its own or a
    /// cluster leader's), so the page shows the city-wide contact instead.
    pub uses_city_contact: bool,
}

/// A way to ask a cluster for help.
#[derive(Debug, Clone, Serialize)]
pub struct FirstContact {
    /// Whom to ask ("Jo Odu, cluster leader"), or `None` for the cluster's own line.
    pub who: Option<String>,
    pub phone: Option<PhoneView>,
    pub email: Option<String>,
}

impl FirstContact {
    fn new(help: &Help, contacts: &[Contact]) -> Option<FirstContact> {
        if help.phone.is_some() || help.email.is_some() {
            return Some(FirstContact {
                who: None,
                phone: phone(&help.phone),
                email: text(&help.email),
            });
        }
        let leader = [Role::ClusterLeader, Role::ClusterManager]
            .iter()
            .find_map(|role| {
                contacts
                    .iter()
                    .find(|c| c.role == *role && (c.phone.is_some() || c.email.is_some()))
            })?;
        let role = leader.role.label().to_lowercase();
        Some(FirstContact {
            who: Some(match &leader.name {
                Some(name) => format!("{name}, {role}"),
                None => format!("the {role}"),
            }),
            phone: phone(&leader.phone),
            email: text(&leader.email),
        })
    }
}

impl HelpView {
    pub fn new(help: Option<&Help>, contacts: &[Contact]) -> Self {
        let help = help.cloned().unwrap_or_default();
        let first = FirstContact::new(&help, contacts);
        HelpView {
            uses_city_contact: first.is_none(),
            first,
            self_referral: help.self_referral,
            request_form: help.request_form,
            request_form_url: text(&help.request_form_url),
            phone: phone(&help.phone),
            email: text(&help.email),
            opening_times: help.opening_times,
            opening_hours: help
                .opening_hours
                .iter()
                .map(|o| {
                    format!(
                        "{}: {} to {}",
                        o.days,
                        clock(o.opens.get_ref()),
                        clock(o.closes.get_ref())
                    )
                })
                .collect(),
            opening_exceptions: help.opening_exceptions,
            call_cost: help.call_cost,
            reply_time: help.reply_time,
            mindmate_spa: help.mindmate_spa.unwrap_or(false),
            notes: help.notes,
        }
    }
}

/// "09:00" as "9am", "17:30" as "5:30pm".
pub fn clock(t: &str) -> String {
    let (h, m) = t.split_once(':').unwrap_or((t, "00"));
    let h: u32 = h.parse().unwrap_or(0);
    let suffix = if h < 12 { "am" } else { "pm" };
    let h12 = match h % 12 {
        0 => 12,
        x => x,
    };
    if m == "00" {
        format!("{h12}{suffix}")
    } else {
        format!("{h12}:{m}{suffix}")
    }
}
