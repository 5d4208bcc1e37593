//! git2: deployments from tags/merges, change sets, commit facts.
