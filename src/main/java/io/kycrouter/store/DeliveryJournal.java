package io.kycrouter.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * An append-only file of the deliveries the intake committed, written before the vendor hears 200, for an embedded H2
 * database that writes its own file only now and then (docs/DECISIONS.md, 78). Each record is framed as its length,
 * its CRC-32C and its bytes; records go to numbered segments ({@code deliveries-<n>.journal}) in one directory. A
 * segment is sealed, then deleted once the database has written everything committed before the seal to its own file
 * (a checkpoint). At start-up, segments left behind by a crash are read back and their deliveries written again.
 * <p>
 * Appends and seals may come from different threads. A record torn by a crash (or by a failed write) ends what is read
 * of its segment; a failed write also ends the segment, so later records are never written after a torn one.
 */
public final class DeliveryJournal {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.store");
    private static final String PREFIX = "deliveries-";
    private static final String SUFFIX = ".journal";
    /** A record larger than this is not one the router wrote (bodies are capped far below): the rest is torn. */
    private static final int MAX_RECORD = 256 * 1024 * 1024;

    private final Path directory;
    private final List<Path> closed = new ArrayList<>();
    private FileChannel active;
    private Path activePath;
    private long nextNumber;

    private DeliveryJournal(Path directory, long nextNumber) {
        this.directory = directory;
        this.nextNumber = nextNumber;
    }

    /** Opens (creating it if needed) the journal directory; segments already there are left for {@link #leftovers()}. */
    public static DeliveryJournal open(Path directory) throws IOException {
        Files.createDirectories(directory);
        long max = 0;
        for (Path p : list(directory)) {
            max = Math.max(max, number(p));
        }
        return new DeliveryJournal(directory, max + 1);
    }

    public Path directory() {
        return directory;
    }

    /** The segments in the directory that this journal did not write (a previous run's), oldest first. */
    public synchronized List<Path> leftovers() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path p : list(directory)) {
            if (!p.equals(activePath) && !closed.contains(p)) {
                found.add(p);
            }
        }
        return found;
    }

    /**
     * Appends the records to the active segment (starting one if there is none) in one write. On failure the segment is
     * ended (cut back to its last whole record where the file allows it): the next append starts a new one.
     */
    public synchronized void append(List<byte[]> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        int size = 0;
        for (byte[] r : records) {
            size += 8 + r.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        CRC32C crc = new CRC32C();
        for (byte[] r : records) {
            crc.reset();
            crc.update(r);
            buffer.putInt(r.length).putInt((int) crc.getValue()).put(r);
        }
        buffer.flip();
        if (active == null) {
            activePath = directory.resolve(String.format("%s%012d%s", PREFIX, nextNumber++, SUFFIX));
            active = FileChannel.open(activePath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        long before = active.position();
        try {
            while (buffer.hasRemaining()) {
                active.write(buffer);
            }
        } catch (IOException e) {
            endActive(before);
            throw e;
        }
    }

    /** Ends the active segment after a failed write: cut back to {@code length} when possible, closed either way. */
    private void endActive(long length) {
        try {
            active.truncate(length);
        } catch (IOException ignored) {
            // the reader stops at the torn record: nothing after it is written to this segment
        }
        try {
            active.close();
        } catch (IOException ignored) {
            // closed as far as the file system allows
        }
        closed.add(activePath);
        active = null;
        activePath = null;
    }

    /**
     * Seals the active segment: appends from now on go to a new one. Returns every sealed segment not yet deleted,
     * oldest first: once the database has written all it committed before this call, they can be deleted.
     */
    public synchronized List<Path> seal() {
        if (active != null) {
            try {
                active.close();
            } catch (IOException e) {
                LOG.warn("journal segment {} not closed cleanly: {}", activePath.getFileName(), e.toString());
            }
            closed.add(activePath);
            active = null;
            activePath = null;
        }
        return List.copyOf(closed);
    }

    /** Whether anything was appended since the last seal, or sealed segments wait to be deleted. */
    public synchronized boolean holdsAnything() {
        return active != null || !closed.isEmpty();
    }

    /** Deletes sealed (or recovered) segments, whose records the database has written to its file. */
    public synchronized void delete(List<Path> segments) throws IOException {
        for (Path p : segments) {
            Files.deleteIfExists(p);
            closed.remove(p);
        }
    }

    /** Closes the active segment (its records stay for the next start unless deleted). */
    public synchronized void close() {
        seal();
    }

    /**
     * Reads a segment's records in order, each to {@code record}; stops at the first torn or corrupt record (a crash
     * in the middle of a write) and returns how many bytes past the last whole record were ignored.
     */
    public static long read(Path segment, Consumer<byte[]> record) throws IOException {
        long size = Files.size(segment);
        long read = 0;
        CRC32C crc = new CRC32C();
        try (InputStream file = Files.newInputStream(segment);
             DataInputStream in = new DataInputStream(new BufferedInputStream(file, 65_536))) {
            while (read < size) {
                if (size - read < 8) {
                    break;
                }
                int length = in.readInt();
                int expected = in.readInt();
                if (length < 0 || length > MAX_RECORD || length > size - read - 8) {
                    break;
                }
                byte[] bytes = new byte[length];
                try {
                    in.readFully(bytes);
                } catch (EOFException e) {
                    break;
                }
                crc.reset();
                crc.update(bytes);
                if ((int) crc.getValue() != expected) {
                    break;
                }
                read += 8 + length;
                record.accept(bytes);
            }
        }
        return size - read;
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> {
                        String n = p.getFileName().toString();
                        return n.startsWith(PREFIX) && n.endsWith(SUFFIX) && number(p) > 0;
                    })
                    .sorted(Comparator.comparingLong(DeliveryJournal::number))
                    .toList();
        }
    }

    private static long number(Path p) {
        String n = p.getFileName().toString();
        try {
            return Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length()));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
