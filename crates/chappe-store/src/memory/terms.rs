//! Terms-of-service acceptances, keyed by user id.

use super::State;
use crate::TermsAcceptance;

impl State {
    pub(super) fn put_terms_acceptance(&mut self, user_id: i64, record: TermsAcceptance) {
        self.terms.insert(user_id, record);
    }

    pub(super) fn terms_acceptance(&self, user_id: i64) -> Option<TermsAcceptance> {
        self.terms.get(&user_id).cloned()
    }
}
