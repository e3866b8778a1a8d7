//! actix integration for LoginRadius. Built by a later issue; see the workspace README.
