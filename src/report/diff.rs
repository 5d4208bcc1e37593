//! `valueflow diff`: what changed between two saved JSON reports, for a pull-request comment.
//! Reads the reports as JSON values, not as this version's types, so that a report written by
//! an older or newer valueflow compares as far as both have the same keys.

use serde::Serialize;
use serde_json::Value;

use crate::trend::FIGURES;

/// Why a file cannot be compared.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error("{path}: not JSON ({message}); save a report with --format json")]
    NotJson { path: String, message: String },
    #[error(
        "{path}: not a valueflow report (no `measures` from tool valueflow); save one with `valueflow report --format json`"
    )]
    NotAReport { path: String },
}

/// Checks that `value` is a report of `measure` or `report`.
pub fn parse(path: &str, text: &str) -> Result<Value, DiffError> {
    let value: Value = serde_json::from_str(text).map_err(|err| DiffError::NotJson {
        path: path.to_string(),
        message: err.to_string(),
    })?;
    let is_report = value["tool"]["name"] == "valueflow" && value["measures"].is_object();
    if !is_report {
        return Err(DiffError::NotAReport {
            path: path.to_string(),
        });
    }
    Ok(value)
}

#[derive(Debug, Serialize)]
pub struct Diff {
    pub old: Side,
    pub new: Side,
    /// Every headline figure, moved or not.
    pub measures: Vec<FigureChange>,
    /// Every category either report scored.
    pub levels: Vec<LevelChange>,
    /// Only the practices whose answer differs.
    pub answers: Vec<AnswerChange>,
}

#[derive(Debug, Serialize)]
pub struct Side {
    pub file: String,
    pub since: Option<String>,
    pub until: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct FigureChange {
    pub measure: &'static str,
    pub figure: &'static str,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub change: Option<f64>,
    pub percent: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct LevelChange {
    pub category: String,
    pub before: Option<u64>,
    pub after: Option<u64>,
    pub verified_before: Option<u64>,
    pub verified_after: Option<u64>,
}

#[derive(Debug, Serialize)]
pub struct AnswerChange {
    pub practice: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn side(file: &str, v: &Value) -> Side {
    Side {
        file: file.to_string(),
        since: v["window"]["since"].as_str().map(str::to_string),
        until: v["window"]["until"].as_str().map(str::to_string),
    }
}

/// Categories (or practices) in the order the new report lists them, then any only the old
/// one has.
fn keyed<'a>(old: &'a Value, new: &'a Value, list: &str, key: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for report in [new, old] {
        for item in report["assessment"][list].as_array().into_iter().flatten() {
            if let Some(id) = item[key].as_str()
                && !ids.iter().any(|i| i == id)
            {
                ids.push(id.to_string());
            }
        }
    }
    ids
}

fn find<'a>(report: &'a Value, list: &str, key: &str, id: &str) -> Option<&'a Value> {
    report["assessment"][list]
        .as_array()?
        .iter()
        .find(|item| item[key] == id)
}

pub fn diff(old_file: &str, old: &Value, new_file: &str, new: &Value) -> Diff {
    let measures = FIGURES
        .iter()
        .map(|f| {
            let before = old["measures"][f.measure][f.key].as_f64();
            let after = new["measures"][f.measure][f.key].as_f64();
            let change = before.zip(after).map(|(b, a)| a - b);
            FigureChange {
                measure: f.measure,
                figure: f.key,
                before,
                after,
                change,
                percent: before
                    .zip(change)
                    .filter(|(b, _)| *b != 0.0)
                    .map(|(b, c)| c / b * 100.0),
            }
        })
        .collect();
    let levels = keyed(old, new, "categories", "id")
        .into_iter()
        .map(|id| {
            let o = find(old, "categories", "id", &id);
            let n = find(new, "categories", "id", &id);
            LevelChange {
                before: o.and_then(|c| c["level"].as_u64()),
                after: n.and_then(|c| c["level"].as_u64()),
                verified_before: o.and_then(|c| c["verified_level"].as_u64()),
                verified_after: n.and_then(|c| c["verified_level"].as_u64()),
                category: id,
            }
        })
        .collect();
    let answers = keyed(old, new, "practices", "id")
        .into_iter()
        .filter_map(|id| {
            let answer = |r: &Value| {
                find(r, "practices", "id", &id)
                    .and_then(|p| p["answer"].as_str().map(str::to_string))
            };
            let (before, after) = (answer(old), answer(new));
            (before != after).then_some(AnswerChange {
                practice: id,
                before,
                after,
            })
        })
        .collect();
    Diff {
        old: side(old_file, old),
        new: side(new_file, new),
        measures,
        levels,
        answers,
    }
}

