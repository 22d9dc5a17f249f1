-- Map again after a fix: a delivery may now have several canonical events, one per mapping (its revision). The newest
-- is current; each older one is kept in the log, marked superseded by the event that replaced it and when. The
-- uniqueness moves from (inbox_id) to (inbox_id, revision): two writers of the same mapping of one delivery (the
-- recovery and a remap, two instances remapping at once) still cannot both write it. Runs unchanged on H2 and
-- PostgreSQL.
alter table canonical_event add column revision integer default 0 not null;
alter table canonical_event add column superseded_by varchar(36);
alter table canonical_event add column superseded_at timestamp with time zone;
alter table canonical_event drop constraint uq_event_inbox;
alter table canonical_event add constraint uq_event_inbox_revision unique (inbox_id, revision);
