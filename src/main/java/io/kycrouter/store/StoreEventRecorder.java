package io.kycrouter.store;

import io.kycrouter.canonical.EventRecorder;
import io.kycrouter.canonical.VerificationEvent;

/** The canonical route's events appended to the event store, its failures kept on the inbox row. */
public final class StoreEventRecorder implements EventRecorder {

    private final EventStore events;
    private final Inbox inbox;

    public StoreEventRecorder(EventStore events, Inbox inbox) {
        this.events = events;
        this.inbox = inbox;
    }

    @Override
    public boolean append(VerificationEvent event) {
        return events.append(event);
    }

    @Override
    public void recordFailure(long inboxId, String error, boolean permanent) {
        inbox.recordFailure(inboxId, error, permanent);
    }

    @Override
    public boolean permanent(Throwable cause) {
        return Inbox.permanent(cause);
    }

    @Override
    public String describe(Throwable cause) {
        return Inbox.describe(cause);
    }
}
