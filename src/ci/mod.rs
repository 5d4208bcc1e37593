//! CI run exports: one module per provider, all normalised to one PipelineRun.
