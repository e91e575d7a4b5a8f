//! iCalendar feeds of public meetings: `/meetings.ics` (every cluster's) and one per
//! cluster, with the Europe/London time zone and lines folded as RFC 5545 asks.

use crate::data::ids;
use crate::output::Output;
use crate::routes;
use crate::site::{Cluster, MeetingEntry, Site};
use crate::text::{is_bidi_control, is_noncharacter};

/// The Europe/London time zone (GMT/BST, EU rules since 1996), as RFC 5545 wants it
/// beside events whose times are local.
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/London",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19810329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19961027T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// Escape a TEXT value (RFC 5545 3.3.11): every string of a feed passes through here.
/// Backslash, `;` and `,` are escaped; every line end (CRLF, lone CR, LF, and the
/// Unicode line and paragraph separators) becomes `\n`; other control characters
/// (which a TEXT value may not hold, C1 included), noncharacters and bidirectional
/// controls (which would reorder a calendar's event title) are dropped. Tab is kept.
fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' | '\u{2028}' | '\u{2029}' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() || is_noncharacter(c) || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Fold a content line at 75 octets (RFC 5545 3.1), never inside a character.
fn fold(line: &str, out: &mut String) {
    let mut start = 0;
    let mut limit = 75;
    while line.len() - start > limit {
        let mut end = start + limit;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        out.push_str(&line[start..end]);
        out.push_str("\r\n ");
        start = end;
        limit = 74; // the leading space of a continuation line counts
    }
    out.push_str(&line[start..]);
    out.push_str("\r\n");
}

/// Meetings that go in a feed: public ones with a whole date (a month alone cannot be
/// put in a calendar).
fn publishable(m: &MeetingEntry) -> bool {
    m.public == Some(true) && m.date.day.is_some()
}

fn event_lines(site: &Site, c: &Cluster, m: &MeetingEntry) -> Vec<String> {
    let d = m.date.first_day();
    let uid = ids::id(&format!("meeting:{}:{}:{}", c.slug, m.date.iso(), m.title));
    // DTSTAMP must be UTC; the record's review date keeps builds reproducible.
    let stamp = c.last_reviewed.last_day().format("%Y%m%dT000000Z");
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{uid}@clusterdir"),
        format!("DTSTAMP:{stamp}"),
    ];
    match &m.time {
        Some(t) => lines.push(format!(
            "DTSTART;TZID=Europe/London:{}T{}00",
            d.format("%Y%m%d"),
            t.replace(':', "")
        )),
        None => lines.push(format!("DTSTART;VALUE=DATE:{}", d.format("%Y%m%d"))),
    }
    lines.push(format!(
        "SUMMARY:{}",
        ics_text(&format!("{} cluster: {}", c.record.name, m.title))
    ));
    if let Some(p) = &m.place {
        lines.push(format!("LOCATION:{}", ics_text(p)));
    }
    lines.push(format!(
        "DESCRIPTION:{}",
        ics_text(&format!(
            "Public meeting of the {} early help cluster.",
            c.record.name
        ))
    ));
    if let Some(url) = site.absolute(&format!("{}#meetings", routes::cluster(&c.slug))) {
        lines.push(format!("URL:{url}"));
    }
    lines.push("END:VEVENT".to_string());
    lines
}

fn calendar(site: &Site, name: &str, clusters: &[&Cluster]) -> Vec<u8> {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//clusterdir//cluster meetings//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", ics_text(name)),
        "X-WR-TIMEZONE:Europe/London".to_string(),
    ];
    lines.extend(VTIMEZONE.iter().map(|s| s.to_string()));
    for c in clusters {
        for m in c.meetings.iter().filter(|m| publishable(m)) {
            lines.extend(event_lines(site, c, m));
        }
    }
    lines.push("END:VCALENDAR".to_string());
    let mut out = String::new();
    for l in &lines {
        fold(l, &mut out);
    }
    out.into_bytes()
}

