-- ix_outbox_due (state, next_attempt_at) served no query any more: the claim and the gauges read ix_outbox_claim
-- (target, state, event_seq), the operator API's filters by target and state use the same index, and the claim's
-- time test is written so that it never picks this one. Each outbox row paid for it twice (insert, and the move to
-- delivered): one B-tree entry less per row and per state change.
drop index ix_outbox_due;
