//! Pure functions over normalised events: one file per measure.
