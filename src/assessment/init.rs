//! `valueflow init`: the commented template a team fills in.

use super::questionnaire::{Category, EvidenceRule, Questionnaire, embedded, level_name};
use crate::settings;

/// What a practice's evidence rule looks at, for the comment above it.
fn evidence_note(rule: EvidenceRule) -> &'static str {
    match rule {
        EvidenceRule::CiOnCommit => "CI runs started by push or pull request (--ci exports)",
        EvidenceRule::CiRunsVisible => "CI runs in the exports (--ci)",
        EvidenceRule::AutomaticDeploys => {
            "deploy runs started by hand (workflow_dispatch) contradict a yes (--ci exports)"
        }
        EvidenceRule::RollbacksUsed => "rollbacks found in the deployment history",
        EvidenceRule::LeadTime24h => "median lead time against the standard's 24 hours",
        EvidenceRule::ChangeFailure5Pct => "change failure rate against the standard's 5%",
        EvidenceRule::ZeroTouch95 => "zero-touch share of pipeline runs against 95%",
    }
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The assessment file `init` writes: every practice with a blank answer.
pub fn template() -> String {
    render(embedded())
}

fn render(q: &Questionnaire) -> String {
    let mut out = format!(
        "\
# valueflow self-assessment against the Continuous Value Flow standard.
#
# The outcome the standard asks for:
{outcome}#
# How to fill it in
# - Give every [[practice]] below an answer about how the team works today:
#     \"yes\"      the team does this, as the `Yes:` line under it describes
#     \"partial\"  half way, as the `Partial:` line under it describes
#     \"no\"       not yet
#     \"n/a\"      cannot apply to this team; say why in `notes` (required)
#   Leave answer = \"\" while you do not know: it scores like \"no\" and counts as unanswered.
# - Keep id, category and level as they are: they tie the answer to the standard.
# - Optional, under each practice (uncomment to use): `evidence`, a link or reference that backs
#   the answer (a dashboard, a runbook, a ticket; the report points out a yes at level 4 or 5
#   without one); `owner`, who keeps the practice going; `review_by`, the date (YYYY-MM-DD) to
#   look at the answer again.
# - `valueflow validate` checks this file; `valueflow report` scores it against the data.
#
# Scoring: yes 1, partial 0.5, no 0, n/a left out. A category reaches a level when it reached
# the level below and its practices at that level score at least the pass mark (0.5 to 1). A
# level where nothing earned credit, or where more than half of the practices are n/a, is not
# reached. Level 1 is where everyone starts; the overall level is the lowest category's.
# Where the data (git history, CI exports) contradicts an answer, the report says so and its
# verified level uses what the data shows.

standard = {standard}
version = {version}
team = \"\"
# pass_mark = {pass_mark}

# Measurement settings: the same names as the flags of `valueflow measure` (a flag wins).
# [measure]
# since = \"90d\"
# tag_pattern = '{tag}'
# deploy_workflow = '{deploy}'
# deploy_branch = \"main\"
# deploy_environment = \"{environment}\"
# hotfix_pattern = '{hotfix}'
# hotfix_window = \"{hotfix_window}\"
# revert_window = \"{revert_window}\"
# incident_window = \"{incident_window}\"
# commit_time = \"author\"
# count_failed_deploys = false
# ci = [\"ci-runs.json\"]        # CI run exports, relative to this file
# incidents = \"incidents.json\"

# The outcome statement's targets.
# [outcome]
# lead_time_hours = 24          # median lead time for changes below this
# change_failure_rate = 0.05    # change failure rate below this
# pipeline_health = 0.95        # zero-touch share of pipeline runs at least this
# deployments_per_day = 1       # deployment frequency at least this
# recovery_hours = 1            # mean time to recovery below this
",
        outcome = wrap(&q.outcome, 90)
            .iter()
            .map(|l| format!("#   {l}\n"))
            .collect::<String>(),
        standard = quoted(&q.standard),
        version = q.version,
        pass_mark = super::file::DEFAULT_PASS_MARK,
        tag = settings::DEFAULT_TAG_PATTERN,
        deploy = settings::DEFAULT_DEPLOY_WORKFLOW,
        environment = settings::DEFAULT_DEPLOY_ENVIRONMENT,
        hotfix = settings::DEFAULT_HOTFIX_PATTERN,
        hotfix_window = settings::DEFAULT_HOTFIX_WINDOW,
        revert_window = settings::DEFAULT_REVERT_WINDOW,
        incident_window = settings::DEFAULT_INCIDENT_WINDOW,
    );
    for category in Category::ALL {
        let rule = "─".repeat(90usize.saturating_sub(category.name().len()));
        out.push_str(&format!("\n# ── {} {rule}\n", category.name()));
        for level in super::questionnaire::LEVELS {
            let heading = format!(
                "Level {level} – {}: {}",
                level_name(level),
                q.description(category, level)
            );
            out.push('\n');
            for line in wrap(&heading, 94) {
                out.push_str(&format!("# {line}\n"));
            }
            for p in q
                .practices
                .iter()
                .filter(|p| p.category == category && p.level == level)
            {
                out.push_str(&format!(
                    "\n[[practice]]\nid = {}\ncategory = {}\nlevel = {}\nstatement = {}\n",
                    quoted(&p.id),
                    quoted(p.category.id()),
                    p.level,
                    quoted(&p.statement)
                ));
                for line in wrap(&p.guidance, 92).iter().chain(&wrap(&p.partial, 92)) {
                    out.push_str(&format!("# {line}\n"));
                }
                if let Some(rule) = p.evidence {
                    out.push_str(&format!("# Checked against: {}\n", evidence_note(rule)));
                }
                out.push_str(
                    "answer = \"\"\nnotes = \"\"\n\
                     # evidence = \"\"             # a link or reference that backs it up\n\
                     # owner = \"\"                # who keeps this practice going\n\
                     # review_by = \"YYYY-MM-DD\"  # when to look at it again\n",
                );
            }
        }
    }
    out
}

/// Words into lines of at most `width` characters (a longer word gets a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::file::{Answer, check};
    use std::path::Path;

    #[test]
    fn the_template_is_a_valid_blank_assessment() {
        let text = template();
        let checked = check(Path::new("valueflow.toml"), &text, embedded()).unwrap();
        assert_eq!(checked.problems, []);
        let a = &checked.assessment;
        assert_eq!(a.answers.len(), 40);
        assert!(a.answers.values().all(|r| r.answer == Answer::Blank));
        assert!(a.missing.is_empty());
        // the commented tables parse when uncommented, with the defaults
        let uncommented: String = text
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|l| {
                        l.starts_with('[') && !l.starts_with("[[")
                            || l.contains(" = ") && !l.contains("answer")
                    })
                    .unwrap_or(l)
            })
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        let value: toml::Table = toml::from_str(&uncommented).unwrap();
        // every practice shows its Partial: line, and the optional keys to fill in
        assert_eq!(text.matches("\n# Partial: ").count(), 40);
        assert_eq!(text.matches("\n# review_by = ").count(), 40);
        let practices = value["practice"].as_array().unwrap();
        assert_eq!(practices.len(), 40);
        assert!(
            practices
                .iter()
                .all(|p| p["evidence"].as_str() == Some("") && p["owner"].as_str() == Some(""))
        );
        assert_eq!(value["outcome"]["lead_time_hours"].as_integer(), Some(24));
        assert_eq!(
            value["measure"]["tag_pattern"].as_str(),
            Some(settings::DEFAULT_TAG_PATTERN)
        );
    }

    #[test]
    fn wraps_words() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("", 5), Vec::<String>::new());
    }
}