fn show(i: usize, v: Option<f64>) -> String {
    v.map_or("—".to_string(), FIGURES[i].show)
}

fn moved(i: usize, c: &FigureChange) -> String {
    match (c.change, c.percent) {
        (Some(0.0), _) => "no change".to_string(),
        (Some(_), Some(p)) => format!("{p:+.0}%"),
        (Some(d), None) => format!("+{}", (FIGURES[i].show)(d)),
        (None, _) => "—".to_string(),
    }
}

fn opt(v: Option<u64>) -> String {
    v.map_or("—".to_string(), |v| v.to_string())
}

fn level_pair(before: Option<u64>, after: Option<u64>) -> String {
    if before == after {
        format!("{} (same)", opt(after))
    } else {
        format!("{} -> {}", opt(before), opt(after))
    }
}

fn window(side: &Side) -> String {
    match (&side.since, &side.until) {
        (Some(s), Some(u)) => format!(
            "{} to {}",
            s.get(..10).unwrap_or(s),
            u.get(..10).unwrap_or(u)
        ),
        _ => "window unknown".to_string(),
    }
}

/// The terminal view: one line per figure, category and changed answer; fits 80 columns.
pub fn table(d: &Diff) -> String {
    let width = super::table::width().map(usize::from);
    let mut out = String::new();
    out.push_str(&super::table::hang(
        "",
        &format!(
            "Changes from {} ({}) to {} ({})",
            d.old.file,
            window(&d.old),
            d.new.file,
            window(&d.new)
        ),
        width,
    ));
    out.push_str("\n\nMeasures\n");
    for (i, c) in d.measures.iter().enumerate() {
        let name = format!("  {:<21}", FIGURES[i].label);
        let text = format!(
            "{} -> {}  {}",
            show(i, c.before),
            show(i, c.after),
            moved(i, c)
        );
        out.push_str(&super::table::hang(&name, &text, width));
        out.push('\n');
    }
    if !d.levels.is_empty() {
        out.push_str("\nLevels (answered; verified)\n");
        for l in &d.levels {
            out.push_str(&format!(
                "  {:<21}{}; {}\n",
                l.category,
                level_pair(l.before, l.after),
                level_pair(l.verified_before, l.verified_after)
            ));
        }
    }
    if d.answers.is_empty() {
        out.push_str("\nNo answer changed.\n");
    } else {
        out.push_str("\nAnswers changed\n");
        for a in &d.answers {
            out.push_str(&super::table::hang(
                "  ",
                &format!(
                    "{}: {} -> {}",
                    a.practice,
                    a.before.as_deref().unwrap_or("—"),
                    a.after.as_deref().unwrap_or("—")
                ),
                width,
            ));
            out.push('\n');
        }
    }
    out
}

/// GitHub Markdown, for a pull-request comment.
pub fn markdown(d: &Diff) -> String {
    let cell = super::markdown::cell;
    let mut out = format!(
        "## valueflow: {} → {}\n\n{} ({}) → {} ({})\n\n| measure | before | after | change |\n|---|--:|--:|--:|\n",
        cell(&d.old.file),
        cell(&d.new.file),
        cell(&d.old.file),
        window(&d.old),
        cell(&d.new.file),
        window(&d.new)
    );
    for (i, c) in d.measures.iter().enumerate() {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            FIGURES[i].label,
            show(i, c.before),
            show(i, c.after),
            moved(i, c)
        ));
    }
    if !d.levels.is_empty() {
        out.push_str("\n| category | level | verified level |\n|---|--:|--:|\n");
        for l in &d.levels {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                cell(&l.category),
                level_pair(l.before, l.after),
                level_pair(l.verified_before, l.verified_after)
            ));
        }
    }
    if !d.answers.is_empty() {
        out.push_str("\n| practice | before | after |\n|---|---|---|\n");
        for a in &d.answers {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                cell(&a.practice),
                a.before.as_deref().unwrap_or("—"),
                a.after.as_deref().unwrap_or("—")
            ));
        }
    } else {
        out.push_str("\nNo answer changed.\n");
    }
    out
}
