-- Embedded H2 only. An identity column draws its values from a sequence, and H2 persists a sequence every CACHE
-- values (default 32) by committing its own transaction: a full write of the store. At a batch of 64 deliveries per
-- group commit that was six extra store writes per batch. With CACHE 1000 a crash can skip up to 1000 ids (ids are
-- never reused and never go back, so receipt order holds). PostgreSQL needs none of this (see its V5).
alter table inbox alter column id set cache 1000;
alter table canonical_event alter column seq set cache 1000;
alter table outbox alter column id set cache 1000;
