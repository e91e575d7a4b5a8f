//! The "How to get help" box of a cluster page: self-referral, request forms, phone,
//! email, opening hours, or the city-wide contact when the record has none of its own.

use serde::Serialize;

use crate::content::model::Help;
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
    /// True when the record has no phone or email of its own, so the page shows the
    /// city-wide contact instead.
    pub uses_city_contact: bool,
}

impl HelpView {
    pub fn new(help: Option<&Help>) -> Self {
        let help = help.cloned().unwrap_or_default();
        HelpView {
            uses_city_contact: help.phone.is_none() && help.email.is_none(),
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
