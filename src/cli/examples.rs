//! The "Examples:" block at the end of each subcommand's --help (and its man page). Each line
//! is an invocation that parses: the test below runs every one through the real definitions,
//! so a renamed flag cannot leave a stale example behind.

pub const INIT: &str = "\
Examples:
  valueflow init              # valueflow.toml in the repository root; never overwrites
  valueflow init -C ../shop   # in the root of the repository at ../shop
  valueflow init --force      # replace it; the old file is kept as valueflow.toml.bak";

pub const VALIDATE: &str = "\
Examples:
  valueflow validate                      # valueflow.toml in the repository root
  valueflow validate -C ../shop           # the one in the root of ../shop
  valueflow validate team/valueflow.toml";

pub const MEASURE: &str = "\
Examples:
  valueflow measure                                   # the last 90 days, from tags or merges
  valueflow measure --ci runs.json --deploy-workflow '^Deploy$' --deploy-branch main
  valueflow measure -C ../api -C ../web -C ../billing # each, and a roll-up of all three
  valueflow measure --path api --path ':!api/docs' --tag-pattern '^api-v'   # one service";

pub const REPORT: &str = "\
Examples:
  valueflow report                                    # measures, levels and next steps
  valueflow report --ci runs.json --incidents incidents.csv -o report.md
  valueflow report --fail-on-gap --min-level 3 -o report.md   # exit 1 when a gate fails
  valueflow report --repos 'services/*' --format markdown    # a roll-up over repositories";

pub const TREND: &str = "\
Examples:
  valueflow trend                                     # month by month, the last 12 months
  valueflow trend --every week --since 12w --format markdown -o trend.md
  valueflow trend --every quarter --since 2025-01-01 --until 2026-01-01 --format json";

pub const AGGREGATE: &str = "\
Examples:
  valueflow aggregate api/report.json web/report.json billing/report.json
  valueflow aggregate reports/*.json --format markdown -o org.md";

pub const DIFF: &str = "\
Examples:
  valueflow diff last-week.json report.json           # what moved, as a table
  valueflow diff base.json head.json --format markdown -o comment.md";

pub const FETCH: &str = "\
Examples:
  valueflow fetch github --repo OWNER/NAME --since 90d -o runs.json
  valueflow fetch gitlab --project group/name --since 90d -o pipelines.json";

pub const FETCH_GITHUB: &str = "\
Examples:
  valueflow fetch github --repo OWNER/NAME --since 90d -o runs.json
  valueflow fetch github --repo OWNER/NAME --workflow deploy.yml --deployments -o runs.json
  valueflow fetch github --repo OWNER/NAME --api-url https://HOST/api/v3 --token-env GHE_TOKEN -o runs.json";

pub const FETCH_GITLAB: &str = "\
Examples:
  valueflow fetch gitlab --project group/name --since 90d -o pipelines.json
  valueflow fetch gitlab --project 42 --deployments -o pipelines.json
  valueflow fetch gitlab --project group/name --api-url https://HOST/api/v4 -o pipelines.json";

pub const SCHEMA: &str = "\
Examples:
  valueflow schema > report.schema.json             # what `report --format json` writes
  valueflow schema measure > measure.schema.json    # what `measure --format json` writes";

pub const COMPLETIONS: &str = "\
Examples:
  valueflow completions bash > ~/.local/share/bash-completion/completions/valueflow
  valueflow completions zsh > ~/.zfunc/_valueflow    # with fpath+=~/.zfunc before compinit
  valueflow completions fish > ~/.config/fish/completions/valueflow.fish
  valueflow completions powershell | Out-String | Invoke-Expression   # in your $PROFILE";

pub const MAN: &str = "\
Examples:
  valueflow man > valueflow.1 && man ./valueflow.1
  valueflow man -o ~/.local/share/man/man1    # then `man valueflow-report`";

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::Cli;

    /// The arguments of one example line: the shell comment and whatever follows a
    /// redirection, pipe or `&&` cut off, single quotes removed.
    fn arguments(line: &str) -> Vec<String> {
        let line = line.split(" #").next().unwrap_or_default();
        let mut words = Vec::new();
        for (i, part) in line.split('\'').enumerate() {
            if i % 2 == 1 {
                words.push(part.to_string());
                continue;
            }
            for word in part.split_whitespace() {
                if matches!(word, ">" | ">>" | "|" | "&&") {
                    return words;
                }
                words.push(word.to_string());
            }
        }
        words
    }

    #[test]
    fn every_example_parses() {
        let blocks = [
            INIT,
            VALIDATE,
            MEASURE,
            REPORT,
            TREND,
            AGGREGATE,
            DIFF,
            FETCH,
            FETCH_GITHUB,
            FETCH_GITLAB,
            SCHEMA,
            COMPLETIONS,
            MAN,
        ];
        for block in blocks {
            let lines: Vec<&str> = block.lines().skip(1).map(str::trim).collect();
            assert_eq!(block.lines().next(), Some("Examples:"));
            assert!((2..=4).contains(&lines.len()), "{block}");
            for line in lines {
                let words = arguments(line);
                assert_eq!(words[0], "valueflow", "{line}");
                if let Err(err) = Cli::try_parse_from(&words) {
                    panic!("example `{line}` does not parse: {err}");
                }
            }
        }
    }

    #[test]
    fn quoted_arguments_and_redirections() {
        assert_eq!(
            arguments("valueflow measure --deploy-workflow '^De ploy$' > out # note"),
            ["valueflow", "measure", "--deploy-workflow", "^De ploy$"]
        );
    }
}
