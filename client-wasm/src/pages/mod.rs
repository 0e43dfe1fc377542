//! One module per route.

pub mod home;
pub mod play;
pub mod projector;
pub mod review;
pub mod review_glance;
pub mod trainer;
