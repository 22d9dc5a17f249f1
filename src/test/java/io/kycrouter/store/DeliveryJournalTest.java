package io.kycrouter.store;

import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal's files: records come back in the order appended, across segments; a segment sealed and deleted is
 * gone; a record cut short or altered ends what is read of its segment (and nothing after it is read as a record),
 * and the segments of a previous run are the leftovers of the next.
 */
class DeliveryJournalTest {

    @Test
    void recordsComeBackInOrderAcrossSegments() throws IOException {
        Path dir = RunningRouter.tempDir("journal-order");
        DeliveryJournal journal = DeliveryJournal.open(dir);
        journal.append(List.of(bytes("a"), bytes("b")));
        List<Path> first = journal.seal();
        journal.append(List.of(bytes("c")));
        journal.append(List.of(new byte[0], bytes("d".repeat(100_000))));
        List<Path> both = journal.seal();
        assertThat(first).hasSize(1);
        assertThat(both).hasSize(2).startsWith(first.get(0));
        assertThat(readAll(both)).containsExactly("a", "b", "c", "", "d".repeat(100_000));
        journal.delete(first);
        assertThat(first.get(0)).doesNotExist();
        assertThat(journal.holdsAnything()).isTrue();
        journal.delete(both);
        assertThat(journal.holdsAnything()).isFalse();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aPreviousRunsSegmentsAreLeftoversAndNewSegmentsComeAfterThem() throws IOException {
        Path dir = RunningRouter.tempDir("journal-leftovers");
        DeliveryJournal before = DeliveryJournal.open(dir);
        before.append(List.of(bytes("1")));
        before.seal();
        before.append(List.of(bytes("2")));
        // a crash: the second segment is never sealed
        DeliveryJournal after = DeliveryJournal.open(dir);
        List<Path> leftovers = after.leftovers();
        assertThat(readAll(leftovers)).containsExactly("1", "2");
        after.append(List.of(bytes("3")));
        assertThat(after.leftovers()).isEqualTo(leftovers); // its own segment is not a leftover
        List<Path> own = after.seal();
        assertThat(own).hasSize(1);
        assertThat(own.get(0).getFileName().toString()).isGreaterThan(leftovers.get(1).getFileName().toString());
    }

    @Test
    void aTornOrAlteredRecordEndsItsSegment() throws IOException {
        Path dir = RunningRouter.tempDir("journal-torn");
        DeliveryJournal journal = DeliveryJournal.open(dir);
        journal.append(List.of(bytes("whole"), bytes("cut short")));
        Path segment = journal.seal().get(0);
        long size = Files.size(segment);
        try (FileChannel f = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            f.truncate(size - 3); // the crash came in the middle of the second record
        }
        List<String> read = new ArrayList<>();
        long ignored = DeliveryJournal.read(segment, r -> read.add(new String(r, StandardCharsets.UTF_8)));
        assertThat(read).containsExactly("whole");
        assertThat(ignored).isEqualTo(8 + "cut short".length() - 3);

        journal.append(List.of(bytes("first"), bytes("second"), bytes("third")));
        Path other = journal.seal().get(1);
        try (FileChannel f = FileChannel.open(other, StandardOpenOption.WRITE)) {
            f.write(ByteBuffer.wrap(new byte[] {'X'}), 8 + 5 + 8 + 2); // one byte of "second" altered
        }
        read.clear();
        DeliveryJournal.read(other, r -> read.add(new String(r, StandardCharsets.UTF_8)));
        assertThat(read).containsExactly("first");

        Path garbage = dir.resolve("deliveries-000000000099.journal");
        Files.write(garbage, new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 1, 2, 3});
        read.clear();
        assertThat(DeliveryJournal.read(garbage, r -> read.add("?"))).isEqualTo(11);
        assertThat(read).isEmpty();
    }

    @Test
    void aFileThatIsNotASegmentIsLeftAlone() throws IOException {
        Path dir = RunningRouter.tempDir("journal-others");
        Files.writeString(dir.resolve("README"), "not a segment");
        Files.writeString(dir.resolve("deliveries-x.journal"), "not a segment either");
        DeliveryJournal journal = DeliveryJournal.open(dir);
        assertThat(journal.leftovers()).isEmpty();
        journal.append(List.of(bytes("a")));
        assertThat(journal.seal().get(0).getFileName().toString()).isEqualTo("deliveries-000000000001.journal");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> readAll(List<Path> segments) throws IOException {
        List<String> read = new ArrayList<>();
        for (Path p : segments) {
            assertThat(DeliveryJournal.read(p, r -> read.add(new String(r, StandardCharsets.UTF_8)))).isZero();
        }
        return read;
    }
}