/// `/meetings.ics` and `/clusters/<slug>/meetings.ics`.
pub fn write_calendars(site: &Site, out: &mut Output) {
    let clusters = site.clusters_in_order();
    out.insert(
        routes::output_path(routes::files::MEETINGS_ICS),
        calendar(
            site,
            &format!("{}: public cluster meetings", site.config.title),
            &clusters,
        ),
    );
    for c in &clusters {
        out.insert(
            routes::output_path(&routes::cluster_file(
                &c.slug,
                routes::files::CLUSTER_MEETINGS,
            )),
            calendar(
                site,
                &format!("{} cluster: public meetings", c.record.name),
                &[c],
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "é".repeat(60));
        fold(&line, &mut out);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), line);
    }

    /// Every noncharacter and bidirectional control of Unicode, anywhere in a text, is
    /// dropped; the characters around it are kept.
    #[test]
    fn noncharacters_and_bidi_controls_are_dropped() {
        let dropped: Vec<char> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| is_noncharacter(c) || is_bidi_control(c))
            .collect();
        assert_eq!(dropped.len(), 66 + 12);
        let mut rng = fastrand::Rng::with_seed(8);
        for c in &dropped {
            let mut text = String::from("Meeting");
            for _ in 0..rng.usize(1..4) {
                text.push(*c);
                text.push(dropped[rng.usize(..dropped.len())]);
            }
            assert_eq!(
                ics_text(&format!("{text} at é")),
                "Meeting at é",
                "U+{:04X}",
                *c as u32
            );
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(ics_text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }

    #[test]
    fn every_line_end_is_escaped_and_other_controls_dropped() {
        assert_eq!(ics_text("a\r\nb\rc\u{2028}d"), "a\\nb\\nc\\nd");
        for c in (0u32..0x20).chain(0x7f..0xa0).filter_map(char::from_u32) {
            let escaped = ics_text(&format!("x{c}y"));
            assert!(
                !escaped.chars().any(|e| e.is_control() && e != '\t'),
                "U+{:04X} gave {escaped:?}",
                c as u32
            );
        }
    }

    /// Random text from every kind of character a record could hold: controls, line
    /// ends, multi-byte characters of every length, the characters TEXT escapes.
    fn random_text(rng: &mut fastrand::Rng) -> String {
        let pool: Vec<char> = (0u32..0x20)
            .chain(0x7f..0xa0)
            .chain([0x2028, 0x2029, 0xfffe, 0x10ffff, 0xe9, 0x20ac, 0x1f642])
            .filter_map(char::from_u32)
            .chain("\\;,:\"abc ".chars())
            .collect();
        let mut s: String = (0..rng.usize(0..300))
            .map(|_| pool[rng.usize(..pool.len())])
            .collect();
        if rng.bool() {
            s.push_str("\r\n");
        }
        s
    }

    #[test]
    fn generated_text_folds_within_75_octets_and_unfolds_to_itself() {
        let mut rng = fastrand::Rng::with_seed(5545);
        for _ in 0..2000 {
            let text = random_text(&mut rng);
            let mut out = String::new();
            fold(&format!("SUMMARY:{}", ics_text(&text)), &mut out);
            let body = out.strip_suffix("\r\n").expect("a line ends in CRLF");
            for line in body.split("\r\n") {
                assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
                assert!(!line.contains(['\r', '\n']), "a bare line end: {line:?}");
            }
            let value = body.replace("\r\n ", "");
            let value = value.strip_prefix("SUMMARY:").unwrap();
            let mut unescaped = String::new();
            let mut chars = value.chars();
            while let Some(c) = chars.next() {
                unescaped.push(match (c, c == '\\') {
                    (_, true) => match chars.next().unwrap() {
                        'n' => '\n',
                        e => e,
                    },
                    (c, false) => c,
                });
            }
            let want: String = text
                .replace("\r\n", "\n")
                .replace(['\r', '\u{2028}', '\u{2029}'], "\n")
                .chars()
                .filter(|c| !c.is_control() || matches!(c, '\t' | '\n'))
                .filter(|&c| !is_noncharacter(c) && !is_bidi_control(c))
                .collect();
            assert_eq!(unescaped, want);
        }
    }
}
