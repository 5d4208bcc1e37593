//! DORA performance tiers. Thresholds follow the 2023 State of DevOps report (the one whose
//! buckets the standard's targets echo); valueflow's docs/measures.md lists them.

use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Low,
    Medium,
    High,
    Elite,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Low => "low",
            Tier::Medium => "medium",
            Tier::High => "high",
            Tier::Elite => "elite",
        }
    }

    /// Median lead time: elite under a day, high under a week, medium under a month (30 d).
    pub fn of_lead_time(median_hours: f64) -> Tier {
        match median_hours {
            h if h < 24.0 => Tier::Elite,
            h if h < 168.0 => Tier::High,
            h if h < 720.0 => Tier::Medium,
            _ => Tier::Low,
        }
    }

    /// Change failure rate: elite up to 5 %, high up to 10 %, medium up to 15 %.
    pub fn of_change_failure_rate(rate: f64) -> Tier {
        match rate {
            r if r <= 0.05 => Tier::Elite,
            r if r <= 0.10 => Tier::High,
            r if r <= 0.15 => Tier::Medium,
            _ => Tier::Low,
        }
    }

    /// Recovery time: elite under an hour, high under a day, medium under a week.
    pub fn of_recovery(hours: f64) -> Tier {
        match hours {
            h if h < 1.0 => Tier::Elite,
            h if h < 24.0 => Tier::High,
            h if h < 168.0 => Tier::Medium,
            _ => Tier::Low,
        }
    }

    /// Deployment frequency, as measures.md §3 states it.
    pub fn of_deployment_frequency(median_deploy_days_per_week: f64, per_day: f64) -> Tier {
        if median_deploy_days_per_week >= 5.0 || per_day >= 1.0 {
            Tier::Elite
        } else if median_deploy_days_per_week >= 1.0 {
            Tier::High
        } else if per_day >= 1.0 / 30.0 {
            Tier::Medium
        } else {
            Tier::Low
        }
    }
}
