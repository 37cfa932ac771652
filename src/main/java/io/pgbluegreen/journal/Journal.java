package io.pgbluegreen.journal;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import io.pgbluegreen.durable.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Append-only JSON lines, each forced to disk before {@link #append} returns: a step is journaled before and
 * after it runs, so a daemon killed at any point knows on restart where it was.
 *
 * <p>Opened (and checked) when the daemon starts. A last line that is not an entry was cut short by a crash while
 * it was written: nothing after it was acknowledged, so it is reported ({@link #tornLines()}, a warning) and left
 * out, and the file gets the newline it lacks plus a {@link JournalEvent#TORN_LINE} record naming that line, so the next entry
 * starts on a line of its own and later starts know the line is accounted for. Any other line that is not an entry
 * means the file was damaged: the daemon refuses to start ({@link JournalCorruptException}) rather than act on a
 * history with an entry missing.
 */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Context
public class Journal {
    /** A line cut short by a crash: its number (from 1) and its first characters. */
    public record TornLine(int number, String start) {
    }

    /** The key under which a {@link JournalEvent#TORN_LINE} record names the torn line's number. */
    static final String TORN_LINE_NUMBER = "line";
    private static final int SHOWN_CHARS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    private final Path path;
    private final JsonMapper json;
    private final FileChannel channel;
    private final List<TornLine> tornLines;
    /** A failed append that could not be cut back off: later appends would continue its line. */
    private boolean broken;

    /** What a pass over the file found. */
    private record Scan(List<JournalEntry> entries, List<TornLine> torn, List<TornLine> knownTorn) {
    }

    public Journal(JournalConfig config, JsonMapper json) {
        this.path = Path.of(config.path()).toAbsolutePath();
        this.json = json;
        try {
            Files.createDirectories(path.getParent());
            boolean created = !Files.exists(path);
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            if (created) {
                // the file's name lives in its directory: without this a crash could lose the whole journal
                DurableFiles.fsyncDirectory(path.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal " + path + ": " + e.getMessage(), e);
        }
        try {
            byte[] content = Files.readAllBytes(path);
            Scan scan = scan(content);
            scan.knownTorn().forEach(t -> LOG.info("journal {}: line {} was cut short by a crash (recorded after it) and is left out",
                    path, t.number()));
            scan.torn().forEach(t -> LOG.warn("journal {}: line {} was cut short by a crash while it was written and is left out;"
                    + " it starts: {}", path, t.number(), t.start()));
            this.tornLines = List.copyOf(scan.torn());
            closeTornTail(content, scan.torn());
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot read the journal " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public synchronized void append(JournalEntry entry) {
        if (broken) {
            throw new IllegalStateException("the journal " + path + " is unusable since a write failed part way: restart the daemon");
        }
        long size = -1;
        try {
            size = channel.size();
            write((json.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // cut a partly written line off, or the next entry would continue it
            try {
                if (size >= 0) {
                    channel.truncate(size);
                    channel.force(true);
                }
            } catch (IOException again) {
                broken = true;
            }
            // Without a journal the invariants cannot be kept: the caller must stop what it is doing.
            throw new UncheckedIOException("cannot write the journal " + path + ": " + e.getMessage(), e);
        }
    }

    /** Every entry, in order; torn lines are left out, a damaged line throws {@link JournalCorruptException}. */
    public synchronized List<JournalEntry> readAll() {
        try {
            return scan(Files.readAllBytes(path)).entries();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + path + ": " + e.getMessage(), e);
        }
    }

    /** The last line found cut short by a crash when the journal was opened (none: empty), to tell the operator. */
    public List<TornLine> tornLines() {
        return tornLines;
    }

    public Path path() {
        return path;
    }

    private Scan scan(byte[] content) {
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\n", -1);
        int last = lines.length - 1;
        while (last >= 0 && lines[last].isBlank()) {
            last--;
        }
        List<JournalEntry> entries = new ArrayList<>();
        List<TornLine> torn = new ArrayList<>();
        List<TornLine> knownTorn = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JournalEntry entry = parse(lines[i]);
            if (entry != null) {
                if (entry.event() != JournalEvent.TORN_LINE) {
                    entries.add(entry);
                }
                continue;
            }
            TornLine line = new TornLine(i + 1, shown(lines[i]));
            if (i == last) {
                torn.add(line);
            } else if (recordedAsTorn(lines, i)) {
                knownTorn.add(line);
            } else {
                throw new JournalCorruptException(path, i + 1, line.start());
            }
        }
        return new Scan(entries, torn, knownTorn);
    }

    /** The next non-blank line is the record this journal wrote when it found line {@code i} torn. */
    private boolean recordedAsTorn(String[] lines, int i) {
        for (int next = i + 1; next < lines.length; next++) {
            if (!lines[next].isBlank()) {
                JournalEntry record = parse(lines[next]);
                return record != null && record.event() == JournalEvent.TORN_LINE && record.data() != null
                        && String.valueOf(i + 1).equals(record.data().get(TORN_LINE_NUMBER));
            }
        }
        return false;
    }

    /** Ends a torn last line (so the next entry starts on a line of its own) and records it as known. */
    private void closeTornTail(byte[] content, List<TornLine> torn) throws IOException {
        StringBuilder tail = new StringBuilder();
        if (content.length > 0 && content[content.length - 1] != '\n') {
            tail.append('\n');
        }
        for (TornLine line : torn) {
            tail.append(json.writeValueAsString(new JournalEntry("journal", "", JournalEvent.TORN_LINE, null, null,
                    "line " + line.number() + " was cut short by a crash while it was written; it is not an entry",
                    Instant.now(), null, Map.of(TORN_LINE_NUMBER, String.valueOf(line.number()))))).append('\n');
        }
        if (!tail.isEmpty()) {
            write(tail.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private void write(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(true);
    }

    /** The entry on this line, or null when it is none (not JSON, or without the fields every entry has). */
    private JournalEntry parse(String line) {
        try {
            JournalEntry entry = json.readValue(line, JournalEntry.class);
            return entry != null && entry.operationId() != null && entry.event() != null && entry.at() != null ? entry : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String shown(String line) {
        String printable = line.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= SHOWN_CHARS ? printable : printable.substring(0, SHOWN_CHARS) + "...";
    }

    private void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing after a failed open: the original error is the one to report
        }
    }
}
