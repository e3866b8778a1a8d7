//! Local LoginRadius-compatible server. Built by issue 4.
