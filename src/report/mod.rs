//! One Report value and its renderers.
