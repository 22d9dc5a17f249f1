package io.kycrouter.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One delivery the intake stored, as the {@link DeliveryJournal} keeps it until H2's next checkpoint: the inbox row
 * and its canonical event as written (the event's JSON, with the event id and times it was given), so that a delivery
 * written again after a crash is the same delivery with the same event.
 *
 * @param eventPayload the canonical event's JSON, null when the delivery could not be mapped (then parked with the
 *                     delivery's {@code parkedError})
 */
record IntakeRecord(Inbox.Incoming delivery, String eventPayload) {

    private static final int VERSION = 1;

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + delivery.body().length() + (eventPayload == null ? 0
                : eventPayload.length()));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            string(out, delivery.vendor());
            string(out, delivery.eventKey());
            instant(out, delivery.receivedAt());
            string(out, delivery.authScheme());
            string(out, delivery.body());
            instant(out, delivery.processedAt());
            string(out, delivery.parkedError());
            string(out, eventPayload);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not on a byte array
        }
        return bytes.toByteArray();
    }

    static IntakeRecord decode(byte[] record) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("journal record of an unknown version " + version);
            }
            String vendor = string(in);
            String eventKey = string(in);
            Instant receivedAt = instant(in);
            String authScheme = string(in);
            String body = string(in);
            Instant processedAt = instant(in);
            String parkedError = string(in);
            String eventPayload = string(in);
            return new IntakeRecord(new Inbox.Incoming(vendor, eventKey, body, receivedAt, authScheme, processedAt, parkedError),
                    eventPayload);
        } catch (IOException e) {
            throw new IllegalArgumentException("journal record cut short", e);
        }
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String string(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static void instant(DataOutputStream out, Instant value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value.getEpochSecond());
            out.writeInt(value.getNano());
        }
    }

    private static Instant instant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }
}
