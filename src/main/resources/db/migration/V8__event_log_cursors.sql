-- Delivery progress as a position in the event log (a cursor per notifier target, like a consumer offset) instead
-- of one outbox row per event and target. Runs unchanged on H2 and PostgreSQL.

-- The event log's positions are handed out in commit order: every transaction that appends canonical events first
-- moves this one row (reserving its positions) and holds its lock until it commits, so a reader that sees position p
-- has already been able to see every position below it. canonical_event.seq is the position from now on.
create table event_log_head (
    id        integer primary key,
    last_seq  bigint not null
);
insert into event_log_head (id, last_seq) select 1, coalesce(max(seq), 0) from canonical_event;

-- Per target: every event of the log at or below position has been delivered, or has its outbox row (a retry, a
-- dead letter, a delivery waiting behind an earlier one of its verification). first_position is where the target
-- started: events at or below it came before the target existed (a replay since a time enqueues those).
-- One instance at a time reads a target's log (owner, lease_until); the lease is renewed while it holds it.
create table notify_cursor (
    target          varchar(64) primary key,
    position        bigint not null,
    first_position  bigint not null,
    owner           varchar(64),
    lease_until     timestamp with time zone,
    updated_at      timestamp with time zone not null
);
