-- The claim query walks one target's pending rows in event order and stops after one batch: without this index
-- it read and sorted every pending row of the target for each batch, so a backlog drained in quadratic time.
create index ix_outbox_claim on outbox (target, state, event_seq);
