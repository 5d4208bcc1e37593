//! `valueflow fetch`: CI runs from a provider's API into an export file.

use anyhow::Result;

use crate::cli::FetchCommand;
use crate::fetch::{Request, Source};

pub fn run(cmd: &FetchCommand) -> Result<()> {
    crate::fetch::fetch(&request(cmd))
}

/// The clap arguments as a fetch [`Request`].
fn request(cmd: &FetchCommand) -> Request {
    let (source, common) = match cmd {
        FetchCommand::Github(args) => (
            Source::GitHub {
                repo: args.repo.clone(),
                workflow: args.workflow.clone(),
            },
            &args.common,
        ),
        FetchCommand::Gitlab(args) => (
            Source::GitLab {
                project: args.project.clone(),
            },
            &args.common,
        ),
    };
    Request {
        source,
        since: common.since.clone(),
        deployments: common.deployments,
        pull_requests: common.pull_requests,
        api_url: common.api_url.clone(),
        token_env: common.token_env.clone(),
        max_wait: common.max_wait,
        output: common.output.clone(),
        // The integration tests run the binary, where no sleeper can be handed in from test
        // code: their hidden --skip-waits stands for one that returns at once.
        sleep: if common.skip_waits {
            |_| {}
        } else {
            std::thread::sleep
        },
    }
}
